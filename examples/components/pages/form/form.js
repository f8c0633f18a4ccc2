function sorted(value) {
  if (Array.isArray(value)) return value.map(sorted);
  if (value && typeof value === 'object') {
    const out = {};
    Object.keys(value).sort().forEach((k) => { out[k] = sorted(value[k]); });
    return out;
  }
  return value;
}

Page({
  data: {
    fruits: [
      { value: 'apple', name: 'Apple', checked: true },
      { value: 'pear', name: 'Pear', checked: false },
      { value: 'plum', name: 'Plum', checked: false },
    ],
    sizes: ['S', 'M', 'L'],
    cities: ['Beijing', 'Shanghai', 'Shenzhen'],
    cityIndex: 0,
    time: '09:30',
    date: '2024-05-01',
    checkboxValue: '',
    radioValue: '',
    switchValue: '',
    sliderValue: '',
    sliderChanging: '',
    pickerValue: '',
    textareaValue: '',
    submitted: '',
    formId: '',
  },

  onCheckbox(event) {
    this.setData({ checkboxValue: JSON.stringify(event.detail.value) });
  },
  onRadio(event) {
    this.setData({ radioValue: event.detail.value });
  },
  onSwitch(event) {
    this.setData({ switchValue: String(event.detail.value) });
  },
  onSlider(event) {
    this.setData({ sliderValue: String(event.detail.value) });
  },
  onSliding(event) {
    this.setData({ sliderChanging: String(event.detail.value) });
  },
  onPicker(event) {
    const index = Number(event.detail.value);
    this.setData({ cityIndex: index, pickerValue: `${index}:${this.data.cities[index]}` });
  },
  onTime(event) {
    this.setData({ time: event.detail.value });
  },
  onDate(event) {
    this.setData({ date: event.detail.value });
  },
  onTextarea(event) {
    this.setData({ textareaValue: event.detail.value });
  },
  onSubmit(event) {
    this.setData({
      submitted: JSON.stringify(sorted(event.detail.value)),
      formId: typeof event.detail.formId === 'string' ? event.detail.formId : 'none',
    });
  },
  onReset() {
    this.setData({ submitted: 'reset' });
  },
});
