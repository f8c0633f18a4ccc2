// An independent subpackage: it may start without the main package, so it uses no main-package
// code and asks getApp() for a default instance when the App has not run yet.
Page({
  data: {
    query: '',
    route: '',
    app: '',
    stackLength: 0,
  },
  onLoad(query) {
    const app = getApp({ allowDefault: true });
    this.setData({
      query: JSON.stringify(query),
      route: this.route,
      app: app ? 'getApp() returned an instance' : 'no app',
      stackLength: getCurrentPages().length,
    });
  },
  home() {
    wx.reLaunch({ url: '/pages/home/home?from=independent' });
  },
});
