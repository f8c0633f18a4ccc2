const app = getApp();
const { fmt } = require('../../utils/fmt');

Page({
  data: {
    log: [],
    query: '',
    route: '',
    stackLength: 0,
    greeting: '',
  },

  onLoad(query) {
    app.log(`second.onLoad ${fmt(query)}`);
    this.setData({ query: fmt(query), route: this.route, log: app.globalData.log.slice() });
    const channel = this.getOpenerEventChannel();
    if (channel && channel.on) {
      channel.on('greet', (data) => {
        app.log(`second.eventChannel.greet ${fmt(data)}`);
        this.setData({ greeting: fmt(data) });
      });
    }
  },

  onShow() {
    app.log('second.onShow');
    this.setData({ stackLength: getCurrentPages().length });
  },

  onReady() {
    app.log('second.onReady');
  },

  onHide() {
    app.log('second.onHide');
  },

  onUnload() {
    this.unloaded = true;
    app.log('second.onUnload');
  },

  sendAck() {
    this.getOpenerEventChannel().emit('ack', { from: 'second', id: JSON.parse(this.data.query).id });
  },

  back() {
    wx.navigateBack({ delta: 1 });
  },

  pushAgain() {
    const depth = getCurrentPages().length;
    wx.navigateTo({ url: `/pages/second/second?id=${depth}&name=again` });
  },

  redirectToError() {
    wx.redirectTo({ url: '/pages/error/error?from=second' });
  },

  relaunchHome() {
    wx.reLaunch({ url: '/pages/index/index?from=relaunch' });
  },

  clearLog() {
    app.clearLog();
  },
});
