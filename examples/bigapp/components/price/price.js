Component({
  properties: {
    value: { type: Number, value: 0 },
    original: { type: Number, value: 0 },
    size: { type: String, value: 'normal' },
  },
});
