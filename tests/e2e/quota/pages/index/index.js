// A test fixture: writes past the storage quotas (1 MB a key, 10 MB an app) and shows what
// WeChat's APIs answered.
const MB = 1024 * 1024;

Page({
  data: { sync: '', async: '', total: '', info: '' },
  fill() {
    let sync = '';
    try {
      wx.setStorageSync('big', 'x'.repeat(MB + 10));
      sync = 'stored';
    } catch (error) {
      sync = error.message;
    }
    const chunk = 'y'.repeat(MB - 100);
    let stored = 0;
    let total = '';
    for (let i = 0; i < 11; i += 1) {
      try {
        wx.setStorageSync(`k${i}`, chunk);
        stored += 1;
      } catch (error) {
        total = `${stored} stored, then ${error.message}`;
        break;
      }
    }
    wx.setStorage({
      key: 'big2',
      data: 'z'.repeat(MB + 10),
      fail: (res) => {
        const info = wx.getStorageInfoSync();
        this.setData({ sync, total, async: res.errMsg, info: `${info.keys.length} keys, limit ${info.limitSize} KB` });
      },
      success: () => this.setData({ sync, total, async: 'stored' }),
    });
  },
});
