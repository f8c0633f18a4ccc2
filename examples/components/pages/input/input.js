Page({
  data: {
    upper: '',
    values: {},
    maxValue: '',
    focusOn: false,
    focusState: 'none',
    confirmed: '',
    confirmCount: 0,
    modelValue: 'two-way',
    controlled: 'initial',
    lastKeyCode: '',
  },

  // A value returned from bindinput replaces the input's text.
  onUpper(event) {
    const upper = event.detail.value.toUpperCase();
    this.setData({ upper, lastKeyCode: String(event.detail.keyCode) });
    return upper;
  },

  onTyped(event) {
    const key = event.currentTarget.dataset.key;
    this.setData({ [`values.${key}`]: event.detail.value });
  },

  onMax(event) {
    this.setData({ maxValue: event.detail.value });
  },

  onFocus(event) {
    this.setData({ focusState: `focus ${event.currentTarget.id} value="${event.detail.value}"` });
  },

  onBlur(event) {
    this.setData({ focusState: `blur ${event.currentTarget.id} value="${event.detail.value}"`, focusOn: false });
  },

  onConfirm(event) {
    this.setData({ confirmed: event.detail.value, confirmCount: this.data.confirmCount + 1 });
  },

  focusIt() {
    this.setData({ focusOn: true });
  },

  setControlled() {
    this.setData({ controlled: 'set by code' });
  },
});
