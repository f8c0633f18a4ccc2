// Every lifecycle call, of the App, the pages and the components, is appended to
// globalData.log as one line; each page shows that list in <view id="log">.
const { fmt, oneLine } = require('./utils/fmt');

const MAX_LINES = 300;

App({
  globalData: {
    log: [],
    launchOptions: null,
    showCount: 0,
  },

  onLaunch(options) {
    this.globalData.launchOptions = options;
    this.log(`App.onLaunch path=${options.path} query=${fmt(options.query)} scene=${options.scene}`);
  },

  onShow(options) {
    this.globalData.showCount += 1;
    this.log(`App.onShow path=${options.path} query=${fmt(options.query)} scene=${options.scene}`);
  },

  onHide() {
    this.log('App.onHide');
  },

  onError(message) {
    this.log(`App.onError ${oneLine(message)}`);
  },

  onUnhandledRejection(res) {
    const reason = res && res.reason;
    const text = reason && reason.message ? reason.message : String(reason);
    this.log(`App.onUnhandledRejection ${oneLine(text)}`);
  },

  onPageNotFound(res) {
    this.log(`App.onPageNotFound path=${res.path} query=${fmt(res.query)} isEntryPage=${res.isEntryPage}`);
    // The home page is a tab page: reLaunch can open it and still pass a query.
    wx.reLaunch({ url: '/pages/index/index?from=notfound' });
  },

  // Appends one line and, on the next tick, copies the log into every open page that shows it.
  log(line) {
    const log = this.globalData.log;
    log.push(line);
    if (log.length > MAX_LINES) log.splice(0, log.length - MAX_LINES);
    this.scheduleFlush();
  },

  clearLog() {
    this.globalData.log = [];
    this.scheduleFlush();
  },

  scheduleFlush() {
    if (this.flushPending) return;
    this.flushPending = true;
    setTimeout(() => {
      this.flushPending = false;
      const lines = this.globalData.log.slice();
      getCurrentPages().forEach((page) => {
        if (page && !page.unloaded && page.data && Array.isArray(page.data.log)) {
          page.setData({ log: lines });
        }
      });
    }, 0);
  },
});
