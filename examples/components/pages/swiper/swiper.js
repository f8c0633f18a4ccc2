Page({
  data: {
    slides: [
      { id: 1, src: '/images/slide-1.png', title: 'Slide 1' },
      { id: 2, src: '/images/slide-2.png', title: 'Slide 2' },
      { id: 3, src: '/images/slide-3.png', title: 'Slide 3' },
    ],
    current: 0,
    autoplay: false,
    source: '',
    changes: 0,
    finished: '',
    autoCurrent: 0,
    autoChanges: 0,
  },

  onChange(event) {
    this.setData({
      current: event.detail.current,
      source: event.detail.source,
      changes: this.data.changes + 1,
    });
  },

  onFinish(event) {
    this.setData({ finished: String(event.detail.current) });
  },

  go(event) {
    this.setData({ current: Number(event.currentTarget.dataset.index) });
  },

  toggleAutoplay() {
    this.setData({ autoplay: !this.data.autoplay });
  },

  onAutoChange(event) {
    this.setData({ autoCurrent: event.detail.current, autoChanges: this.data.autoChanges + 1 });
  },
});
