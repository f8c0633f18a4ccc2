const cart = require('./utils/cart');

App({
  globalData: {
    launchedAt: 0,
    scene: 0,
    user: { nickname: 'Shopper', level: 'Gold member', points: 1280 },
    searchHistory: [],
  },

  onLaunch(options) {
    this.globalData.launchedAt = Date.now();
    this.globalData.scene = options.scene;
    this.globalData.searchHistory = wx.getStorageSync('searchHistory') || [];
    cart.load();
  },

  onShow() {
    cart.refreshBadge();
  },
});
