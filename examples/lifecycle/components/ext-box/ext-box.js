Component({
  externalClasses: ['box-class'],
  properties: {
    uid: { type: String, value: 'ext' },
  },
});
