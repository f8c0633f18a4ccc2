App({
  globalData: {
    launchedAt: 0,
    shows: 0,
  },
  onLaunch() {
    this.globalData.launchedAt = Date.now();
  },
  onShow() {
    this.globalData.shows += 1;
  },
});
