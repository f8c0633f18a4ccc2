// The apis example's app: records App.onThemeChange (the theme page shows it) and tells the
// page on top, as a real app would restyle itself.
App({
  globalData: { appThemes: [] },
  onLaunch() {
    const info = wx.getSystemInfoSync();
    this.globalData.launchTheme = info.theme || '';
  },
  onThemeChange(res) {
    this.globalData.appThemes.push(res.theme);
    const pages = getCurrentPages();
    const top = pages[pages.length - 1];
    if (top && typeof top.onAppThemeChange === 'function') top.onAppThemeChange(res);
  },
});
