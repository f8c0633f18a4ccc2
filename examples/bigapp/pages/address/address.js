const address = require('../../utils/address');

Page({
  data: {
    addresses: [],
    selecting: false,
    adding: false,
    form: { name: '', phone: '', region: '', detail: '' },
  },

  onLoad(query) {
    this.setData({ selecting: query.select === '1' });
  },

  onShow() {
    this.setData({ addresses: address.list() });
  },

  choose(event) {
    const id = event.currentTarget.dataset.id;
    address.setDefault(id);
    if (this.data.selecting) {
      wx.navigateBack();
    } else {
      this.setData({ addresses: address.list() });
    }
  },

  remove(event) {
    const id = event.currentTarget.dataset.id;
    wx.showModal({
      title: 'Delete address',
      content: 'Delete this address?',
      success: (res) => {
        if (res.confirm) {
          address.remove(id);
          this.setData({ addresses: address.list() });
        }
      },
    });
  },

  startAdd() {
    this.setData({ adding: true });
  },

  onField(event) {
    this.setData({ [`form.${event.currentTarget.dataset.field}`]: event.detail.value });
  },

  save() {
    const form = this.data.form;
    if (!form.name || !form.phone || !form.detail) {
      wx.showToast({ title: 'Fill in name, phone and address', icon: 'none' });
      return;
    }
    address.add(form);
    this.setData({ adding: false, form: { name: '', phone: '', region: '', detail: '' }, addresses: address.list() });
  },
});
