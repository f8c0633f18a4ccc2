const { stackInfo } = require('../../utils/show');

Page({
  data: {
    loads: 0,
    shows: 0,
    hides: 0,
    stackLength: 0,
    badge: '',
  },
  onLoad() {
    this.setData({ loads: this.data.loads + 1 });
  },
  onShow() {
    this.setData({ shows: this.data.shows + 1, stackLength: stackInfo().length });
  },
  onHide() {
    this.setData({ hides: this.data.hides + 1 });
  },
  clearBadge() {
    wx.removeTabBarBadge({
      index: 2,
      complete: (res) => this.setData({ badge: res.errMsg }),
    });
  },
  goHome() {
    wx.switchTab({ url: '/pages/home/home' });
  },
});
