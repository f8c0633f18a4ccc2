Component({
  externalClasses: ['custom-class'],
  properties: { type: { type: String, value: 'default' }, disabled: Boolean },
  methods: {
    onTap(event) { if (!this.data.disabled) this.triggerEvent('press', { at: event.timeStamp }); },
  },
});
