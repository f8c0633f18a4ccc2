// createAnimation: "play" exports two steps (move and turn, then fade) into the box's animation
// attribute; each finished step fires transitionend, which bubbles. this.animate plays keyframes.
Page({
  data: { ani: null, endCount: 0, stageCount: 0, endDetail: "", exported: "", exportedAgain: "", kf: "" },

  play() {
    const animation = wx.createAnimation({ duration: 300, timingFunction: "ease" });
    animation.translateX(100).rotate(45).step();
    animation.opacity(0.5).step({ duration: 200, timingFunction: "linear" });
    const ani = animation.export();
    // export() clears what was recorded.
    const again = animation.export();
    this.setData({ ani, exported: JSON.stringify(ani), exportedAgain: JSON.stringify(again) });
  },

  reset() {
    const animation = wx.createAnimation({ duration: 0 });
    animation.translateX(0).rotate(0).opacity(1).step();
    this.setData({ ani: animation.export(), endCount: 0, stageCount: 0, endDetail: "" });
  },

  onEnd(e) {
    this.setData({ endCount: this.data.endCount + 1, endDetail: JSON.stringify({ type: e.type, detail: e.detail, target: e.target.id }) });
  },

  onStageEnd() {
    this.setData({ stageCount: this.data.stageCount + 1 });
  },

  keyframes() {
    this.setData({ kf: "running" });
    this.animate(
      "#kf-box",
      [
        { opacity: 1, translate: [0, 0], backgroundColor: "#10aeff" },
        { opacity: 0.4, translate: [60, 0], backgroundColor: "#fa5151" },
      ],
      300,
      () => this.setData({ kf: "done" }),
    );
  },

  clear() {
    this.clearAnimation("#kf-box", () => this.setData({ kf: "cleared" }));
  },
});
