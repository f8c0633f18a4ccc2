Page({
  data: {
    checkbox: '',
    radio: '',
    switchDetail: '',
    input: '',
    wrapped: '',
    submitted: '',
  },
  onCheckbox(event) {
    this.setData({ checkbox: JSON.stringify(event.detail) });
  },
  onRadio(event) {
    this.setData({ radio: JSON.stringify(event.detail) });
  },
  onSwitch(event) {
    this.setData({ switchDetail: JSON.stringify(event.detail) });
  },
  onFocus() {
    this.setData({ input: 'focused' });
  },
  onWrapped(event) {
    this.setData({ wrapped: JSON.stringify(event.detail) });
  },
  onSubmit(event) {
    this.setData({ submitted: JSON.stringify(event.detail.value) });
  },
});
