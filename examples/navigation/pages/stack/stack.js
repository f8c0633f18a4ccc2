const { show, stackInfo } = require('../../utils/show');

function report(page, action) {
  return {
    success: (res) => page.setData({ result: `${action}: ${res.errMsg}` }),
    fail: (err) => page.setData({ result: `${action}: ${err.errMsg}` }),
  };
}

Page({
  data: {
    depth: 1,
    from: '',
    query: '',
    stackLength: 0,
    routes: '',
    result: '',
  },

  onLoad(query) {
    this.setData({ depth: Number(query.depth || 1), from: query.from || '', query: show(query) });
  },

  onShow() {
    const stack = stackInfo();
    this.setData({ stackLength: stack.length, routes: stack.routes });
  },

  // Opens this same page one level deeper; the 11th page fails (the stack holds 10).
  push() {
    const depth = getCurrentPages().length + 1;
    wx.navigateTo({ url: `/pages/stack/stack?depth=${depth}&from=push`, ...report(this, 'navigateTo') });
  },

  // The same navigation twice in one handler (a double-fired tap), into a subpackage not loaded
  // yet: only one page may open.
  pushTwice() {
    wx.navigateTo({ url: '/packageB/pages/b-one/b-one?from=twice', ...report(this, 'navigateTo') });
    wx.navigateTo({ url: '/packageB/pages/b-one/b-one?from=twice', ...report(this, 'navigateTo') });
  },

  redirect() {
    wx.redirectTo({ url: `/pages/stack/stack?depth=${this.data.depth}&from=redirect`, ...report(this, 'redirectTo') });
  },

  back1() {
    wx.navigateBack({ delta: 1, ...report(this, 'navigateBack') });
  },

  back2() {
    wx.navigateBack({ delta: 2, ...report(this, 'navigateBack') });
  },

  backAll() {
    wx.navigateBack({ delta: 99, ...report(this, 'navigateBack') });
  },

  switchTab() {
    wx.switchTab({ url: '/pages/mine/mine', ...report(this, 'switchTab') });
  },

  relaunch() {
    wx.reLaunch({ url: '/pages/stack/stack?depth=1&from=relaunch', ...report(this, 'reLaunch') });
  },

  redirectToTab() {
    wx.redirectTo({ url: '/pages/home/home', ...report(this, 'redirectTo') });
  },
});
