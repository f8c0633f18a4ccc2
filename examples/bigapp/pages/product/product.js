const data = require('../../utils/data');
const cart = require('../../utils/cart');

const SPECS = {
  phones: ['128GB Black', '256GB Silver', '512GB Blue'],
  computers: ['16GB / 512GB', '32GB / 1TB'],
  fashion: ['S', 'M', 'L', 'XL'],
  shoes: ['39', '40', '41', '42', '43'],
};

Page({
  data: {
    product: null,
    gallery: [],
    details: ['/images/detail/d1.jpg', '/images/detail/d2.jpg', '/images/detail/d3.jpg', '/images/detail/d4.jpg'],
    specs: [],
    spec: '',
    quantity: 1,
    related: [],
    favourite: false,
    cartCount: 0,
    current: 0,
  },

  onLoad(query) {
    const product = data.productById(query.id) || data.products[0];
    const specs = SPECS[product.category] || ['Standard'];
    const related = data.products.filter((p) => p.category === product.category && p.id !== product.id);
    this.setData({
      product,
      gallery: [product.image, data.products[(product.id + 9) % data.products.length].image, product.image],
      specs,
      spec: specs[0],
      related,
      cartCount: cart.count(),
    });
  },

  onShareAppMessage() {
    const product = this.data.product;
    return { title: product.title, path: `/pages/product/product?id=${product.id}`, imageUrl: product.image };
  },

  onSwiper(event) {
    this.setData({ current: event.detail.current });
  },

  preview(event) {
    wx.previewImage({ urls: this.data.gallery, current: event.currentTarget.dataset.src });
  },

  chooseSpec(event) {
    this.setData({ spec: event.currentTarget.dataset.spec });
  },

  onQuantity(event) {
    this.setData({ quantity: event.detail.value });
  },

  toggleFavourite() {
    this.setData({ favourite: !this.data.favourite });
    wx.showToast({ title: this.data.favourite ? 'Saved' : 'Removed', icon: 'none' });
  },

  addToCart() {
    cart.add(this.data.product.id, this.data.quantity, this.data.spec);
    this.setData({ cartCount: cart.count() });
    wx.showToast({ title: 'Added to cart', icon: 'success' });
  },

  buyNow() {
    cart.add(this.data.product.id, this.data.quantity, this.data.spec);
    wx.navigateTo({ url: `/pages/checkout/checkout?id=${this.data.product.id}` });
  },

  goCart() {
    wx.switchTab({ url: '/pages/cart/cart' });
  },

  openProduct(event) {
    wx.redirectTo({ url: `/pages/product/product?id=${event.detail.id}` });
  },
});
