// wx.setClipboardData / getClipboardData: copy, read back, and a bad call's errMsg.
Page({
  data: { text: 'Hello 小程序', setResult: '', getResult: '', badResult: '' },
  onInput(e) {
    this.setData({ text: e.detail.value });
  },
  copy() {
    wx.setClipboardData({
      data: this.data.text,
      success: (res) => this.setData({ setResult: JSON.stringify(res) }),
      fail: (err) => this.setData({ setResult: JSON.stringify(err) }),
    });
  },
  paste() {
    wx.getClipboardData().then(
      (res) => this.setData({ getResult: JSON.stringify(res) }),
      (err) => this.setData({ getResult: JSON.stringify(err) }),
    );
  },
  copyNumber() {
    wx.setClipboardData({ data: 42 }).catch((err) => this.setData({ badResult: JSON.stringify(err) }));
  },
});
