// web-view: the page shows the site given in its query (`src`, URL-encoded); what the site posts
// (wx.miniProgram.postMessage) arrives in bindmessage when this page goes back, and is kept in
// globalData for the page below (`more`) to show.
Page({
  data: { src: '' },
  onLoad(query) {
    this.setData({ src: decodeURIComponent(query.src || '') });
  },
  record(kind, e) {
    const app = getApp();
    app.globalData.webview = Object.assign({}, app.globalData.webview, { [kind]: e.detail });
  },
  onMessage(e) {
    this.record('message', e);
  },
  onLoadWeb(e) {
    this.record('load', e);
  },
  onError(e) {
    this.record('error', e);
  },
});
