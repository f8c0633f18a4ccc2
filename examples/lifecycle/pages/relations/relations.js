const app = getApp();

let next = 4;

Page({
  data: {
    log: [],
    items: ['1', '2', '3'],
  },

  onLoad() {
    app.log('relations.onLoad');
    this.setData({ log: app.globalData.log.slice() });
  },

  onUnload() {
    this.unloaded = true;
    app.log('relations.onUnload');
  },

  addItem() {
    this.setData({ items: this.data.items.concat(String(next)) });
    next += 1;
  },

  removeLast() {
    this.setData({ items: this.data.items.slice(0, -1) });
  },

  clearLog() {
    app.clearLog();
  },
});
