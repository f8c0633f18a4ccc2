// wx.getNetworkType and wx.onNetworkStatusChange / offNetworkStatusChange.
Page({
  data: { type: '', events: [], last: '' },
  onLoad() {
    this.listener = (res) => {
      const text = JSON.stringify(res);
      this.setData({ events: this.data.events.concat({ id: this.data.events.length, text }), last: text });
    };
    wx.onNetworkStatusChange(this.listener);
  },
  onUnload() {
    wx.offNetworkStatusChange(this.listener);
  },
  getType() {
    wx.getNetworkType({
      success: (res) => this.setData({ type: JSON.stringify(res) }),
      fail: (err) => this.setData({ type: JSON.stringify(err) }),
    });
  },
});
