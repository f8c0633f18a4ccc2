Component({
  options: {
    multipleSlots: true,
  },
  properties: {
    placeholder: { type: String, value: 'Search' },
    value: { type: String, value: '' },
    // A read-only bar is a button that opens the search page.
    readonly: { type: Boolean, value: false },
    focus: { type: Boolean, value: false },
  },
  methods: {
    onTapBar() {
      if (this.data.readonly) this.triggerEvent('tapbar');
    },
    onInput(event) {
      this.setData({ value: event.detail.value });
      this.triggerEvent('input', { value: event.detail.value });
    },
    onConfirm(event) {
      this.triggerEvent('search', { value: event.detail.value });
    },
    onSearch() {
      this.triggerEvent('search', { value: this.data.value });
    },
    onClear() {
      this.setData({ value: '' });
      this.triggerEvent('input', { value: '' });
    },
  },
});
