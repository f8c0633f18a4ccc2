// page-meta: page-style, background colours, root font size, scroll-top, bindscroll and
// scrolldone; its navigation-bar sets the host's navigation bar for this page.
Page({
  data: {
    pageStyle: 'background-color: rgb(240, 248, 255);',
    scrollTop: '',
    lastScroll: '',
    scrollDone: 0,
    nbTitle: 'page-meta title',
    nbFront: '#000000',
    nbBack: '#f7f7f7',
    nbLoading: false,
  },
  onScroll(e) {
    this.setData({ lastScroll: JSON.stringify(e.detail) });
  },
  onScrollDone() {
    this.setData({ scrollDone: this.data.scrollDone + 1 });
  },
  scrollDown() {
    this.setData({ scrollTop: '400px' });
  },
  scrollRpx() {
    this.setData({ scrollTop: '750rpx' });
  },
  changeStyle() {
    this.setData({ pageStyle: 'background-color: rgb(255, 250, 205); font-size: 20px;' });
  },
  changeBar() {
    this.setData({ nbTitle: 'New title', nbFront: '#ffffff', nbBack: '#1aad19', nbLoading: true });
  },
});
