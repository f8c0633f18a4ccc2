Page({
  data: { items: Array.from({ length: 20 }, (_, i) => ({ id: i, name: `Item ${i}` })), loading: false },
  onReachBottom() { this.setData({ loading: true }); },
  goDetail(event) { wx.navigateTo({ url: `/packageA/pages/detail/detail?id=${event.currentTarget.dataset.id}` }); },
});
