Component({
  options: {
    addGlobalClass: true,
  },
  properties: {
    product: { type: Object, value: null },
    layout: { type: String, value: 'grid' },
  },
  methods: {
    open() {
      this.triggerEvent('open', { id: this.data.product.id });
    },
    addCart() {
      this.triggerEvent('addcart', { id: this.data.product.id });
    },
  },
});
