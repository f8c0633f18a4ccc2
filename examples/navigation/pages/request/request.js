const { show } = require('../../utils/show');

function headerValue(header, name) {
  if (!header) return '';
  const wanted = name.toLowerCase();
  const key = Object.keys(header).find((k) => k.toLowerCase() === wanted);
  return key ? header[key] : '';
}

Page({
  data: {
    url: '',
    method: '',
    state: 'idle',
    statusCode: '',
    responseData: '',
    responseType: '',
    contentType: '',
    error: '',
    count: 0,
  },

  onUrl(event) {
    this.setData({ url: event.detail.value });
  },

  send(options) {
    this.setData({
      method: options.method || 'GET',
      state: 'pending',
      statusCode: '',
      responseData: '',
      responseType: '',
      contentType: '',
      error: '',
    });
    return wx.request({
      url: this.data.url,
      ...options,
      success: (res) => {
        this.setData({
          state: 'success',
          statusCode: String(res.statusCode),
          responseData: typeof res.data === 'string' ? res.data : show(res.data),
          responseType: typeof res.data,
          contentType: headerValue(res.header, 'content-type'),
          count: this.data.count + 1,
        });
      },
      fail: (err) => {
        this.setData({ state: 'fail', error: err.errMsg, count: this.data.count + 1 });
      },
    });
  },

  sendGet() {
    this.send({ method: 'GET', data: { q: 'mini', page: 1 } });
  },

  sendPost() {
    this.send({ method: 'POST', data: { hello: 'world', n: 1 }, header: { 'content-type': 'application/json' } });
  },

  sendText() {
    this.send({ method: 'GET', dataType: 'text' });
  },

  sendTimeout() {
    this.send({ method: 'GET', timeout: 500 });
  },

  sendAbort() {
    const task = this.send({ method: 'GET' });
    task.abort();
  },
});
