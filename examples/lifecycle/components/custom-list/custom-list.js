const ITEM = '../custom-list-item/custom-list-item';

Component({
  relations: {
    '../custom-list-item/custom-list-item': {
      type: 'child',
      linked(target) {
        getApp().log(`custom-list.linked ${target.data.label}`);
        this.refresh();
      },
      linkChanged(target) {
        getApp().log(`custom-list.linkChanged ${target.data.label}`);
      },
      unlinked(target) {
        getApp().log(`custom-list.unlinked ${target.data.label}`);
        this.refresh();
      },
    },
  },

  data: {
    count: 0,
    labels: '',
  },

  methods: {
    refresh() {
      const nodes = this.getRelationNodes(ITEM);
      this.setData({ count: nodes.length, labels: nodes.map((node) => node.data.label).join(',') });
    },
  },
});
