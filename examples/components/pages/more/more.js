// More components: links to the pages of rich-text, movable, page-meta, web-view and a WeUI-style
// page; and what the web-view page reported (its events' details, kept in globalData) when it
// closed. `?src=<encoded url>` sets the site the web-view link opens.
Page({
  data: {
    pages: [
      { id: 'rich-text', title: 'rich-text: string, array, sanitised' },
      { id: 'movable', title: 'movable-area / movable-view' },
      { id: 'page-meta', title: 'page-meta and navigation-bar' },
      { id: 'weui', title: 'a WeUI-style page' },
    ],
    webSrc: 'https%3A%2F%2Fdevelopers.weixin.qq.com%2F',
    webview: '',
  },
  onLoad(query) {
    // Query values arrive as written in the URL (as in WeChat): the address is URL-encoded.
    if (query.src) this.setData({ webSrc: decodeURIComponent(query.src) });
  },
  onShow() {
    const seen = getApp().globalData.webview;
    this.setData({ webview: seen ? JSON.stringify(seen) : '' });
  },
});
