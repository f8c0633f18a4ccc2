Page({
  data: {
    activePercent: 0,
    forwardPercent: 30,
    activeEnd: '',
    forwardsEnd: '',
  },
  onRun() {
    this.setData({ activePercent: 60, activeEnd: '' });
  },
  onForwards() {
    this.setData({ forwardPercent: this.data.forwardPercent + 30, forwardsEnd: '' });
  },
  onActiveEnd(event) {
    this.setData({ activeEnd: JSON.stringify(event.detail) });
  },
  onForwardsEnd(event) {
    this.setData({ forwardsEnd: JSON.stringify(event.detail) });
  },
});
