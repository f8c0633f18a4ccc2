Page({
  data: {
    root: { nn: 'view', cn: [{ nn: 'text', v: 'hello' }, { nn: 'view', cn: [{ nn: 'text', v: 'nested' }] }] },
  },
});
