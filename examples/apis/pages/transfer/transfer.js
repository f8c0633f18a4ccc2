// wx.downloadFile, wx.saveFile and wx.uploadFile through the platform's proxy. The page's query
// `base` is the file server (in WeChat: one of the app's download/upload domains).
Page({
  data: { base: '', tempFilePath: '', savedFilePath: '', shown: '', downloadResult: '', progress: '', loadResult: '', saveResult: '', uploadResult: '' },
  onLoad(query) {
    this.setData({ base: decodeURIComponent(query.base || 'https://example.com') });
  },
  download() {
    const task = wx.downloadFile({
      url: `${this.data.base}/pic.png`,
      success: (res) => {
        this.setData({
          tempFilePath: res.tempFilePath,
          shown: res.tempFilePath,
          downloadResult: JSON.stringify({ errMsg: res.errMsg, statusCode: res.statusCode, temp: /^http:\/\/tmp\/\w+\.png$/.test(res.tempFilePath) }),
        });
      },
      fail: (err) => this.setData({ downloadResult: JSON.stringify(err) }),
    });
    task.onProgressUpdate((p) => this.setData({ progress: JSON.stringify(p) }));
  },
  onImageLoad(e) {
    this.setData({ loadResult: JSON.stringify(e.detail) });
  },
  save() {
    wx.saveFile({
      tempFilePath: this.data.tempFilePath,
      success: (res) => {
        wx.getSavedFileList({
          success: (list) => {
            // The image is made again for the saved file, so its load is reported again.
            this.setData({ shown: '', loadResult: '' }, () => {
              this.setData({
                savedFilePath: res.savedFilePath,
                shown: res.savedFilePath,
                saveResult: JSON.stringify({ errMsg: res.errMsg, stored: /^wxfile:\/\/store_/.test(res.savedFilePath), count: list.fileList.length, size: list.fileList[0] && list.fileList[0].size }),
              });
            });
          },
        });
      },
      fail: (err) => this.setData({ saveResult: JSON.stringify(err) }),
    });
  },
  upload() {
    wx.uploadFile({
      url: `${this.data.base}/upload`,
      filePath: this.data.savedFilePath || this.data.tempFilePath,
      name: 'photo',
      formData: { user: '小明' },
      success: (res) => this.setData({ uploadResult: JSON.stringify({ errMsg: res.errMsg, statusCode: res.statusCode, data: res.data }) }),
      fail: (err) => this.setData({ uploadResult: JSON.stringify(err) }),
    });
  },
  downloadMissing() {
    wx.downloadFile({ url: `${this.data.base}/missing` }).then(
      (res) => this.setData({ downloadResult: JSON.stringify({ statusCode: res.statusCode }) }),
      (err) => this.setData({ downloadResult: JSON.stringify(err) }),
    );
  },
});
