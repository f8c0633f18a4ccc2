const years = [];
for (let y = 2018; y <= 2030; y++) years.push(y);
const months = [];
for (let m = 1; m <= 12; m++) months.push(m);
const days = [];
for (let d = 1; d <= 31; d++) days.push(d);

Page({
  data: {
    years,
    months,
    days,
    value: [6, 4, 0],
    result: '',
    picks: '',
    letters: ['A', 'B', 'C', 'D', 'E', 'F', 'G'],
    immediate: '',
  },
  onChange(e) {
    this.setData({ value: e.detail.value, result: JSON.stringify(e.detail) });
  },
  onPickStart() {
    this.setData({ picks: this.data.picks + 'start ' });
  },
  onPickEnd() {
    this.setData({ picks: this.data.picks + 'end ' });
  },
  setValue() {
    this.setData({ value: [3, 6, 14] });
  },
  onImmediate(e) {
    this.setData({ immediate: JSON.stringify(e.detail) });
  },
});
