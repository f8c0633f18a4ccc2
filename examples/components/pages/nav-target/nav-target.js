Page({
  data: {
    from: '',
    query: '',
    stackLength: 0,
    routes: '',
    depth: 1,
  },
  onLoad(query) {
    this.setData({ from: query.from || '', query: JSON.stringify(query), depth: Number(query.depth || 1) });
  },
  onShow() {
    const pages = getCurrentPages();
    this.setData({ stackLength: pages.length, routes: pages.map((p) => p.route).join(' > ') });
  },
});
