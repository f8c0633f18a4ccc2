Page({
  data: {
    fruits: [
      { value: 'apple', name: 'Apple', checked: true },
      { value: 'pear', name: 'Pear', checked: false },
      { value: 'plum', name: 'Plum', checked: false },
    ],
    detail: '',
    count: 0,
    codeChecked: false,
    codeDetail: '',
    agreed: false,
  },
  onChange(event) {
    this.setData({ detail: JSON.stringify(event.detail), count: this.data.count + 1 });
  },
  onCodeChange(event) {
    this.setData({ codeDetail: JSON.stringify(event.detail) });
  },
  onToggleCode() {
    this.setData({ codeChecked: !this.data.codeChecked });
  },
});
