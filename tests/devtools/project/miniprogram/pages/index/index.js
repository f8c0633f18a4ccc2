// The simulator tests' sample page: data that a tap changes, storage, a log, an error on demand.
Page({
  data: { count: 0, label: "start", envVersion: wx.getAccountInfoSync().miniProgram.envVersion },
  onLoad() {
    wx.setStorageSync("lastPage", "index");
    console.log("index page loaded");
  },
  add() {
    this.setData({ count: this.data.count + 1, label: "tapped" });
    wx.setStorageSync("count", this.data.count);
  },
  boom() {
    throw new Error("boom from a tap");
  },
});
