Page({
  data: {
    taps: 0,
    badgeTaps: 0,
    load: '',
    error: '',
    scrollTop: 0,
    lines: ['line 1', 'line 2', 'line 3', 'line 4', 'line 5', 'line 6'],
  },

  onReady() {
    // scroll-top on a cover-view scrolls its content.
    this.setData({ scrollTop: 60 });
  },

  onCoverTap() {
    this.setData({ taps: this.data.taps + 1 });
  },
  onBadgeTap() {
    this.setData({ badgeTaps: this.data.badgeTaps + 1 });
  },
  onBadgeLoad(e) {
    this.setData({ load: JSON.stringify(e.detail) });
  },
  onBadgeError(e) {
    this.setData({ error: e.detail.errMsg.startsWith('GET ') ? 'GET … error' : e.detail.errMsg });
  },
});
