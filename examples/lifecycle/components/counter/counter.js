Component({
  data: {
    count: 0,
  },
  methods: {
    // Called by the page through selectComponent('#counter-comp').
    increment(step) {
      this.setData({ count: this.data.count + (step || 1) });
      return this.data.count;
    },
  },
});
