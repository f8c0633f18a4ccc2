const api = require('../../utils/api.js');
const { formatPrice } = require('/utils/format');

Page({
  data: {
    greeting: 'Hello',
    user: { name: 'Ann', vip: true, level: 3 },
    products: [
      { id: 1, title: 'Tea', price: 1200, tags: ['hot', 'new'] },
      { id: 2, title: 'Cake', price: 2500, tags: [] },
    ],
    matrix: [[1, 2], [3, 4]],
    letters: ['a', 'b', 'c'],
    stock: { tea: 3, cake: 0 },
    keyword: '',
    form: { note: '' },
    tree: { name: 'root', children: [{ name: 'leaf', children: [] }] },
    mode: 'grid',
    hide: false,
  },
  onLoad(query) {
    this.setData({ 'user.name': query.name || 'Ann', 'products[1].price': 2400 });
  },
  onShow() {},
  onReady() {},
  onPullDownRefresh() { wx.stopPullDownRefresh(); },
  onReachBottom() {},
  onShareAppMessage() { return { title: 'Showcase', path: '/pages/index/index?from=share' }; },
  onTabItemTap(item) { console.log(item.index); },
  async load() {
    const items = await api.get('/products', { page: 1 });
    this.setData({ products: items });
  },
  tapRow(event) { console.log(event.currentTarget.dataset.productId, event.mark); },
  stop() {},
  capture() {},
  once() {},
  onBuy(event) { wx.showToast({ title: formatPrice(1200) + ' ' + event.detail.title }); },
  locate() { wx.getLocation({ type: 'gcj02', success: (pos) => this.setData({ pos }) }); },
});
