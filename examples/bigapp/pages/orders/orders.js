const data = require('../../utils/data');
const { dateTime } = require('../../utils/format');

const TABS = [
  { status: 'all', name: 'All' },
  { status: 'unpaid', name: 'To pay' },
  { status: 'unshipped', name: 'To ship' },
  { status: 'shipped', name: 'To receive' },
  { status: 'review', name: 'To review' },
];

const STATUS_TEXT = {
  unpaid: 'Awaiting payment',
  unshipped: 'Awaiting shipment',
  shipped: 'On the way',
  review: 'Delivered',
};

const SAMPLE = [
  { id: 'SO1001', status: 'shipped', createdAt: 1714540800000, total: 3948.99, items: [{ id: 1, quantity: 1, spec: '256GB Silver' }] },
  { id: 'SO1002', status: 'shipped', createdAt: 1714627200000, total: 168.8, items: [{ id: 7, quantity: 2, spec: '' }, { id: 17, quantity: 1, spec: '' }] },
  { id: 'SO1003', status: 'review', createdAt: 1714713600000, total: 359, items: [{ id: 5, quantity: 1, spec: '42' }] },
];

Page({
  data: {
    tabs: TABS,
    status: 'all',
    orders: [],
    placed: false,
  },

  onLoad(query) {
    this.setData({ status: query.status || 'all', placed: query.placed === '1' });
    this.load();
  },

  onPullDownRefresh() {
    this.load();
    wx.stopPullDownRefresh();
  },

  load() {
    const stored = wx.getStorageSync('orders') || [];
    const all = stored.concat(SAMPLE).map((order) => ({
      ...order,
      statusText: STATUS_TEXT[order.status] || order.status,
      time: dateTime(order.createdAt),
      lines: order.items.map((item) => ({ ...item, product: data.productById(item.id) })).filter((l) => l.product),
      count: order.items.reduce((sum, item) => sum + item.quantity, 0),
    }));
    const status = this.data.status;
    this.setData({ orders: status === 'all' ? all : all.filter((o) => o.status === status) });
  },

  onTab(event) {
    this.setData({ status: event.currentTarget.dataset.status });
    this.load();
  },

  pay(event) {
    wx.showModal({ title: 'Pay', content: `Pay order ${event.currentTarget.dataset.id}?`, confirmText: 'Pay' });
  },
});
