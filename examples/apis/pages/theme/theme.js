// Dark mode: the theme at load, wx.onThemeChange and App.onThemeChange (app.js), and WXSS
// `@media (prefers-color-scheme: dark)`.
Page({
  data: { theme: '', launchTheme: '', changes: '', appChanges: '' },
  onLoad() {
    this.setData({ theme: wx.getSystemInfoSync().theme || '', launchTheme: getApp().globalData.launchTheme });
    this.listener = (res) => this.setData({ theme: res.theme, changes: this.data.changes + JSON.stringify(res) });
    wx.onThemeChange(this.listener);
  },
  onUnload() {
    wx.offThemeChange(this.listener);
  },
  onAppThemeChange() {
    this.setData({ appChanges: getApp().globalData.appThemes.join(',') });
  },
});
