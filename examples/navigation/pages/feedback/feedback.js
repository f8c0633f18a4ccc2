const { show } = require('../../utils/show');

function callbacks(page, key) {
  return {
    success: (res) => page.setData({ [key]: `success ${show(res)}` }),
    fail: (err) => page.setData({ [key]: `fail ${show(err)}` }),
  };
}

Page({
  data: {
    toast: '',
    modal: '',
    loading: '',
    action: '',
  },

  toastSuccess() {
    wx.showToast({ title: 'Saved', icon: 'success', duration: 1500, ...callbacks(this, 'toast') });
  },
  toastNone() {
    wx.showToast({ title: 'A longer message without an icon', icon: 'none', duration: 2000, ...callbacks(this, 'toast') });
  },
  toastError() {
    wx.showToast({ title: 'Failed', icon: 'error', ...callbacks(this, 'toast') });
  },
  toastLoading() {
    wx.showToast({ title: 'Working', icon: 'loading', mask: true, duration: 1000, ...callbacks(this, 'toast') });
  },
  hideToast() {
    wx.hideToast({ complete: (res) => this.setData({ toast: `hideToast ${res.errMsg}` }) });
  },

  modal() {
    wx.showModal({
      title: 'Delete?',
      content: 'This cannot be undone',
      confirmText: 'Delete',
      confirmColor: '#e64340',
      cancelText: 'Keep',
      ...callbacks(this, 'modal'),
    });
  },
  modalNoCancel() {
    wx.showModal({ title: 'Notice', content: 'Only OK', showCancel: false, ...callbacks(this, 'modal') });
  },
  modalEditable() {
    wx.showModal({ title: 'Your name', editable: true, placeholderText: 'type a name', ...callbacks(this, 'modal') });
  },
  async modalPromise() {
    const res = await wx.showModal({ title: 'Promise form', content: 'Confirm or cancel' });
    this.setData({ modal: `promise ${show(res)}` });
  },

  showLoading() {
    wx.showLoading({ title: 'Loading', mask: true, ...callbacks(this, 'loading') });
  },
  hideLoading() {
    wx.hideLoading({ ...callbacks(this, 'loading') });
  },
  loadingFor1s() {
    wx.showLoading({ title: 'One second' });
    this.setData({ loading: 'shown' });
    setTimeout(() => {
      wx.hideLoading();
      this.setData({ loading: 'hidden after 1000 ms' });
    }, 1000);
  },

  actionSheet() {
    wx.showActionSheet({
      itemList: ['Camera', 'Album', 'File'],
      itemColor: '#000000',
      alertText: 'Choose a source',
      ...callbacks(this, 'action'),
    });
  },
});
