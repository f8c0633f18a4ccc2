Page({
  data: {
    spaced: 'a b  c',
    html: '&lt;b&gt; &amp; &apos;y&apos; &nbsp;z &ensp;w',
    lines: 'line one\nline two',
    count: 0,
  },
  add() {
    this.setData({ count: this.data.count + 1 });
  },
});
