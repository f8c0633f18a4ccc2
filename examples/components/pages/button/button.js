function sorted(value) {
  if (Array.isArray(value)) return value.map(sorted);
  if (value && typeof value === 'object') {
    const out = {};
    Object.keys(value).sort().forEach((k) => { out[k] = sorted(value[k]); });
    return out;
  }
  return value;
}

Page({
  data: {
    taps: { primary: 0, default: 0, warn: 0, mini: 0, plain: 0, disabled: 0, loading: 0, hover: 0 },
    lastTap: '',
    loading: true,
    disabled: true,
    hooks: {},
    share: '',
    formResult: '',
  },

  tap(event) {
    const key = event.currentTarget.dataset.key;
    this.setData({ [`taps.${key}`]: this.data.taps[key] + 1, lastTap: key });
  },

  toggleLoading() {
    this.setData({ loading: !this.data.loading });
  },

  toggleDisabled() {
    this.setData({ disabled: !this.data.disabled });
  },

  // Every open-type hook shows the event type and detail it received.
  hook(event) {
    const key = event.currentTarget.dataset.key;
    this.setData({ [`hooks.${key}`]: JSON.stringify(sorted({ type: event.type, detail: event.detail })) });
  },

  onShareAppMessage(res) {
    const target = res.target ? res.target.id : null;
    const result = { title: 'Built-in components', path: '/pages/button/button?from=share' };
    this.setData({ share: JSON.stringify(sorted({ from: res.from, target, returned: result })) });
    return result;
  },

  onSubmit(event) {
    this.setData({ formResult: `submit ${JSON.stringify(sorted(event.detail.value))}` });
  },

  onReset() {
    this.setData({ formResult: 'reset' });
  },
});
