const data = require('../../utils/data');

Page({
  data: {
    user: null,
    orderTabs: [
      { status: 'unpaid', name: 'To pay', count: 1 },
      { status: 'unshipped', name: 'To ship', count: 0 },
      { status: 'shipped', name: 'To receive', count: 2 },
      { status: 'review', name: 'To review', count: 0 },
      { status: 'refund', name: 'Returns', count: 0 },
    ],
    stats: [],
    menu: [
      { id: 'address', name: 'My addresses', url: '/pages/address/address' },
      { id: 'coupons', name: 'My coupons', url: '/pages/coupons/coupons' },
      { id: 'orders', name: 'All orders', url: '/pages/orders/orders' },
      { id: 'service', name: 'Customer service', url: '' },
      { id: 'about', name: 'About Mini Shop', url: '' },
    ],
  },

  onShow() {
    const app = getApp();
    const coupons = data.coupons.filter((c) => !c.used).length;
    this.setData({
      user: app.globalData.user,
      stats: [
        { name: 'Points', value: app.globalData.user.points },
        { name: 'Coupons', value: coupons },
        { name: 'Favourites', value: 12 },
        { name: 'Following', value: 5 },
      ],
    });
  },

  openOrders(event) {
    wx.navigateTo({ url: `/pages/orders/orders?status=${event.currentTarget.dataset.status}` });
  },

  openMenu(event) {
    const { url, name } = event.currentTarget.dataset;
    if (url) {
      wx.navigateTo({ url });
    } else {
      wx.showModal({ title: name, content: 'Mini Shop 1.0, an example mini program.', showCancel: false });
    }
  },
});
