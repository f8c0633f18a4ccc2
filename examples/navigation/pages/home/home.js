const { show, stackInfo } = require('../../utils/show');

Page({
  data: {
    query: '',
    stackLength: 0,
    routes: '',
    shows: 0,
    badge: '',
    routeResult: '',
  },

  onLoad(query) {
    this.setData({ query: show(query) });
  },

  onShow() {
    const stack = stackInfo();
    this.setData({ stackLength: stack.length, routes: stack.routes, shows: this.data.shows + 1 });
  },

  go(event) {
    const url = event.currentTarget.dataset.url;
    wx.navigateTo({
      url,
      success: (res) => this.setData({ routeResult: res.errMsg }),
      fail: (err) => this.setData({ routeResult: err.errMsg }),
    });
  },

  // A tab page cannot be the target of navigateTo.
  navigateToTab() {
    wx.navigateTo({
      url: '/pages/apis/apis',
      success: (res) => this.setData({ routeResult: res.errMsg }),
      fail: (err) => this.setData({ routeResult: err.errMsg }),
    });
  },

  switchToApis() {
    wx.switchTab({ url: '/pages/apis/apis' });
  },

  // switchTab only opens tab pages.
  switchToPage() {
    wx.switchTab({
      url: '/pages/stack/stack',
      success: (res) => this.setData({ routeResult: res.errMsg }),
      fail: (err) => this.setData({ routeResult: err.errMsg }),
    });
  },

  relaunchWithQuery() {
    wx.reLaunch({ url: '/pages/home/home?from=relaunch&n=1' });
  },

  setBadge() {
    wx.setTabBarBadge({
      index: 2,
      text: '3',
      success: (res) => this.setData({ badge: `setTabBarBadge ${res.errMsg}` }),
      fail: (err) => this.setData({ badge: err.errMsg }),
    });
  },

  removeBadge() {
    wx.removeTabBarBadge({
      index: 2,
      success: (res) => this.setData({ badge: `removeTabBarBadge ${res.errMsg}` }),
      fail: (err) => this.setData({ badge: err.errMsg }),
    });
  },

  showRedDot() {
    wx.showTabBarRedDot({
      index: 1,
      success: (res) => this.setData({ badge: `showTabBarRedDot ${res.errMsg}` }),
      fail: (err) => this.setData({ badge: err.errMsg }),
    });
  },

  hideRedDot() {
    wx.hideTabBarRedDot({
      index: 1,
      success: (res) => this.setData({ badge: `hideTabBarRedDot ${res.errMsg}` }),
      fail: (err) => this.setData({ badge: err.errMsg }),
    });
  },

  renameTab() {
    wx.setTabBarItem({
      index: 0,
      text: 'Start',
      success: (res) => this.setData({ badge: `setTabBarItem ${res.errMsg}` }),
      fail: (err) => this.setData({ badge: err.errMsg }),
    });
  },
});
