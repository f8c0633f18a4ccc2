Page({
  data: { id: "", kind: "" },
  onLoad(query) {
    this.setData({ id: query.id || "none", kind: query.kind || "none" });
  },
});
