function describe(event) {
  return `detail=${JSON.stringify(event.detail)} currentTarget=${event.currentTarget.id}`;
}

// Holds an emitter inside its own template: a bubbling event that is not composed stays in this
// component's tree; a composed one continues to the page.
Component({
  methods: {
    onInnerPing(event) {
      getApp().log(`ev-wrapper.onInnerPing ${describe(event)}`);
    },
    onRootPing(event) {
      getApp().log(`ev-wrapper.onRootPing ${describe(event)}`);
    },
  },
});
