// createSelectorQuery: each button runs a query and prints what its callbacks received.
const show = (value) => JSON.stringify(value);

Page({
  data: {
    items: [1, 2, 3],
    rows: Array.from({ length: 20 }, (_, i) => i),
    rect: "",
    all: "",
    missingText: "",
    pageScope: "",
    deepText: "",
    fieldsText: "",
    viewportText: "",
    nodeText: "",
  },

  measure() {
    let own = null;
    this.createSelectorQuery()
      .select("#box")
      .boundingClientRect((res) => {
        own = res;
      })
      .exec((results) => {
        // The request's own callback and exec's callback see the same result.
        this.setData({ rect: show({ own, exec: results[0], same: JSON.stringify(own) === JSON.stringify(results[0]) }) });
      });
  },

  selectAll() {
    wx.createSelectorQuery()
      .selectAll(".item")
      .boundingClientRect()
      .selectAll(".nothing-matches")
      .boundingClientRect()
      .exec((results) => {
        this.setData({
          all: show({
            count: results[0].length,
            ids: results[0].map((r) => r.id),
            ns: results[0].map((r) => r.dataset.n),
            heights: results[0].map((r) => r.height),
            none: results[1],
          }),
        });
      });
  },

  missing() {
    wx.createSelectorQuery()
      .select("#nowhere")
      .boundingClientRect()
      .exec((results) => this.setData({ missingText: show({ missing: results[0], length: results.length }) }));
  },

  pageScope() {
    this.createSelectorQuery()
      .select("#same")
      .boundingClientRect()
      .select(".inner")
      .boundingClientRect()
      .select("#probe")
      .boundingClientRect()
      .exec(([same, inner, probe]) => {
        this.setData({ pageScope: show({ sameWidth: same && same.width, inner, probeId: probe && probe.id }) });
      });
  },

  componentScope() {
    this.selectComponent("#probe").measure();
  },

  deep() {
    this.createSelectorQuery()
      .selectAll("#probe >>> .inner")
      .boundingClientRect()
      .selectAll(".section >>> #same")
      .boundingClientRect()
      .exec(([inner, same]) => {
        this.setData({
          deepText: show({
            inner: inner.map((r) => ({ id: r.id, width: r.width, dataset: r.dataset })),
            sameWidths: same.map((r) => r.width),
          }),
        });
      });
  },

  fields() {
    this.createSelectorQuery()
      .select("#sv")
      .fields(
        {
          id: true,
          dataset: true,
          mark: true,
          size: true,
          scrollOffset: true,
          properties: ["scrollY", "scrollX"],
          computedStyle: ["backgroundColor", "overflow", "box-sizing"],
        },
        (res) => this.setData({ fieldsText: show(res) }),
      )
      .exec();
  },

  viewport() {
    wx.createSelectorQuery()
      .selectViewport()
      .scrollOffset()
      .selectViewport()
      .boundingClientRect()
      .exec(([offset, rect]) => this.setData({ viewportText: show({ offset, rect }) }));
  },

  scrollNode() {
    this.createSelectorQuery()
      .select("#sv")
      .node()
      .exec(([res]) => {
        const node = res.node;
        node.scrollTo({ top: 150 });
        this.setData({ nodeText: show({ hasScrollTo: typeof node.scrollTo === "function", scrollEnabled: node.scrollEnabled }) });
      });
  },

  scrollNodeInto() {
    this.createSelectorQuery()
      .select("#sv")
      .node((res) => res.node.scrollIntoView("#row-12"))
      .exec();
  },
});
