// canvas type="2d": drawing through the node SelectorQuery gives; the legacy canvas-id context.
Page({
  data: {
    node: '',
    read: '',
    image: '',
    frames: 0,
    touch2d: '',
    urlLength: '',
    dataUrl: '',
    copySize: '',
    nodeFile: '',
    nodeFileMsg: '',
    drawn: '',
    measure: '',
    touchLegacy: '',
    legacyData: '',
    pathInfo: '',
    tempFilePath: '',
    legacyCopySize: '',
  },

  onReady() {
    wx.createSelectorQuery()
      .select('#c2d')
      .fields({ node: true, size: true })
      .exec((res) => {
        const canvas = res[0].node;
        this.canvas = canvas;
        const defaults = `${canvas.width}x${canvas.height}`;
        // The drawing buffer: half the element's size (drawn scaled up by CSS).
        canvas.width = res[0].width / 2;
        canvas.height = res[0].height / 2;
        const ctx = canvas.getContext('2d');
        this.ctx = ctx;
        ctx.fillStyle = '#ff0000';
        ctx.fillRect(0, 0, 75, 75);
        ctx.fillStyle = 'rgb(0, 0, 255)';
        ctx.fillRect(75, 0, 75, 75);
        // Reads answer at once, as WeChat's do.
        const px = Array.from(ctx.getImageData(10, 10, 1, 1).data);
        ctx.font = '20px sans-serif';
        const width = ctx.measureText('Hello').width;
        ctx.beginPath();
        ctx.rect(0, 0, 10, 10);
        const inside = ctx.isPointInPath(5, 5);
        const path = canvas.createPath2D();
        path.arc(20, 20, 5, 0, Math.PI * 2);
        this.setData({
          node: JSON.stringify({ defaults, width: canvas.width, height: canvas.height, size: [res[0].width, res[0].height], sameCanvas: ctx.canvas === canvas }),
          read: JSON.stringify({ pixel: px, measured: width > 20, inside, path2d: ctx.isPointInPath(path, 20, 20) }),
        });
        // An image from the package, drawn in the right half's lower part once loaded.
        const img = canvas.createImage();
        img.onload = () => {
          ctx.drawImage(img, 100, 40, 40, 30);
          this.setData({ image: JSON.stringify({ width: img.width, height: img.height }) });
        };
        img.onerror = (e) => this.setData({ image: 'error ' + JSON.stringify(e) });
        img.src = '/images/slide-1.png';
      });
  },

  animate() {
    const canvas = this.canvas;
    const ctx = this.ctx;
    let n = 0;
    const step = () => {
      n += 1;
      ctx.fillStyle = '#00ff00';
      ctx.fillRect(0, 60, n * 7.5, 15);
      this.setData({ frames: n });
      if (n < 10) canvas.requestAnimationFrame(step);
    };
    canvas.requestAnimationFrame(step);
  },

  export2d() {
    const url = this.canvas.toDataURL();
    this.setData({ urlLength: url.slice(0, 22), dataUrl: url });
    // A 2d canvas is exported by passing the node; here its left half, scaled down.
    wx.canvasToTempFilePath({
      canvas: this.canvas,
      x: 0,
      y: 0,
      width: 75,
      height: 75,
      destWidth: 30,
      destHeight: 30,
      success: (res) => this.setData({ nodeFile: res.tempFilePath, nodeFileMsg: res.errMsg }),
      fail: (err) => this.setData({ nodeFileMsg: err.errMsg }),
    });
  },

  onCopyLoad(e) {
    this.setData({ copySize: JSON.stringify(e.detail) });
  },

  onTouch2d(e) {
    const t = e.touches[0];
    this.setData({ touch2d: JSON.stringify({ x: Math.round(t.x), y: Math.round(t.y) }) });
  },

  // --- legacy ---

  drawLegacy() {
    const ctx = wx.createCanvasContext('legacy');
    ctx.setFillStyle('#ff0000');
    ctx.fillRect(0, 0, 100, 100);
    ctx.fillStyle = '#0000ff';
    ctx.fillRect(100, 0, 100, 100);
    const grd = ctx.createLinearGradient(0, 0, 200, 0);
    grd.addColorStop(0, '#ffffff');
    grd.addColorStop(1, '#000000');
    ctx.setFillStyle(grd);
    ctx.fillRect(0, 80, 200, 20);
    ctx.setFontSize(20);
    ctx.setFillStyle('#ffffff');
    ctx.fillText('Hi', 10, 30);
    ctx.save();
    ctx.translate(150, 40);
    ctx.drawImage('/images/slide-1.png', 0, 0, 30, 20);
    ctx.restore();
    this.setData({ measure: JSON.stringify({ wide: ctx.measureText('Hello world').width > 50 }) });
    ctx.draw(false, () => this.setData({ drawn: 'drawn' }));
  },

  drawMore() {
    const ctx = wx.createCanvasContext('legacy', this);
    ctx.setStrokeStyle('#00ff00');
    ctx.setLineWidth(10);
    ctx.beginPath();
    ctx.moveTo(0, 50);
    ctx.lineTo(200, 50);
    ctx.stroke();
    ctx.draw(true, () => this.setData({ drawn: 'drawn, reserved' }));
  },

  exportLegacy() {
    wx.canvasToTempFilePath({
      canvasId: 'legacy',
      x: 0,
      y: 0,
      width: 200,
      height: 100,
      destWidth: 200,
      destHeight: 100,
      success: (res) => {
        this.setData({ tempFilePath: res.tempFilePath, pathInfo: JSON.stringify({ errMsg: res.errMsg, prefix: res.tempFilePath.slice(0, 22) }) });
      },
      fail: (err) => this.setData({ pathInfo: JSON.stringify(err) }),
    });
  },

  legacyPixels() {
    wx.canvasGetImageData({
      canvasId: 'legacy',
      x: 10,
      y: 10,
      width: 2,
      height: 1,
    }).then((res) => {
      this.setData({ legacyData: JSON.stringify({ errMsg: res.errMsg, width: res.width, height: res.height, data: Array.from(res.data) }) });
    });
  },

  onLegacyCopyLoad(e) {
    this.setData({ legacyCopySize: JSON.stringify(e.detail) });
  },

  onTouchLegacy(e) {
    const t = e.touches[0];
    this.setData({ touchLegacy: JSON.stringify({ type: e.type, x: Math.round(t.x), y: Math.round(t.y) }) });
  },
});
