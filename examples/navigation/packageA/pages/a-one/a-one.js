const { greet } = require('../../utils/greet');
const { show, stackInfo } = require('../../../utils/show');

Page({
  data: {
    query: '',
    greeting: '',
    route: '',
    stackLength: 0,
    appShows: 0,
  },
  onLoad(query) {
    this.setData({
      query: show(query),
      greeting: greet('a-one'),
      route: this.route,
      appShows: getApp().globalData.shows,
    });
  },
  onShow() {
    this.setData({ stackLength: stackInfo().length });
  },
  next() {
    wx.navigateTo({ url: '/packageA/pages/a-two/a-two?from=a-one' });
  },
});
