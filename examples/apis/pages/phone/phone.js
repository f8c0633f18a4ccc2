// wx.makePhoneCall: the host's sheet shows the number; Call succeeds, Cancel fails with "cancel".
Page({
  data: { callResult: '', badResult: '' },
  call() {
    wx.makePhoneCall({
      phoneNumber: '+86 138-0013-8000',
      success: (res) => this.setData({ callResult: JSON.stringify(res) }),
      fail: (err) => this.setData({ callResult: JSON.stringify(err) }),
    });
  },
  callBad() {
    wx.makePhoneCall({ phoneNumber: 'javascript:alert(1)' }).catch((err) => this.setData({ badResult: JSON.stringify(err) }));
  },
});
