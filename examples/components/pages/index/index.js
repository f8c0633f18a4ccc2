Page({
  data: {
    pages: [
      { id: 'view', title: 'view: hover-class' },
      { id: 'text', title: 'text: selectable, space, decode' },
      { id: 'image', title: 'image: every mode, lazy-load, load/error' },
      { id: 'button', title: 'button: types, sizes, open-type' },
      { id: 'input', title: 'input: types, maxlength, focus, events' },
      { id: 'form', title: 'form controls: checkbox, radio, switch, slider, picker, textarea' },
      { id: 'navigator', title: 'navigator: every open-type' },
      { id: 'scroll-view', title: 'scroll-view: lower, into-view, top, x, refresher' },
      { id: 'block', title: 'block: wx:if and wx:for' },
      { id: 'unknown', title: 'unknown tag' },
      { id: 'more', title: 'progress and rich-text' },
    ],
    shownAt: 0,
  },

  onShow() {
    this.setData({ shownAt: Date.now() });
  },
});
