const { show } = require('../../utils/show');

Page({
  data: {
    statusBarHeight: 20,
    navHeight: 44,
    menu: '',
  },

  onLoad() {
    const info = wx.getWindowInfo ? wx.getWindowInfo() : wx.getSystemInfoSync();
    // 0 where there is no status bar to leave room for (a desktop browser).
    const data = { statusBarHeight: typeof info.statusBarHeight === 'number' ? info.statusBarHeight : 20 };
    if (wx.getMenuButtonBoundingClientRect) {
      const rect = wx.getMenuButtonBoundingClientRect();
      data.menu = show(rect);
      if (rect && rect.height) {
        // The bar is as tall as the capsule plus the same gap above and below it.
        data.navHeight = rect.height + (rect.top - data.statusBarHeight) * 2;
      }
    }
    this.setData(data);
  },

  back() {
    wx.navigateBack();
  },
});
