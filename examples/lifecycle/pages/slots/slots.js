const app = getApp();

Page({
  data: {
    log: [],
    counter: 0,
    showExtra: false,
  },

  onLoad() {
    app.log('slots.onLoad');
    this.setData({ log: app.globalData.log.slice() });
  },

  onUnload() {
    this.unloaded = true;
  },

  // Slot content belongs to the page: it is bound to page data.
  bump() {
    this.setData({ counter: this.data.counter + 1 });
  },

  toggleExtra() {
    this.setData({ showExtra: !this.data.showExtra });
  },

  clearLog() {
    app.clearLog();
  },
});
