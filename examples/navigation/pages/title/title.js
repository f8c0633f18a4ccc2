Page({
  data: {
    title: '',
    color: '',
    loading: '',
  },

  setTitle() {
    wx.setNavigationBarTitle({
      title: 'Title set by code',
      success: (res) => this.setData({ title: res.errMsg }),
      fail: (err) => this.setData({ title: err.errMsg }),
    });
  },

  setColor() {
    wx.setNavigationBarColor({
      frontColor: '#ffffff',
      backgroundColor: '#1aad19',
      animation: { duration: 0, timingFunc: 'linear' },
      success: (res) => this.setData({ color: `white on #1aad19: ${res.errMsg}` }),
      fail: (err) => this.setData({ color: err.errMsg }),
    });
  },

  setColorBlack() {
    wx.setNavigationBarColor({
      frontColor: '#000000',
      backgroundColor: '#ffffff',
      success: (res) => this.setData({ color: `black on #ffffff: ${res.errMsg}` }),
      fail: (err) => this.setData({ color: err.errMsg }),
    });
  },

  showBarLoading() {
    wx.showNavigationBarLoading({ complete: (res) => this.setData({ loading: res.errMsg }) });
  },

  hideBarLoading() {
    wx.hideNavigationBarLoading({ complete: (res) => this.setData({ loading: res.errMsg }) });
  },
});
