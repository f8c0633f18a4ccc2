Page({
  data: {
    input: '',
    focus: '',
    blur: '',
    line: '',
    text: 'hello',
    maxValue: '',
    confirm: '',
    confirmCount: 0,
    note: 'two-way',
  },
  onInput(event) {
    this.setData({ input: JSON.stringify(event.detail) });
  },
  onFocus(event) {
    this.setData({ focus: JSON.stringify(event.detail) });
  },
  onBlur(event) {
    this.setData({ blur: JSON.stringify(event.detail) });
  },
  onLine(event) {
    this.setData({ line: JSON.stringify(event.detail) });
  },
  onMax(event) {
    this.setData({ maxValue: event.detail.value });
  },
  onSetText() {
    this.setData({ text: 'set by code' });
  },
  onConfirm(event) {
    this.setData({ confirm: JSON.stringify(event.detail), confirmCount: this.data.confirmCount + 1 });
  },
});
