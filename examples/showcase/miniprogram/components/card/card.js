Component({
  options: { multipleSlots: true },
  externalClasses: ['title-class'],
  properties: { title: String, price: Number, tags: { type: Array, value: [] } },
  data: { expanded: false },
  observers: { 'tags.**'(tags) { this.setData({ tagCount: tags.length }); } },
  lifetimes: { attached() { this.setData({ attachedAt: Date.now() }); } },
  pageLifetimes: { show() {} },
  methods: {
    toggle() { this.setData({ expanded: !this.data.expanded }); },
    buy() { this.triggerEvent('buy', { title: this.data.title }, { bubbles: true, composed: true }); },
  },
});
