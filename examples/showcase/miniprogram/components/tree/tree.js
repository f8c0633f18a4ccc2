Component({
  properties: { node: { type: Object, value: { name: '', children: [] } }, depth: { type: Number, value: 0 } },
  data: { open: true },
  methods: { flip() { this.setData({ open: !this.data.open }); } },
});
