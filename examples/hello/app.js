App({
  onLaunch() {
    this.globalData.startedAt = Date.now();
  },
  globalData: { startedAt: 0 },
});
