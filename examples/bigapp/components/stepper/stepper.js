Component({
  properties: {
    value: { type: Number, value: 1 },
    min: { type: Number, value: 1 },
    max: { type: Number, value: 99 },
  },
  methods: {
    minus() {
      if (this.data.value > this.data.min) this.change(this.data.value - 1);
    },
    plus() {
      if (this.data.value < this.data.max) this.change(this.data.value + 1);
    },
    change(value) {
      this.setData({ value });
      this.triggerEvent('change', { value });
    },
  },
});
