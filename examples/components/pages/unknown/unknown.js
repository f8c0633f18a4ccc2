Page({
  data: {
    message: 'bound text inside an unknown tag',
    taps: 0,
  },
  tapChild() {
    this.setData({ taps: this.data.taps + 1 });
  },
});
