Component({
  properties: {
    title: { type: String, value: 'default slot' },
  },
});
