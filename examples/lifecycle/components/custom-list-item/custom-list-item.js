Component({
  properties: {
    label: { type: String, value: '' },
  },

  relations: {
    '../custom-list/custom-list': {
      type: 'parent',
      linked(target) {
        getApp().log(`custom-list-item(${this.data.label}).linked parent=${target.is}`);
        this.setData({ parent: 'linked' });
      },
      unlinked() {
        getApp().log(`custom-list-item(${this.data.label}).unlinked`);
      },
    },
  },

  data: {
    parent: 'none',
  },
});
