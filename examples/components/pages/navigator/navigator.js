Page({
  data: {
    stackLength: 0,
    routes: '',
    shows: 0,
  },
  onShow() {
    const pages = getCurrentPages();
    this.setData({
      stackLength: pages.length,
      routes: pages.map((p) => p.route).join(' > '),
      shows: this.data.shows + 1,
    });
  },
});
