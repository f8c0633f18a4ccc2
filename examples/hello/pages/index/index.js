Page({
  data: { count: 0, names: ['WeChat', 'Miniapp'] },
  add() {
    this.setData({ count: this.data.count + 1 });
  },
});
