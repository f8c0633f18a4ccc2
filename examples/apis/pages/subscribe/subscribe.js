// wx.requestSubscribeMessage: the user allows this app's back end to send one "Service
// notification" per accepted template (POST /cgi-bin/message/subscribe/send). The template id
// comes from the page's query (`tmplId`), as the console gives it to the back end; opened from
// a notification, the page shows its scene (1014). wx.getSetting({ withSubscriptions: true })
// shows the main switch and the choices the user kept ("always keep this choice").
Page({
  data: { tmplId: '', result: '', scene: 0, order: '', setting: '' },
  onLoad(query) {
    this.setData({ tmplId: query.tmplId || '', order: query.order || '', scene: wx.getEnterOptionsSync().scene });
  },
  subscribe() {
    wx.requestSubscribeMessage({
      tmplIds: [this.data.tmplId],
      success: (res) => this.setData({ result: `${res.errMsg} ${res[this.data.tmplId]}` }),
      fail: (err) => this.setData({ result: `${err.errMsg} ${err.errCode || ''}`.trim() }),
    });
  },
  subscriptionsSetting() {
    wx.getSetting({
      withSubscriptions: true,
      success: (res) => this.setData({ setting: JSON.stringify(res.subscriptionsSetting) }),
      fail: (err) => this.setData({ setting: err.errMsg }),
    });
  },
});
