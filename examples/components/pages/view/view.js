Page({
  data: {
    taps: 0,
    innerTaps: 0,
    outerTaps: 0,
    last: '',
  },
  tapBox() {
    this.setData({ taps: this.data.taps + 1, last: 'hover-box' });
  },
  tapInner() {
    this.setData({ innerTaps: this.data.innerTaps + 1, last: 'hover-inner' });
  },
  tapOuter() {
    this.setData({ outerTaps: this.data.outerTaps + 1 });
  },
});
