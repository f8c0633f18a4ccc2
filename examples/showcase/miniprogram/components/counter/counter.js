Component({
  options: { addGlobalClass: true },
  properties: { value: { type: Number, value: 0, observer: 'clamp' }, max: { type: Number, value: 99 } },
  methods: {
    clamp(value) { if (value > this.data.max) this.setData({ value: this.data.max }); },
    increment() { this.setData({ value: this.data.value + 1 }); this.triggerEvent('change', { value: this.data.value }); },
  },
});
