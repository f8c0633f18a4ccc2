// movable-area / movable-view: each direction mode, out-of-bounds, inertia, x / y from data,
// scale. Each view prints its last bindchange detail and the sources seen so far.
function recorder(name) {
  return function (e) {
    const seen = this.data.sources[name] || [];
    const source = e.detail.source;
    const update = { [`last.${name}`]: JSON.stringify(e.detail) };
    if (seen[seen.length - 1] !== source) update[`sources.${name}`] = seen.concat([source]);
    this.setData(update);
  };
}

Page({
  data: {
    last: { all: '', horizontal: '', vertical: '', none: '', bounds: '', inertia: '', scale: '' },
    sources: { all: [], horizontal: [], vertical: [], none: [], bounds: [], inertia: [] },
    x: 0,
    y: 0,
    scaleDetail: '',
    hmoves: 0,
    vmoves: 0,
  },
  onAll: recorder('all'),
  onHorizontal: recorder('horizontal'),
  onVertical: recorder('vertical'),
  onNone: recorder('none'),
  onBounds: recorder('bounds'),
  onInertia: recorder('inertia'),
  onScale(e) {
    this.setData({ scaleDetail: JSON.stringify(e.detail) });
  },
  onHMove() {
    this.setData({ hmoves: this.data.hmoves + 1 });
  },
  onVMove() {
    this.setData({ vmoves: this.data.vmoves + 1 });
  },
  moveTo() {
    this.setData({ x: 120, y: 60 });
  },
  moveFar() {
    // Out of range: the view stops at the area's edge.
    this.setData({ x: 1000, y: '40rpx' });
  },
});
