const { show, pick } = require('../../utils/show');

const SYSTEM_FIELDS = ['platform', 'windowWidth', 'windowHeight', 'screenWidth', 'screenHeight', 'pixelRatio', 'statusBarHeight', 'language', 'version', 'SDKVersion'];
const WINDOW_FIELDS = ['windowWidth', 'windowHeight', 'screenWidth', 'screenHeight', 'pixelRatio', 'statusBarHeight', 'safeArea'];
const LAUNCH_FIELDS = ['path', 'query', 'scene', 'referrerInfo'];
const CAN_I_USE = [
  'request',
  'getSystemInfoSync.return.windowWidth',
  'showToast.object.icon',
  'button.open-type.share',
  'getWindowInfo',
  'nextTick',
  'thisApiDoesNotExist',
];

Page({
  data: {
    system: '',
    windowInfo: '',
    launch: '',
    enter: '',
    performance: '',
    canIUse: [],
    tickOrder: '',
    tickData: '',
    count: 0,
  },

  onLoad() {
    const system = wx.getSystemInfoSync();
    const windowInfo = wx.getWindowInfo();
    const launch = wx.getLaunchOptionsSync();
    const enter = wx.getEnterOptionsSync();
    this.setData({
      system: show(pick(system, SYSTEM_FIELDS)),
      windowInfo: show(pick(windowInfo, WINDOW_FIELDS)),
      launch: show(pick(launch, LAUNCH_FIELDS)),
      enter: show(pick(enter, LAUNCH_FIELDS)),
      canIUse: CAN_I_USE.map((name) => ({ name, ok: wx.canIUse(name) })),
    });
    this.readPerformance();
  },

  readPerformance() {
    const performance = wx.getPerformance();
    const entries = performance && performance.getEntries ? performance.getEntries() : [];
    const names = entries.map((entry) => `${entry.entryType}/${entry.name}`);
    this.setData({ performance: show({ count: entries.length, entries: names }) });
  },

  // setData changes this.data at once; nextTick runs after the current code, before timers.
  runNextTick() {
    const order = ['sync-start'];
    this.setData({ count: this.data.count + 1 });
    wx.nextTick(() => {
      order.push(`nextTick(count=${this.data.count})`);
    });
    setTimeout(() => {
      order.push('setTimeout0');
      this.setData({ tickOrder: order.join(' > ') });
    }, 0);
    order.push('sync-end');
  },
});
