const cart = require('../../utils/cart');
const data = require('../../utils/data');
const address = require('../../utils/address');

Page({
  data: {
    address: null,
    lines: [],
    goods: 0,
    shipping: 0,
    coupon: null,
    discount: 0,
    payable: 0,
    note: '',
    submitting: false,
  },

  onShow() {
    const view = cart.view();
    const lines = view.lines.filter((line) => line.selected);
    const goods = view.total;
    const shipping = goods >= 99 ? 0 : 8;
    const coupon = data.coupons.find((c) => !c.used && goods >= c.threshold && c.amount < goods) || null;
    const discount = coupon ? coupon.amount : 0;
    this.setData({
      address: address.preferred(),
      lines,
      goods,
      shipping,
      coupon,
      discount,
      payable: Math.round((goods + shipping - discount) * 100) / 100,
    });
  },

  chooseAddress() {
    wx.navigateTo({ url: '/pages/address/address?select=1' });
  },

  onNote(event) {
    this.setData({ note: event.detail.value });
  },

  submit() {
    if (!this.data.address) {
      wx.showToast({ title: 'Add an address first', icon: 'none' });
      return;
    }
    this.setData({ submitting: true });
    wx.showLoading({ title: 'Placing order', mask: true });
    setTimeout(() => {
      wx.hideLoading();
      const orders = wx.getStorageSync('orders') || [];
      orders.unshift({
        id: `SO${Date.now()}`,
        status: 'unpaid',
        createdAt: Date.now(),
        total: this.data.payable,
        items: this.data.lines.map((line) => ({ id: line.id, quantity: line.quantity, spec: line.spec })),
      });
      wx.setStorageSync('orders', orders);
      cart.clearSelected();
      this.setData({ submitting: false });
      wx.redirectTo({ url: '/pages/orders/orders?status=unpaid&placed=1' });
    }, 600);
  },
});
