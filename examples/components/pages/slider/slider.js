Page({
  data: {
    changing: '',
    detail: '',
    count: 0,
    styledDetail: '',
    level: 20,
  },
  onChanging(event) {
    const list = this.data.changing ? this.data.changing.split(',') : [];
    list.push(String(event.detail.value));
    this.setData({ changing: list.join(',') });
  },
  onChange(event) {
    this.setData({ detail: JSON.stringify(event.detail), count: this.data.count + 1 });
  },
  onStyled(event) {
    this.setData({ styledDetail: JSON.stringify(event.detail) });
  },
});
