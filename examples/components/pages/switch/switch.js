Page({
  data: {
    detail: '',
    count: 0,
    on: false,
  },
  onChange(event) {
    const key = event.currentTarget.dataset.key;
    this.setData({ detail: `${key} ${JSON.stringify(event.detail)}`, count: this.data.count + 1 });
  },
  onSetOn() {
    this.setData({ on: true });
  },
});
