// System information, account information, canIUse, vibration, keep-screen-on and an API this
// runtime does not support.
const CAN_I_USE = [
  'getSystemInfo',
  'getSystemInfo.success.theme',
  'getSystemInfoSync.return.safeArea.left',
  'getSystemInfo.success.noSuchField',
  'setClipboardData.object.data',
  'setBackgroundTextStyle.object.textStyle.light',
  'setBackgroundTextStyle.object.textStyle.purple',
  'onThemeChange.callback.theme',
  'getNetworkType.success.networkType',
  'getUpdateManager',
  'previewImage',
  'scanCode',
  'noSuchApi',
  'button.open-type.share',
];

Page({
  data: { sync: '', async: '', window: '', device: '', appBase: '', setting: '', authorize: '', account: '', menu: '', canIUse: '', unsupported: '', vibrate: '', keep: '' },
  onLoad() {
    const canIUse = {};
    for (const schema of CAN_I_USE) canIUse[schema] = wx.canIUse(schema);
    this.setData({
      sync: JSON.stringify(wx.getSystemInfoSync()),
      window: JSON.stringify(wx.getWindowInfo()),
      device: JSON.stringify(wx.getDeviceInfo()),
      appBase: JSON.stringify(wx.getAppBaseInfo()),
      setting: JSON.stringify(wx.getSystemSetting()),
      authorize: JSON.stringify(wx.getAppAuthorizeSetting()),
      account: JSON.stringify(wx.getAccountInfoSync()),
      menu: JSON.stringify(wx.getMenuButtonBoundingClientRect()),
      canIUse: JSON.stringify(canIUse),
    });
    wx.getSystemInfo({ success: (res) => this.setData({ async: JSON.stringify(res) }) });
  },
  unsupported() {
    wx.requestPayment({
      success: (res) => this.setData({ unsupported: JSON.stringify(res) }),
      fail: (err) => this.setData({ unsupported: JSON.stringify(err) }),
    });
  },
  vibrate() {
    Promise.all([wx.vibrateShort({ type: 'medium' }), wx.vibrateLong(), wx.vibrateShort({ type: 'strong' }).catch((err) => err)]).then((all) =>
      this.setData({ vibrate: JSON.stringify(all) }),
    );
  },
  keepOn() {
    wx.setKeepScreenOn({ keepScreenOn: true }).then(
      (res) => this.setData({ keep: JSON.stringify(res) }),
      (err) => this.setData({ keep: JSON.stringify(err) }),
    );
  },
});
