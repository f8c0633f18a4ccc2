// pageScrollTo: by scrollTop, by selector (with offsetTop), and the failures WeChat reports.
Page({
  data: { sections: [0, 1, 2, 3, 4, 5], scrollTop: 0, result: "" },

  onPageScroll(e) {
    this.setData({ scrollTop: e.scrollTop });
  },

  report(promise) {
    promise.then(
      (res) => this.setData({ result: res.errMsg }),
      (err) => this.setData({ result: err.errMsg }),
    );
  },

  toTop() {
    this.report(wx.pageScrollTo({ scrollTop: 200, duration: 0 }));
  },

  toSection() {
    this.report(wx.pageScrollTo({ selector: "#section-3", offsetTop: -20, duration: 0 }));
  },

  toNothing() {
    wx.pageScrollTo({
      duration: 0,
      fail: (err) => this.setData({ result: err.errMsg }),
    });
  },

  toMissing() {
    this.report(wx.pageScrollTo({ selector: "#missing", duration: 0 }));
  },
});
