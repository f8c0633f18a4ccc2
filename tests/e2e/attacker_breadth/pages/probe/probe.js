// A hostile mini program for tests/e2e/test_runtime_security_breadth.py: it calls the host's
// internal APIs directly (the framework's callHost, reachable from app code in the same worker).
const host = self.MiniappWx.callHost;

Page({
  data: { done: '', out: '' },

  onLoad(query) {
    this.target = decodeURIComponent(query.url || '');
  },

  // The same task id, again and again: each call must not open one more socket past the cap.
  reuseSocket() {
    const calls = [];
    for (let i = 0; i < 8; i += 1) calls.push(host('socketOpen', { task: 4242, url: this.target }));
    Promise.allSettled(calls).then((settled) => {
      const out = settled.map((s) => (s.status === 'fulfilled' ? 'open' : s.reason.errMsg));
      this.setData({ out: JSON.stringify(out), done: 'reused' });
    });
  },
});
