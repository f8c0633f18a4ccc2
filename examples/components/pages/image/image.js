const MODES = [
  'scaleToFill', 'aspectFit', 'aspectFill', 'widthFix', 'heightFix',
  'top', 'bottom', 'center', 'left', 'right',
  'top left', 'top right', 'bottom left', 'bottom right',
];

Page({
  data: {
    modes: MODES.map((mode) => ({ mode, key: mode.replace(' ', '-'), loaded: '' })),
    loadCount: 0,
    brokenSrc: '/images/does-not-exist.png',
    brokenError: '',
    tallLoaded: '',
    lazy: [1, 2, 3, 4, 5, 6].map((n) => ({ n, src: `/images/lazy-${n}.png`, loaded: false })),
    lazyLoaded: 0,
  },

  onModeLoad(event) {
    const index = event.currentTarget.dataset.index;
    this.setData({
      [`modes[${index}].loaded`]: `${event.detail.width}x${event.detail.height}`,
      loadCount: this.data.loadCount + 1,
    });
  },

  onTallLoad(event) {
    this.setData({ tallLoaded: `${event.detail.width}x${event.detail.height}` });
  },

  onBrokenError(event) {
    this.setData({ brokenError: event.detail.errMsg || 'error' });
  },

  onBrokenLoad() {
    this.setData({ brokenError: 'loaded (unexpected)' });
  },

  onLazyLoad(event) {
    const index = event.currentTarget.dataset.index;
    this.setData({ [`lazy[${index}].loaded`]: true, lazyLoaded: this.data.lazyLoaded + 1 });
  },
});
