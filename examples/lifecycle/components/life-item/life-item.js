function log(line) {
  getApp().log(line);
}

Component({
  properties: {
    label: { type: String, value: '' },
  },

  lifetimes: {
    // setData is not allowed in created, and properties from the parent are not applied yet.
    created() {
      log('life-item.created');
    },
    attached() {
      log(`life-item(${this.data.label}).attached`);
    },
    ready() {
      log(`life-item(${this.data.label}).ready`);
    },
    moved() {
      log(`life-item(${this.data.label}).moved`);
    },
    detached() {
      log(`life-item(${this.data.label}).detached`);
    },
  },

  pageLifetimes: {
    show() {
      log(`life-item(${this.data.label}).pageShow`);
    },
    hide() {
      log(`life-item(${this.data.label}).pageHide`);
    },
  },
});
