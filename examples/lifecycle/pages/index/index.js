const app = getApp();
const { fmt } = require('../../utils/fmt');

function fillerRows(count) {
  const rows = [];
  for (let i = 1; i <= count; i += 1) rows.push({ id: i, text: `Filler row ${i}: scroll down to reach the bottom` });
  return rows;
}

Page({
  data: {
    log: [],
    query: '',
    route: '',
    stackLength: 0,
    scrollTop: 0,
    pullCount: 0,
    reachBottomCount: 0,
    tabTap: '',
    tabTapCount: 0,
    share: '',
    channel: '',
    missing: '',
    rows: fillerRows(40),
  },

  onLoad(query) {
    app.log(`index.onLoad ${fmt(query)}`);
    this.setData({ query: fmt(query), route: this.route, log: app.globalData.log.slice() });
  },

  onShow() {
    app.log('index.onShow');
    this.setData({ stackLength: getCurrentPages().length });
  },

  onReady() {
    app.log('index.onReady');
  },

  onHide() {
    app.log('index.onHide');
  },

  onUnload() {
    this.unloaded = true;
    app.log('index.onUnload');
  },

  onPullDownRefresh() {
    app.log('index.onPullDownRefresh');
    this.setData({ pullCount: this.data.pullCount + 1 });
    wx.stopPullDownRefresh({
      complete: (res) => app.log(`index.stopPullDownRefresh ${res.errMsg}`),
    });
  },

  onReachBottom() {
    app.log('index.onReachBottom');
    this.setData({ reachBottomCount: this.data.reachBottomCount + 1 });
  },

  onPageScroll(event) {
    // Not logged (it fires on every frame of a scroll); the last value is shown instead.
    this.setData({ scrollTop: Math.round(event.scrollTop) });
  },

  onShareAppMessage(res) {
    const result = { title: 'Lifecycle demo', path: '/pages/index/index?from=share' };
    app.log(`index.onShareAppMessage from=${res.from}`);
    this.setData({ share: fmt({ from: res.from, returned: result }) });
    return result;
  },

  onTabItemTap(item) {
    app.log(`index.onTabItemTap index=${item.index} pagePath=${item.pagePath} text=${item.text}`);
    this.setData({ tabTap: fmt(item), tabTapCount: this.data.tabTapCount + 1 });
  },

  goSecond() {
    wx.navigateTo({
      url: '/pages/second/second?id=42&name=alpha',
      events: {
        // The second page calls eventChannel.emit('ack', ...).
        ack: (data) => {
          app.log(`index.eventChannel.ack ${fmt(data)}`);
          this.setData({ channel: fmt(data) });
        },
      },
      success: (res) => {
        res.eventChannel.emit('greet', { from: 'index', n: 1 });
      },
    });
  },

  goError() {
    wx.navigateTo({ url: '/pages/error/error' });
  },

  goMissing() {
    wx.navigateTo({
      url: '/pages/does-not-exist/page',
      success: () => this.setData({ missing: 'success (unexpected)' }),
      fail: (err) => this.setData({ missing: err.errMsg }),
    });
  },

  goComps() {
    wx.switchTab({ url: '/pages/comps/comps' });
  },

  scrollToBottom() {
    wx.pageScrollTo({ scrollTop: 100000, duration: 0 });
  },

  clearLog() {
    app.clearLog();
  },
});
