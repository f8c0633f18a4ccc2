Page({
  data: {
    types: ['success', 'success_no_circle', 'info', 'warn', 'waiting', 'cancel', 'download', 'search', 'clear'],
    sizes: [20, 30, 40, 50, 60, 70],
    colors: ['#fa5151', '#ffc300', '#1aad19', '#10aeff', '#576b95', 'rgb(0, 0, 0)'],
    tabTaps: 0,
  },
  onTabItemTap() {
    this.setData({ tabTaps: this.data.tabTaps + 1 });
  },
});
