// The window around the page: wx.setBackgroundColor / setBackgroundTextStyle (the area a
// pull-down shows), the navigation bar's loading spinner, and a tab bar API called on a page
// that is not a tab page.
Page({
  data: { colorResult: '', badColor: '', textResult: '', badText: '', loading: '', tabResult: '' },
  setColors() {
    wx.setBackgroundColor({ backgroundColor: '#ff0000', backgroundColorTop: '#00ff00', backgroundColorBottom: '#0000ff' }).then((res) =>
      this.setData({ colorResult: JSON.stringify(res) }),
    );
  },
  setBadColor() {
    wx.setBackgroundColor({ backgroundColor: 'url(javascript:alert(1))' }).catch((err) => this.setData({ badColor: JSON.stringify(err) }));
  },
  setLightText() {
    wx.setBackgroundTextStyle({ textStyle: 'light' }).then((res) => this.setData({ textResult: JSON.stringify(res) }));
  },
  setBadText() {
    wx.setBackgroundTextStyle({ textStyle: 'purple' }).catch((err) => this.setData({ badText: JSON.stringify(err) }));
  },
  refresh() {
    wx.startPullDownRefresh();
  },
  onPullDownRefresh() {},
  stopRefresh() {
    wx.stopPullDownRefresh();
  },
  showLoading() {
    wx.showNavigationBarLoading({ success: (res) => this.setData({ loading: JSON.stringify(res) }) });
  },
  hideLoading() {
    wx.hideNavigationBarLoading({ success: (res) => this.setData({ loading: JSON.stringify(res) }) });
  },
  tabBadge() {
    wx.setTabBarBadge({ index: 0, text: '1' }).then(
      (res) => this.setData({ tabResult: JSON.stringify(res) }),
      (err) => this.setData({ tabResult: JSON.stringify(err) }),
    );
  },
});
