Component({
  properties: {
    uid: { type: String, value: 'emitter' },
  },

  methods: {
    firePlain() {
      this.triggerEvent('ping', { from: this.data.uid, n: 1 });
    },
    fireBubbles() {
      this.triggerEvent('ping', { from: this.data.uid, n: 2 }, { bubbles: true });
    },
    fireComposed() {
      this.triggerEvent('ping', { from: this.data.uid, n: 3 }, { bubbles: true, composed: true });
    },
  },
});
