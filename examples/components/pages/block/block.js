Page({
  data: {
    mode: 'a',
    pairs: [
      { k: 'x', v: 'first' },
      { k: 'y', v: 'second' },
    ],
    numbers: [1, 2, 3, 4, 5, 6],
    hide: false,
  },
  setMode(event) {
    this.setData({ mode: event.currentTarget.dataset.mode });
  },
  addPair() {
    const k = `k${this.data.pairs.length}`;
    this.setData({ pairs: this.data.pairs.concat({ k, v: `value ${this.data.pairs.length}` }) });
  },
  removePair() {
    this.setData({ pairs: this.data.pairs.slice(0, -1) });
  },
  toggleHidden() {
    this.setData({ hide: !this.data.hide });
  },
});
