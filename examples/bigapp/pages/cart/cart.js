const cart = require('../../utils/cart');
const data = require('../../utils/data');

Page({
  data: {
    lines: [],
    total: 0,
    selectedCount: 0,
    allSelected: false,
    editing: false,
    suggestions: [],
  },

  onLoad() {
    this.setData({ suggestions: data.products.filter((p) => p.id % 7 === 0) });
  },

  onShow() {
    this.refresh();
  },

  refresh() {
    this.setData(cart.view());
  },

  toggle(event) {
    const { id, spec } = event.currentTarget.dataset;
    cart.toggle(id, spec);
    this.refresh();
  },

  toggleAll() {
    cart.selectAll(!this.data.allSelected);
    this.refresh();
  },

  onQuantity(event) {
    const { id, spec } = event.currentTarget.dataset;
    cart.setQuantity(id, spec, event.detail.value);
    this.refresh();
  },

  toggleEdit() {
    this.setData({ editing: !this.data.editing });
  },

  removeSelected() {
    wx.showModal({
      title: 'Remove items',
      content: 'Remove the selected items from your cart?',
      success: (res) => {
        if (res.confirm) {
          cart.clearSelected();
          this.refresh();
        }
      },
    });
  },

  checkout() {
    if (!this.data.selectedCount) {
      wx.showToast({ title: 'Select an item first', icon: 'none' });
      return;
    }
    wx.navigateTo({ url: '/pages/checkout/checkout?from=cart' });
  },

  goShopping() {
    wx.switchTab({ url: '/pages/index/index' });
  },

  openProduct(event) {
    wx.navigateTo({ url: `/pages/product/product?id=${event.detail.id || event.currentTarget.dataset.id}` });
  },

  addSuggestion(event) {
    cart.add(event.detail.id, 1);
    this.refresh();
  },
});
