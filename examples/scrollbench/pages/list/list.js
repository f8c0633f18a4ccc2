// A 1,000-row scroll-view list with an image per row, as a shop's product list: while the user
// scrolls, the page updates what a real page updates (the scroll position it shows in a bar,
// a "hot" row changing price every 100 ms), so bench/bench_scroll.py measures scrolling and
// rendering together.
const ROWS = 1000;
const IMAGES = 12;

Page({
  data: { rows: [], scrollTop: 0, updates: 0, lowers: 0 },
  onLoad() {
    const rows = [];
    for (let i = 0; i < ROWS; i += 1) {
      rows.push({ id: i, name: `Item ${i}`, price: (i * 1.5).toFixed(2), image: `/images/p${i % IMAGES}.png`, hot: false });
    }
    this.setData({ rows });
  },
  onReady() {
    this.timer = setInterval(() => this.tick(), 100);
  },
  onUnload() {
    clearInterval(this.timer);
  },
  tick() {
    // The row just below the bar, wherever the list is: the update lands on screen.
    const row = Math.min(ROWS - 1, Math.floor(this.data.scrollTop / 64) + 2);
    const n = this.data.updates + 1;
    this.setData({ [`rows[${row}].price`]: (n % 997).toFixed(2), [`rows[${row}].hot`]: n % 2 === 0, updates: n });
  },
  onScroll(e) {
    this.setData({ scrollTop: Math.round(e.detail.scrollTop) });
  },
  onLower() {
    this.setData({ lowers: this.data.lowers + 1 });
  },
  onTap() {},
});
