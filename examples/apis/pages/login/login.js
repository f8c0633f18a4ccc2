// wx.login / wx.checkSession: a code for this app's back end to trade (GET /sns/jscode2session)
// for the user's openid, and whether the session still holds. The phone-number button: a code the
// back end trades (POST /wxa/business/getuserphonenumber) for the user's number. wx.getUserProfile
// after wx.login: rawData signed (and the profile encrypted) with the session key; the getUserInfo
// button: WeChat's anonymous profile, signed the same way.
Page({
  data: {
    code: '', loginResult: '', sessionResult: '', phoneResult: '', phoneCode: '', phoneEncrypted: '',
    profileResult: '', profileRaw: '', profileSignature: '', infoResult: '', infoRaw: '', infoSignature: '',
  },
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
  getPhoneNumber(e) {
    const detail = e.detail;
    this.setData({
      phoneResult: detail.errMsg,
      phoneCode: detail.code || '',
      phoneEncrypted: detail.encryptedData ? `${detail.encryptedData} ${detail.iv}` : '',
    });
  },
  getUserProfile() {
    wx.getUserProfile({ desc: 'Shows your name on your orders' }).then(
      (res) => this.setData({ profileResult: res.errMsg, profileRaw: res.rawData, profileSignature: res.signature || '' }),
      (err) => this.setData({ profileResult: err.errMsg }),
    );
  },
  getUserInfo(e) {
    const detail = e.detail;
    this.setData({ infoResult: detail.errMsg, infoRaw: detail.rawData || '', infoSignature: detail.signature || '' });
  },
});
