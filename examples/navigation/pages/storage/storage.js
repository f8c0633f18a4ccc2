const { show } = require('../../utils/show');

function typeName(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

Page({
  data: {
    key: 'greeting',
    value: 'hello',
    syncResult: '',
    asyncResult: '',
    promiseResult: '',
    infoResult: '',
    typedResult: '',
    missingResult: '',
  },

  onKey(event) {
    this.setData({ key: event.detail.value });
  },
  onValue(event) {
    this.setData({ value: event.detail.value });
  },

  // Synchronous forms
  setSync() {
    wx.setStorageSync(this.data.key, this.data.value);
    this.setData({ syncResult: `setStorageSync ${this.data.key}=${this.data.value}` });
  },
  getSync() {
    const value = wx.getStorageSync(this.data.key);
    this.setData({ syncResult: `getStorageSync ${this.data.key} -> ${show(value)}` });
  },
  removeSync() {
    wx.removeStorageSync(this.data.key);
    this.setData({ syncResult: `removeStorageSync ${this.data.key}` });
  },
  clearSync() {
    wx.clearStorageSync();
    this.setData({ syncResult: 'clearStorageSync' });
  },
  infoSync() {
    const info = wx.getStorageInfoSync();
    this.setData({ infoResult: `sync ${show({ keys: info.keys.slice().sort(), currentSize: info.currentSize, limitSize: info.limitSize })}` });
  },

  // Callback forms
  setAsync() {
    wx.setStorage({
      key: this.data.key,
      data: this.data.value,
      success: (res) => this.setData({ asyncResult: `setStorage ${res.errMsg}` }),
      fail: (err) => this.setData({ asyncResult: `setStorage ${err.errMsg}` }),
    });
  },
  getAsync() {
    wx.getStorage({
      key: this.data.key,
      success: (res) => this.setData({ asyncResult: `getStorage ${show(res.data)} ${res.errMsg}` }),
      fail: (err) => this.setData({ asyncResult: `getStorage ${err.errMsg}` }),
    });
  },
  removeAsync() {
    wx.removeStorage({
      key: this.data.key,
      success: (res) => this.setData({ asyncResult: `removeStorage ${res.errMsg}` }),
      fail: (err) => this.setData({ asyncResult: `removeStorage ${err.errMsg}` }),
    });
  },
  clearAsync() {
    wx.clearStorage({
      success: (res) => this.setData({ asyncResult: `clearStorage ${res.errMsg}` }),
      fail: (err) => this.setData({ asyncResult: `clearStorage ${err.errMsg}` }),
    });
  },
  infoAsync() {
    wx.getStorageInfo({
      success: (res) => this.setData({ infoResult: `async ${show({ keys: res.keys.slice().sort(), currentSize: res.currentSize, limitSize: res.limitSize })}` }),
      fail: (err) => this.setData({ infoResult: err.errMsg }),
    });
  },

  // Promise forms
  async setPromise() {
    try {
      const res = await wx.setStorage({ key: this.data.key, data: this.data.value });
      this.setData({ promiseResult: `setStorage promise ${res.errMsg}` });
    } catch (err) {
      this.setData({ promiseResult: `setStorage promise ${err.errMsg}` });
    }
  },
  async getPromise() {
    try {
      const res = await wx.getStorage({ key: this.data.key });
      this.setData({ promiseResult: `getStorage promise ${show(res.data)}` });
    } catch (err) {
      this.setData({ promiseResult: `getStorage promise ${err.errMsg}` });
    }
  },

  // Values keep their type; a missing key gives '' synchronously and fail asynchronously.
  storeTyped() {
    wx.setStorageSync('typed-object', { a: 1, list: [1, 2] });
    wx.setStorageSync('typed-number', 42);
    wx.setStorageSync('typed-boolean', true);
    const obj = wx.getStorageSync('typed-object');
    const num = wx.getStorageSync('typed-number');
    const bool = wx.getStorageSync('typed-boolean');
    this.setData({
      typedResult: `${show(obj)} ${typeName(obj)}, ${num} ${typeName(num)}, ${bool} ${typeName(bool)}`,
    });
  },
  readMissing() {
    const syncValue = wx.getStorageSync('no-such-key');
    wx.getStorage({
      key: 'no-such-key',
      success: (res) => this.setData({ missingResult: `sync=${show(syncValue)} async success ${show(res.data)}` }),
      fail: (err) => this.setData({ missingResult: `sync=${show(syncValue)} async ${err.errMsg}` }),
    });
  },
});
