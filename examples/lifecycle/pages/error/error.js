const app = getApp();
const { fmt } = require('../../utils/fmt');

Page({
  data: {
    log: [],
    query: '',
    taps: 0,
  },

  onLoad(query) {
    app.log(`error.onLoad ${fmt(query)}`);
    this.setData({ query: fmt(query), log: app.globalData.log.slice() });
  },

  onShow() {
    app.log('error.onShow');
  },

  onUnload() {
    this.unloaded = true;
    app.log('error.onUnload');
  },

  // An uncaught exception in an event handler reaches App.onError.
  throwError() {
    this.setData({ taps: this.data.taps + 1 });
    throw new Error('lifecycle-test-error');
  },

  // A rejected promise nobody handles reaches App.onUnhandledRejection.
  rejectPromise() {
    Promise.reject(new Error('lifecycle-test-rejection'));
  },

  back() {
    wx.navigateBack();
  },

  clearLog() {
    app.clearLog();
  },
});
