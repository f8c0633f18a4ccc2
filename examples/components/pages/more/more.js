Page({
  data: {
    percent: 30,
    activeEnds: 0,
    html: '<div class="rt"><b id="rt-bold">bold</b> and <i>italic</i> and <span style="color: rgb(250, 81, 81);">red</span></div>',
    nodes: [
      {
        name: 'div',
        attrs: { class: 'rt', style: 'padding: 4px;' },
        children: [
          { type: 'text', text: 'node array: ' },
          { name: 'strong', children: [{ type: 'text', text: 'strong text' }] },
        ],
      },
    ],
  },
  addPercent() {
    this.setData({ percent: Math.min(100, this.data.percent + 20) });
  },
  onActiveEnd() {
    this.setData({ activeEnds: this.data.activeEnds + 1 });
  },
});
