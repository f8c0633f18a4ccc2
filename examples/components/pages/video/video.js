Page({
  data: {
    events: '',
    time: '',
    timeCount: 0,
    meta: '',
    full: '',
    error: '',
    danmu: '',
    waiting: 0,
    seek: '',
    brokenError: '',
    fillPlays: 0,
    fillLoops: 0,
  },

  onLoad() {
    // Made before the page rendered: the video is looked up when a method is called.
    this.video = wx.createVideoContext('clip');
  },

  log(name) {
    const list = this.data.events ? this.data.events.split(',') : [];
    if (list[list.length - 1] === name) return;
    list.push(name);
    this.setData({ events: list.join(',') });
  },

  onPlay() {
    this.log('play');
  },
  onPause() {
    this.log('pause');
  },
  onEnded() {
    this.log('ended');
  },
  onWaiting() {
    this.setData({ waiting: this.data.waiting + 1 });
  },
  onSeek(e) {
    this.setData({ seek: JSON.stringify(e.detail) });
  },
  onTimeUpdate(e) {
    this.setData({ time: JSON.stringify(e.detail), timeCount: this.data.timeCount + 1 });
  },
  onMeta(e) {
    this.setData({ meta: JSON.stringify(e.detail) });
  },
  onFullscreen(e) {
    this.setData({ full: JSON.stringify(e.detail) });
  },
  onError(e) {
    this.setData({ error: JSON.stringify(e.detail) });
  },
  onFillPlay() {
    this.setData({ fillPlays: this.data.fillPlays + 1 });
  },
  onFillEnded() {
    this.setData({ fillLoops: this.data.fillLoops + 1 });
  },
  onBrokenError(e) {
    this.setData({ brokenError: JSON.stringify(e.detail) });
  },

  ctxPlay() {
    this.video.play();
    this.video.playbackRate(0.5);
  },
  ctxPause() {
    // The same VideoContext, from SelectorQuery's `context` field.
    wx.createSelectorQuery()
      .select('#clip')
      .context((res) => res.context.pause())
      .exec();
  },
  ctxSeek() {
    this.video.seek(1);
  },
  ctxStop() {
    this.video.stop();
  },
  ctxFull() {
    this.video.requestFullScreen({ direction: 90 });
  },
  ctxExit() {
    this.video.exitFullScreen();
  },
  ctxDanmu() {
    try {
      this.video.sendDanmu({ text: 'hi', color: '#ff0000' });
      this.setData({ danmu: 'sent' });
    } catch (error) {
      this.setData({ danmu: error.message });
    }
  },
});
