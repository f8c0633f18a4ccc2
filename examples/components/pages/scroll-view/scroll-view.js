function makeItems(start, count) {
  const items = [];
  for (let i = start; i < start + count; i += 1) items.push({ id: i, text: `Item ${i}` });
  return items;
}

const MAX_ITEMS = 60;

Page({
  data: {
    items: makeItems(0, 20),
    lowerCount: 0,
    upperCount: 0,
    scrollTopShown: 0,
    scrollTop: 0,
    intoView: '',
    loading: false,
    noMore: false,
    xItems: makeItems(0, 12),
    scrollLeft: 0,
    scrollLeftShown: 0,
    triggered: false,
    refreshCount: 0,
    refreshState: 'idle',
    restoreCount: 0,
    refreshItems: makeItems(100, 8),
  },

  onScroll(event) {
    this.setData({ scrollTopShown: Math.round(event.detail.scrollTop) });
  },

  onUpper() {
    this.setData({ upperCount: this.data.upperCount + 1 });
  },

  // Loads 10 more items each time the list reaches its bottom, up to 60.
  onLower() {
    const lowerCount = this.data.lowerCount + 1;
    if (this.data.items.length >= MAX_ITEMS) {
      this.setData({ lowerCount, noMore: true });
      return;
    }
    this.setData({
      lowerCount,
      items: this.data.items.concat(makeItems(this.data.items.length, 10)),
    });
  },

  intoView(event) {
    this.setData({ intoView: event.currentTarget.dataset.target });
  },

  setTop(event) {
    this.setData({ scrollTop: Number(event.currentTarget.dataset.top) });
  },

  onScrollX(event) {
    this.setData({ scrollLeftShown: Math.round(event.detail.scrollLeft) });
  },

  setLeft(event) {
    this.setData({ scrollLeft: Number(event.currentTarget.dataset.left) });
  },

  onRefresh() {
    this.setData({ refreshCount: this.data.refreshCount + 1, refreshState: 'refreshing' });
    setTimeout(() => {
      const first = this.data.refreshItems[0].id - 1;
      this.setData({
        refreshItems: [{ id: first, text: `Item ${first} (refreshed)` }].concat(this.data.refreshItems),
        triggered: false,
        refreshState: 'done',
      });
    }, 300);
  },

  onRestore() {
    this.setData({ restoreCount: this.data.restoreCount + 1 });
  },

  triggerRefresh() {
    this.setData({ triggered: true });
  },
});
