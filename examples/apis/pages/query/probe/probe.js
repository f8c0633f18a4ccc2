// A component whose query sees only its own template: its #same, not the page's.
Component({
  data: { result: "" },
  methods: {
    measure() {
      this.createSelectorQuery()
        .select("#same")
        .boundingClientRect()
        .select(".same")
        .boundingClientRect()
        .select("#box")
        .boundingClientRect()
        .exec(([same, pageClass, pageBox]) => {
          this.setData({
            result: JSON.stringify({ sameWidth: same && same.width, sameDataset: same && same.dataset, pageClass, pageBox }),
          });
        });
    },
  },
});
