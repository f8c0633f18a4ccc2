App({
  onLaunch() {
    wx.setStorageSync("launchedBy", "simulator");
  },
});
