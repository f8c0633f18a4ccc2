// wx.connectSocket: a SocketTask to an echo server (the page's query `url`; in WeChat one of the
// app's socket domains), text and binary frames, close with code and reason, and the limit of 5.
function describe(data) {
  return typeof data === 'string' ? data : `binary:${Array.from(new Uint8Array(data)).join(',')}`;
}

Page({
  data: { url: '', status: 'idle', messages: '', closeResult: '', limitResult: '' },
  onLoad(query) {
    this.setData({ url: decodeURIComponent(query.url || 'wss://example.com') });
  },
  connect() {
    const task = wx.connectSocket({ url: this.data.url, protocols: ['chat'] });
    this.task = task;
    task.onOpen((res) => this.setData({ status: `open ${typeof res.header}` }));
    task.onMessage((res) => this.setData({ messages: `${this.data.messages}${describe(res.data)};` }));
    task.onClose((res) => this.setData({ status: 'closed', closeResult: JSON.stringify(res) }));
    task.onError((res) => this.setData({ status: `error ${res.errMsg}` }));
  },
  sendText() {
    this.task.send({ data: 'hello 小程序' });
  },
  sendBinary() {
    this.task.send({ data: new Uint8Array([1, 2, 255]).buffer });
  },
  close() {
    this.task.close({ code: 3001, reason: 'done' });
  },
  six() {
    const results = [];
    const record = (i, what) => {
      results[i] = what;
      if (results.filter(Boolean).length === 6) this.setData({ limitResult: JSON.stringify(results) });
    };
    for (let i = 0; i < 6; i += 1) {
      const task = wx.connectSocket({
        url: this.data.url,
        fail: (err) => record(i, err.errMsg),
      });
      task.onOpen(() => record(i, 'open'));
    }
  },
});
