const data = require('../../utils/data');

Page({
  data: {
    categories: [],
    active: '',
    subcategories: [],
    featured: [],
  },

  onLoad() {
    this.setData({ categories: data.categories });
    this.select(data.categories[0].id);
  },

  select(id) {
    this.setData({
      active: id,
      subcategories: data.subcategories[id] || [],
      featured: data.productsByCategory(id).slice(0, 3),
    });
  },

  onSelect(event) {
    this.select(event.currentTarget.dataset.id);
  },

  openSearch() {
    wx.navigateTo({ url: '/pages/search/search' });
  },

  openList(event) {
    const { category, name } = event.currentTarget.dataset;
    wx.navigateTo({ url: `/pages/list/list?category=${category}&sub=${encodeURIComponent(name || '')}` });
  },

  openProduct(event) {
    wx.navigateTo({ url: `/pages/product/product?id=${event.currentTarget.dataset.id}` });
  },
});
