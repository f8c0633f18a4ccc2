// createIntersectionObserver: the status bar shows whether #target (in the page) and #sv-target
// (in the scroll-view) intersect their reference areas, and the last callback's result.
Page({
  data: { state: "not reported", count: 0, svState: "not reported", svCount: 0, last: "" },

  onReady() {
    this.pageObserver = this.createIntersectionObserver({ thresholds: [0, 0.5] });
    this.pageObserver.relativeToViewport({ bottom: 0 }).observe("#target", (res) => {
      this.setData({
        state: res.intersectionRatio > 0 ? "visible" : "hidden",
        count: this.data.count + 1,
        last: JSON.stringify(res),
      });
    });
    this.svObserver = wx.createIntersectionObserver(this);
    this.svObserver.relativeTo("#io-sv").observe("#sv-target", (res) => {
      this.setData({
        svState: res.intersectionRatio > 0 ? "visible" : "hidden",
        svCount: this.data.svCount + 1,
      });
    });
  },

  onUnload() {
    this.pageObserver.disconnect();
    this.svObserver.disconnect();
  },
});
