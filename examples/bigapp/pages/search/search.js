const data = require('../../utils/data');

const MAX_HISTORY = 10;

Page({
  data: {
    hint: '',
    keyword: '',
    history: [],
    hotWords: data.hotWords,
    results: [],
    searched: false,
  },

  onLoad(query) {
    this.setData({ hint: query.hint ? decodeURIComponent(query.hint) : '', history: getApp().globalData.searchHistory });
  },

  onInput(event) {
    this.setData({ keyword: event.detail.value });
  },

  onSearch(event) {
    this.search(event.detail.value || this.data.hint);
  },

  onWord(event) {
    this.search(event.currentTarget.dataset.word);
  },

  search(raw) {
    const keyword = String(raw || '').trim();
    if (!keyword) return;
    const words = keyword.toLowerCase().split(/\s+/);
    const results = data.products.filter((p) => {
      const text = `${p.title} ${p.category} ${p.shop}`.toLowerCase();
      return words.every((w) => text.indexOf(w) !== -1);
    });
    const history = [keyword].concat(this.data.history.filter((h) => h !== keyword)).slice(0, MAX_HISTORY);
    getApp().globalData.searchHistory = history;
    wx.setStorage({ key: 'searchHistory', data: history });
    this.setData({ keyword, results, history, searched: true });
  },

  clearHistory() {
    getApp().globalData.searchHistory = [];
    wx.removeStorage({ key: 'searchHistory' });
    this.setData({ history: [] });
  },

  openProduct(event) {
    wx.navigateTo({ url: `/pages/product/product?id=${event.detail.id}` });
  },
});
