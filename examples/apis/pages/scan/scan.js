// wx.scanCode (the camera, or a picture unless onlyFromCamera), the options a code opens this page
// with (a B code's scene arrives URI-encoded in `query.scene`), and wx.previewImage of a code
// image to long-press ("Recognise code"); "when hidden" calls wx.scanCode as the app goes to the
// background (refused). `img` in the page's query is such an image (a data URL).
Page({
  data: { enter: '', scene: '', img: '', result: '', canIUse: '' },
  onLoad(options) {
    const enter = wx.getEnterOptionsSync();
    const canIUse = {};
    for (const schema of ['scanCode', 'scanCode.object.onlyFromCamera', 'scanCode.object.scanType.qrCode', 'scanCode.object.scanType.barCode']) {
      canIUse[schema] = wx.canIUse(schema);
    }
    this.setData({
      canIUse: JSON.stringify(canIUse),
      enter: JSON.stringify({ scene: enter.scene, path: enter.path, query: enter.query }),
      scene: options.scene === undefined ? '' : decodeURIComponent(options.scene),
      img: options.img ? decodeURIComponent(options.img) : '',
    });
  },
  scan() {
    this.setData({ result: '' });
    wx.scanCode({
      success: (res) => this.setData({ result: JSON.stringify(res) }),
      fail: (err) => this.setData({ result: JSON.stringify(err) }),
    });
  },
  scanCamera() {
    this.setData({ result: '' });
    wx.scanCode({ onlyFromCamera: true }).then(
      (res) => this.setData({ result: JSON.stringify(res) }),
      (err) => this.setData({ result: JSON.stringify(err) }),
    );
  },
  preview() {
    wx.previewImage({ urls: [this.data.img] });
  },
  // An app in the background may not open the scanner over whatever the user is looking at:
  // armed here, the call is made as the app is left, and fails.
  scanWhenHidden() {
    this.setData({ result: 'armed' });
    this.scanOnHide = true;
  },
  onHide() {
    if (!this.scanOnHide) return;
    this.scanOnHide = false;
    wx.scanCode({
      success: (res) => this.setData({ result: JSON.stringify(res) }),
      fail: (err) => this.setData({ result: JSON.stringify(err) }),
    });
  },
});
