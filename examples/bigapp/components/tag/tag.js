Component({
  properties: {
    text: { type: String, value: '' },
    type: { type: String, value: 'plain' },
  },
});
