// The choosers: wx.chooseImage / wx.chooseMedia (album or camera; the camera needs scope.camera),
// wx.chooseLocation (scope.userLocation) and wx.saveImageToPhotosAlbum (scope.writePhotosAlbum).
// Chosen files are temp files: shown with <image>, measured with wx.getFileInfo, saved back to
// the album. "Camera when hidden" calls wx.chooseImage as the app goes to the background (refused).
// Each result is numbered, so a second answer shows even when it is the same as the first.
Page({
  data: { canIUse: '', images: [], imageResult: '', sizes: '', mediaResult: '', locationResult: '', saveResult: '', hiddenResult: '' },
  onLoad() {
    const canIUse = {};
    for (const name of ['chooseImage', 'chooseMedia', 'chooseLocation', 'saveImageToPhotosAlbum']) canIUse[name] = wx.canIUse(name);
    this.setData({ canIUse: JSON.stringify(canIUse) });
    this.calls = {};
  },
  show(key, text) {
    this.calls[key] = (this.calls[key] || 0) + 1;
    this.setData({ [key]: `${this.calls[key]} ${text}` });
  },
  // Each file's size as chooseImage gave it and as wx.getFileInfo measures it.
  showImages(res) {
    const paths = res.tempFilePaths;
    Promise.all(paths.map((filePath) => wx.getFileInfo({ filePath }))).then((infos) => {
      const sizes = res.tempFiles.map((file, i) => `${file.size}=${infos[i].size}`).join(' ');
      this.setData({ images: paths, sizes });
      this.show('imageResult', `${res.errMsg} ${paths.length}`);
    });
  },
  choose(sourceType) {
    wx.chooseImage({
      count: 2,
      sourceType,
      success: (res) => this.showImages(res),
      fail: (err) => this.show('imageResult', err.errMsg),
    });
  },
  chooseAlbum() {
    this.choose(['album']);
  },
  chooseCamera() {
    this.choose(['camera']);
  },
  chooseEither() {
    this.choose(['album', 'camera']);
  },
  chooseMedia() {
    wx.chooseMedia({ count: 3, mediaType: ['image'], sourceType: ['album'] }).then(
      (res) => {
        const files = res.tempFiles.map((f) => `${f.fileType} ${f.width}x${f.height} ${f.size}`);
        this.setData({ images: res.tempFiles.map((f) => f.tempFilePath) });
        this.show('mediaResult', `${res.errMsg} ${res.type} ${files.join(', ')}`);
      },
      (err) => this.show('mediaResult', err.errMsg),
    );
  },
  chooseLocation() {
    wx.chooseLocation({ latitude: 39.9042, longitude: 116.4074 }).then(
      (res) => this.show('locationResult', `${res.errMsg} ${res.name} | ${res.address} | ${res.latitude},${res.longitude}`),
      (err) => this.show('locationResult', err.errMsg),
    );
  },
  saveImage() {
    wx.saveImageToPhotosAlbum({ filePath: this.data.images[0] || `${wx.env.USER_DATA_PATH}/missing.png` }).then(
      (res) => this.show('saveResult', res.errMsg),
      (err) => this.show('saveResult', err.errMsg),
    );
  },
  // An app in the background may not open the camera: armed here, the call is made as the app
  // is left, and fails.
  cameraWhenHidden() {
    this.setData({ hiddenResult: 'armed' });
    this.cameraOnHide = true;
  },
  onHide() {
    if (!this.cameraOnHide) return;
    this.cameraOnHide = false;
    wx.chooseImage({
      sourceType: ['camera'],
      success: (res) => this.setData({ hiddenResult: res.errMsg }),
      fail: (err) => this.setData({ hiddenResult: err.errMsg }),
    });
  },
});
