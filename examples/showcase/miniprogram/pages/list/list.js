import { PAGE_SIZE, makeItems } from '../../utils/esm/index';

Page({
  data: { items: makeItems(PAGE_SIZE), loading: false },
  onReachBottom() { this.setData({ loading: true }); },
  goDetail(event) { wx.navigateTo({ url: `/packageA/pages/detail/detail?id=${event.currentTarget.dataset.id}` }); },
});
