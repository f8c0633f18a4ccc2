const BASE = 'https://api.showcase-shop.com/v1';

class ApiError extends Error {
  #status;
  constructor(status, message) {
    super(message);
    this.#status = status;
  }
  get status() { return this.#status; }
}

async function get(path, data) {
  return new Promise((resolve, reject) => {
    wx.request({
      url: `${BASE}${path}`,
      data,
      success: (res) => (res.statusCode < 400 ? resolve(res.data) : reject(new ApiError(res.statusCode, 'http'))),
      fail: reject,
    });
  });
}

function upload(filePath) {
  return wx.uploadFile({ url: 'https://upload.showcase-shop.com/files', filePath, name: 'file' });
}

module.exports = { get, upload, ApiError, socketUrl: 'wss://live.showcase-shop.com/feed' };
