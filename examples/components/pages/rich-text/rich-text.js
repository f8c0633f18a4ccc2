// rich-text: nodes as an HTML string and as an array, `space`, `user-select`, a tap on the
// rich-text, and what the sanitiser does with hostile input (nothing of it may run or survive).
const PIXEL =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

Page({
  data: {
    html:
      '<div class="rt-box"><h3 style="color: rgb(26, 173, 25);">Title</h3>' +
      '<p id="dropped-id">A <b>bold</b>, <i>italic</i> and <span style="color: rgb(250, 81, 81);">red</span> text' +
      ' with a <a href="https://example.com/">link</a>.</p>' +
      '<ul><li>one</li><li>two</li></ul>' +
      '<table width="100%"><tr><td colspan="2">cell</td></tr></table>' +
      '<img src="' + PIXEL + '" width="20" height="10" alt="pixel" onerror="parent.hacked=1"></div>',
    nodes: [
      {
        name: 'div',
        attrs: { class: 'rt-box', style: 'padding: 4px;' },
        children: [
          { type: 'text', text: 'node array &amp; entities&nbsp;&lt;ok&gt; ' },
          { name: 'STRONG', children: [{ type: 'text', text: 'strong text' }] },
          { name: 'ol', attrs: { start: '3' }, children: [{ name: 'li', children: [{ type: 'text', text: 'third' }] }] },
        ],
      },
    ],
    spaced: [{ type: 'text', text: 'a  b' }],
    attackHtml:
      '<p>safe text</p>' +
      '<script>parent.hacked = 1</script>' +
      '<img src=x onerror="parent.hacked=2">' +
      '<a href="javascript:parent.hacked=3">js link</a>' +
      '<iframe src="https://example.com/"></iframe>' +
      '<svg onload="parent.hacked=4"><circle r="5"></circle></svg>' +
      '<div style="background-image: url(javascript:parent.hacked=5); color: red">bad style</div>' +
      '<div style="width: expression(alert(1))">expression</div>' +
      '<form action="https://example.com/"><input name="q"></form>' +
      '<style>* { display: none !important; }</style>' +
      '<object data="x"></object><embed src="x">' +
      '<img src="data:text/html,<script>parent.hacked=6</script>">' +
      '<div onclick="parent.hacked=7" onmouseover="parent.hacked=8">handlers</div>' +
      '<math><mi>x</mi></math><unknown-tag>unknown subtree</unknown-tag>',
    attackNodes: [
      { name: 'div', attrs: { onClick: 'parent.hacked=9', OnMouseOver: 'x', id: 'evil', class: 'kept' }, children: [{ type: 'text', text: 'array div' }] },
      { name: 'script', children: [{ type: 'text', text: 'parent.hacked=10' }] },
      { name: 'img', attrs: { src: 'javascript:parent.hacked=11', onerror: 'parent.hacked=12' } },
      { name: 'a', attrs: { href: 'javascript:parent.hacked=13' }, children: [{ type: 'text', text: 'array link' }] },
      { type: 'text', text: '<img src=x onerror=parent.hacked=14>' },
      { name: 'iframe', attrs: { src: 'https://example.com/' } },
    ],
    taps: 0,
  },

  onTap() {
    this.setData({ taps: this.data.taps + 1 });
  },
});
