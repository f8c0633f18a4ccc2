const { formatPrice } = require('./utils/format');

App({
  globalData: { currency: 'CNY', launchedAt: 0 },
  onLaunch(options) {
    this.globalData.launchedAt = Date.now();
    this.globalData.scene = options?.scene ?? 1001;
    wx.getSystemInfo({ success: (info) => { this.globalData.windowWidth = info.windowWidth; } });
  },
  onShow() {},
  onError(message) { console.error('app error', message); },
  onPageNotFound() { wx.redirectTo({ url: '/pages/index/index' }); },
  price(cents) { return formatPrice(cents, this.globalData.currency); },
});
