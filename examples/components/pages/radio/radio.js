Page({
  data: {
    sizes: ['S', 'M', 'L'],
    detail: '',
    count: 0,
    picked: 'a',
  },
  onChange(event) {
    this.setData({ detail: JSON.stringify(event.detail), count: this.data.count + 1 });
  },
  onPickB() {
    this.setData({ picked: 'b' });
  },
});
