const data = require('../../utils/data');

Page({
  data: {
    tab: 'available',
    coupons: [],
  },

  onLoad() {
    this.filter('available');
  },

  filter(tab) {
    const used = tab === 'used';
    this.setData({ tab, coupons: data.coupons.filter((c) => c.used === used) });
  },

  onTab(event) {
    this.filter(event.currentTarget.dataset.tab);
  },

  use() {
    wx.switchTab({ url: '/pages/index/index' });
  },
});
