// A hostile mini program (a test fixture): from its logic layer it tries everything the
// sandbox must refuse, and shows what happened. `query.target` is the platform's origin.

function attempt(fn) {
  try {
    const value = fn();
    return value === undefined ? 'undefined' : String(value);
  } catch (error) {
    return `blocked:${error && error.name}`;
  }
}

function settle(promise) {
  return promise.then(
    (value) => `allowed:${typeof value}`,
    (error) => `blocked:${error && error.name}`,
  );
}

Page({
  data: { results: [], done: '', html: '', evilSrc: '' },

  onLoad(query) {
    this.target = decodeURIComponent(query.target || '');
  },

  probe() {
    const target = this.target;
    const sync = {
      document: attempt(() => typeof document),
      window: attempt(() => typeof window),
      parent: attempt(() => typeof parent),
      origin: attempt(() => self.origin),
      xhr: attempt(() => {
        const xhr = new XMLHttpRequest();
        xhr.open('GET', `${target}/api/accounts/me`, false);
        xhr.send();
        return `status ${xhr.status}`;
      }),
      importScripts: attempt(() => importScripts(`${target}/api/runtime/apps`)),
      otherStorage: attempt(() => JSON.stringify(wx.getStorageSync('greeting'))),
    };
    const asyncChecks = {
      fetch: settle(fetch(`${target}/api/accounts/me`, { credentials: 'include' })),
      fetchNoCors: settle(fetch(`${target}/api/accounts/me`, { mode: 'no-cors' })),
      indexedDB: new Promise((resolve) => {
        try {
          const request = indexedDB.open('steal');
          request.onsuccess = () => resolve('allowed:open');
          request.onerror = () => resolve('blocked:error');
        } catch (error) {
          resolve(`blocked:${error.name}`);
        }
      }),
      // The constructor does not throw when the policy refuses the connection: the refusal shows
      // as a securitypolicyviolation event (and the socket never opens).
      websocket: new Promise((resolve) => {
        const url = target.replace('http', 'ws') + '/ws';
        self.addEventListener('securitypolicyviolation', (event) => {
          if (String(event.blockedURI).startsWith('ws')) resolve('blocked:csp');
        });
        try {
          const socket = new WebSocket(url);
          socket.onopen = () => resolve('allowed:open');
        } catch (error) {
          resolve(`blocked:${error.name}`);
        }
      }),
      caches: typeof caches === 'undefined' ? Promise.resolve('blocked:undefined') : settle(caches.open('x')),
      beacon: Promise.resolve(attempt(() => (typeof navigator.sendBeacon === 'function' ? String(navigator.sendBeacon(`${target}/api/x`, 'x')) : 'absent'))),
    };
    const names = Object.keys(asyncChecks);
    Promise.all(names.map((n) => asyncChecks[n])).then((values) => {
      const results = Object.entries(sync).map(([name, value]) => ({ name, value }));
      names.forEach((name, i) => results.push({ name, value: values[i] }));
      this.setData({
        results,
        html: '<img src=x onerror="parent.postMessage(1, \'*\')"><script>alert(1)</script>',
        evilSrc: 'javascript:alert(1)',
        done: 'probed',
      });
    });
  },

  // Captures the bridge's MessagePort (by hooking postMessage) and sends forged messages.
  forge() {
    const original = MessagePort.prototype.postMessage;
    let port = null;
    MessagePort.prototype.postMessage = function (message, transfer) {
      port = this;
      return original.call(this, message, transfer);
    };
    wx.hideToast({
      complete: () => {
        MessagePort.prototype.postMessage = original;
        if (!port) {
          this.setData({ done: 'no port' });
          return;
        }
        port.postMessage({ t: 'bogus' });
        port.postMessage('not an object');
        port.postMessage({ t: 'ops', page: 999999, seq: 1, ops: [['el', 1, 'script']] });
        port.postMessage({ t: 'call', id: 'x', api: 'navigateTo', args: {} });
        port.postMessage({ t: 'call', id: 77, api: 'evalInHost', args: { code: 'alert(1)' } });
        port.postMessage({ t: 'storage', op: 'set', key: 'forged', value: 1, appid: 'wx0000000000000000' });
        this.setData({ done: 'forged' });
      },
    });
  },
});
