const { show, stackInfo } = require('../../utils/show');

Page({
  data: {
    stackLength: 0,
    shows: 0,
    tabTap: '',
  },
  onShow() {
    this.setData({ stackLength: stackInfo().length, shows: this.data.shows + 1 });
  },
  onTabItemTap(item) {
    this.setData({ tabTap: show(item) });
  },
});
