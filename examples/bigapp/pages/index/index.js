const data = require('../../utils/data');
const cart = require('../../utils/cart');

// The first screen shows one page of products; more arrive as the user scrolls (onReachBottom),
// as WeChat's performance guide advises: first-screen data small, the rest paged.
const PAGE_SIZE = 10;

const NOTICES = [
  'Free shipping on orders over ¥99',
  'New members get a ¥10 coupon',
  'Order before 22:00 for next-day delivery',
];

Page({
  data: {
    banners: [],
    categories: [],
    products: [],
    notice: '',
    hotWord: '',
    bannerIndex: 0,
    refreshedAt: '',
    total: 0,
  },

  onLoad() {
    // The whole first screen comes from one setData.
    this.setData({
      banners: data.banners,
      categories: data.categories,
      products: data.products.slice(0, PAGE_SIZE),
      total: data.products.length,
      notice: NOTICES[0],
      hotWord: data.hotWords[0],
    });
  },

  onReachBottom() {
    const shown = this.data.products.length;
    if (shown >= data.products.length) return;
    const next = data.products.slice(shown, shown + PAGE_SIZE);
    // Only the new rows cross to the view: one data path per appended product.
    const patch = {};
    next.forEach((product, i) => {
      patch[`products[${shown + i}]`] = product;
    });
    this.setData(patch);
  },

  onPullDownRefresh() {
    const notice = NOTICES[(NOTICES.indexOf(this.data.notice) + 1) % NOTICES.length];
    this.setData({ notice, refreshedAt: new Date().toLocaleTimeString() }, () => wx.stopPullDownRefresh());
  },

  onShareAppMessage() {
    return { title: 'Mini Shop: deals every day', path: '/pages/index/index' };
  },

  onBannerChange(event) {
    this.setData({ bannerIndex: event.detail.current });
  },

  openSearch() {
    wx.navigateTo({ url: `/pages/search/search?hint=${encodeURIComponent(this.data.hotWord)}` });
  },

  openBanner(event) {
    const id = event.currentTarget.dataset.id;
    const category = ['', 'food', 'phones', 'food'][id] || 'phones';
    wx.navigateTo({ url: `/pages/list/list?category=${category}` });
  },

  openCategory(event) {
    wx.navigateTo({ url: `/pages/list/list?category=${event.currentTarget.dataset.id}` });
  },

  openProduct(event) {
    wx.navigateTo({ url: `/pages/product/product?id=${event.detail.id}` });
  },

  addToCart(event) {
    cart.add(event.detail.id, 1);
    wx.showToast({ title: 'Added to cart', icon: 'success', duration: 1000 });
  },
});
