// Consent: wx.authorize asks once with the reason app.json `permission` gives, wx.getSetting says
// what was decided, wx.openSetting lets the user change it, wx.getLocation needs
// scope.userLocation, wx.getUserProfile asks every time.
Page({
  data: { authorizeCalls: 0, authorizeResult: '', setting: '', openSettingResult: '', location: '', profile: '' },
  authorize() {
    // Numbered, so a second answer shows even when it is the same as the first.
    const call = this.data.authorizeCalls + 1;
    this.setData({ authorizeCalls: call });
    wx.authorize({
      scope: 'scope.userLocation',
      success: (res) => this.setData({ authorizeResult: `${call} ${res.errMsg}` }),
      fail: (err) => this.setData({ authorizeResult: `${call} ${err.errMsg}` }),
    });
  },
  getSetting() {
    wx.getSetting().then((res) => this.setData({ setting: JSON.stringify(res.authSetting) }));
  },
  openSetting() {
    wx.openSetting().then((res) => this.setData({ openSettingResult: JSON.stringify(res.authSetting) }));
  },
  getLocation() {
    wx.getLocation({ type: 'wgs84' }).then(
      (res) => this.setData({ location: `${res.errMsg} ${res.latitude},${res.longitude}` }),
      (err) => this.setData({ location: err.errMsg }),
    );
  },
  getUserProfile() {
    wx.getUserProfile({ desc: 'Shows your name on your orders' }).then(
      (res) => this.setData({ profile: `${res.errMsg} ${res.userInfo.nickName}` }),
      (err) => this.setData({ profile: err.errMsg }),
    );
  },
});
