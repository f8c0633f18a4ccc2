// A page written the way WeUI and Vant Weapp pages are: CSS variables on `page`, unknown
// HTML-like tags (no component registration: plain elements with their children), rpx sizes,
// :nth-child, flex rows, ::before / ::after hairlines and arrows, env(safe-area-inset-bottom),
// and page-meta for the page's style and background.
Page({
  data: {
    cells: [
      { id: 'wifi', title: 'Wi-Fi', value: 'On' },
      { id: 'bluetooth', title: 'Bluetooth', value: 'Off' },
      { id: 'about', title: 'About', value: '' },
    ],
    taps: 0,
  },
  onTapButton() {
    this.setData({ taps: this.data.taps + 1 });
  },
});
