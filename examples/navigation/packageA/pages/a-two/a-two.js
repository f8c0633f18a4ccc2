const { greet } = require('../../utils/greet');
const { stackInfo } = require('../../../utils/show');

Page({
  data: {
    greeting: '',
    routes: '',
  },
  onLoad() {
    this.setData({ greeting: greet('a-two'), routes: stackInfo().routes });
  },
  backTwo() {
    wx.navigateBack({ delta: 2 });
  },
});
