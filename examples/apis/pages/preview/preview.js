// wx.previewImage: package images by relative path; `current` picks the one shown first.
const URLS = ['red.png', 'green.png', 'blue.png'];

Page({
  data: { urls: URLS, result: '', badResult: '' },
  preview(e) {
    wx.previewImage({
      urls: URLS,
      current: e.currentTarget.dataset.src,
      success: (res) => this.setData({ result: JSON.stringify(res) }),
      fail: (err) => this.setData({ result: JSON.stringify(err) }),
    });
  },
  previewBad() {
    wx.previewImage({ urls: 'red.png' }).catch((err) => this.setData({ badResult: JSON.stringify(err) }));
  },
});
