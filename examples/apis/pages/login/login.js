// wx.login / wx.checkSession: a code for this app's back end to trade (GET /sns/jscode2session)
// for the user's openid, and whether the session still holds.
Page({
  data: { code: '', loginResult: '', sessionResult: '' },
  login() {
    wx.login({
      success: (res) => this.setData({ code: res.code, loginResult: res.errMsg }),
      fail: (err) => this.setData({ code: '', loginResult: err.errMsg }),
    });
  },
  checkSession() {
    wx.checkSession().then(
      (res) => this.setData({ sessionResult: res.errMsg }),
      (err) => this.setData({ sessionResult: err.errMsg }),
    );
  },
});
