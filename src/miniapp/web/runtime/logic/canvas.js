// wx APIs: canvas (see wx.js `extend`). A classic script loaded by the worker after wx.js.
//
// Two canvases, as WeChat has:
//  - `<canvas type="2d">`: the app gets a Canvas node (SelectorQuery `fields({node: true})`),
//    whose drawing happens here, synchronously, on an OffscreenCanvas the worker owns (so
//    getImageData, measureText, isPointInPath and toDataURL answer at once, as WeChat's do). After
//    each task in which the app drew, a copy (an ImageBitmap, transferred) goes through the page
//    channel to the view, which shows it on the element (view/components/canvas.js). Images
//    (`canvas.createImage()`) are loaded by the view, since the worker may fetch nothing, and come
//    back as ImageBitmaps.
//  - the legacy `<canvas canvas-id>`: wx.createCanvasContext records drawing actions; `draw()`
//    sends them to the view, which replays them on the element's own 2d context.
// Also defines `self.MiniappMedia`: helpers media.js (video and map contexts) shares.
(function () {
  "use strict";
  const W = self.MiniappWx;
  const F = self.MiniappFramework;
  const hasOwn = Object.prototype.hasOwnProperty;

  // ---- helpers shared with media.js ------------------------------------------------------------

  // The page and template scope `component` (a page's or component's `this`) stands for; without
  // one, the current page (WeChat's default for create*Context).
  function scopeOf(component) {
    const inst = component ? F.instanceOf(component) : null;
    if (inst) return { page: inst.page, owner: inst };
    const pages = F.getCurrentPages();
    const top = pages.length ? F.instanceOf(pages[pages.length - 1]) : null;
    return top ? { page: top.page, owner: top } : null;
  }

  // The built-in element `irTag` of the scope whose attribute `names` (either spelling) is `value`.
  function findNode(scope, irTag, names, value) {
    if (!scope || !scope.page.alive) return null;
    for (const vnode of scope.page.nodes.values()) {
      if (vnode.type !== 1 || vnode.irTag !== irTag || vnode.owner !== scope.owner) continue;
      for (const name of names) {
        if (hasOwn.call(vnode.attrs, name) && String(vnode.attrs[name]) === String(value)) return vnode;
      }
    }
    return null;
  }

  // Requests to the view, answered by `{k: "media.reply", req, ok, result, errMsg}`.
  let nextReq = 1;
  const waiting = new Map();
  function request(pageId, msg, transfer) {
    return new Promise((resolve, reject) => {
      const req = nextReq++;
      waiting.set(req, { resolve, reject });
      if (!F.toView(pageId, { ...msg, req }, transfer)) {
        waiting.delete(req);
        reject({ errMsg: "page is gone" });
      }
    });
  }
  F.viewHandlers["media.reply"] = (pageId, msg) => {
    const entry = waiting.get(msg.req);
    if (!entry) return;
    waiting.delete(msg.req);
    if (msg.ok) entry.resolve(msg.result && typeof msg.result === "object" ? msg.result : {});
    else entry.reject({ errMsg: typeof msg.errMsg === "string" ? msg.errMsg : "fail" });
  };

  // A package path as the URL the view can load (absolute and remote URLs pass unchanged).
  function asset(owner, src) {
    if (typeof src !== "string") return "";
    return F.resolveAsset && owner ? F.resolveAsset(owner, src) : src;
  }

  function pixelRatio() {
    const boot = W.boot();
    const r = boot && boot.system ? Number(boot.system.pixelRatio) : 1;
    return Number.isFinite(r) && r > 0 ? r : 1;
  }

  const M = (self.MiniappMedia = { scopeOf, findNode, request, asset, pixelRatio });

  // ---- PNG encoding (toDataURL is synchronous in WeChat) ----------------------------------------

  const CRC_TABLE = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    CRC_TABLE[n] = c >>> 0;
  }
  function crc32(bytes, start, end) {
    let c = 0xffffffff;
    for (let i = start; i < end; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  }

  // An RGBA image as a PNG file: no filtering, zlib "stored" blocks (uncompressed): simple,
  // synchronous and exact; the files are larger than a compressing encoder's.
  function encodePng(width, height, rgba) {
    const rowLen = width * 4 + 1;
    const raw = new Uint8Array(rowLen * height);
    for (let y = 0; y < height; y++) raw.set(rgba.subarray(y * width * 4, (y + 1) * width * 4), y * rowLen + 1);
    const blocks = Math.max(1, Math.ceil(raw.length / 65535));
    const zlen = 2 + raw.length + 5 * blocks + 4;
    const out = new Uint8Array(8 + 25 + 12 + zlen + 12);
    const view = new DataView(out.buffer);
    out.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 0);
    let p = 8;
    function chunk(type, length, fill) {
      view.setUint32(p, length);
      for (let i = 0; i < 4; i++) out[p + 4 + i] = type.charCodeAt(i);
      fill(p + 8);
      view.setUint32(p + 8 + length, crc32(out, p + 4, p + 8 + length));
      p += 12 + length;
    }
    chunk("IHDR", 13, (at) => {
      view.setUint32(at, width);
      view.setUint32(at + 4, height);
      out.set([8, 6, 0, 0, 0], at + 8); // 8 bits, RGBA, deflate, no filter, no interlace
    });
    chunk("IDAT", zlen, (at) => {
      out[at] = 0x78;
      out[at + 1] = 0x01;
      let q = at + 2;
      let a = 1;
      let b = 0;
      for (let i = 0; i < blocks; i++) {
        const start = i * 65535;
        const len = Math.min(65535, raw.length - start);
        out[q] = i === blocks - 1 ? 1 : 0;
        out[q + 1] = len & 0xff;
        out[q + 2] = len >>> 8;
        out[q + 3] = ~len & 0xff;
        out[q + 4] = (~len >>> 8) & 0xff;
        out.set(raw.subarray(start, start + len), q + 5);
        q += 5 + len;
      }
      // Adler-32 of the raw data, in runs short enough not to overflow.
      for (let i = 0; i < raw.length; ) {
        const end = Math.min(raw.length, i + 5552);
        for (; i < end; i++) {
          a += raw[i];
          b += a;
        }
        a %= 65521;
        b %= 65521;
      }
      view.setUint32(q, ((b << 16) | a) >>> 0);
    });
    chunk("IEND", 0, () => {});
    return out;
  }

  function base64(bytes) {
    let s = "";
    for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    return btoa(s);
  }

  function pngDataUrl(offscreen, sx, sy, sw, sh, dw, dh) {
    let source = offscreen;
    if (sx !== 0 || sy !== 0 || sw !== offscreen.width || sh !== offscreen.height || dw !== sw || dh !== sh) {
      source = new OffscreenCanvas(dw, dh);
      source.getContext("2d").drawImage(offscreen, sx, sy, sw, sh, 0, 0, dw, dh);
    }
    if (source.width === 0 || source.height === 0) return "data:,";
    const pixels = source.getContext("2d").getImageData(0, 0, source.width, source.height).data;
    return "data:image/png;base64," + base64(encodePng(source.width, source.height, pixels));
  }
  M.pngDataUrl = pngDataUrl;

  // ---- the 2d Canvas node ----------------------------------------------------------------------

  // Animation frames for canvas.requestAnimationFrame: a timer, since a worker whose frame is
  // hidden may get no animation frames of its own.
  let frameCallbacks = new Map();
  let nextFrameId = 1;
  let frameTimer = 0;
  function requestFrame(fn) {
    const id = nextFrameId++;
    frameCallbacks.set(id, fn);
    if (frameTimer === 0) frameTimer = setTimeout(runFrame, 16);
    return id;
  }
  function runFrame() {
    frameTimer = 0;
    const due = frameCallbacks;
    frameCallbacks = new Map();
    const now = performance.now();
    for (const fn of due.values()) W.safeCall(fn, now);
  }

  // What the native context takes in place of our wrappers (images, canvases).
  function unwrap(v) {
    if (v instanceof CanvasImage) return v._bitmap;
    if (v instanceof CanvasNode) return v._canvas;
    return v;
  }

  const READS = new Set(["getImageData", "measureText", "isPointInPath", "isPointInStroke", "getTransform", "getLineDash", "getContextAttributes", "createLinearGradient", "createRadialGradient", "createConicGradient", "createPattern", "createImageData"]);

  class CanvasNode {
    constructor(pageId, nodeId, owner) {
      this._page = pageId;
      this._node = nodeId;
      this._owner = owner;
      this._canvas = new OffscreenCanvas(300, 150);
      this._ctx = null;
      this._context = null;
      this._scheduled = false;
      this._sending = false;
      this._again = false;
    }
    get width() {
      return this._canvas.width;
    }
    set width(v) {
      this._canvas.width = Math.max(0, Math.floor(Number(v) || 0));
      this._dirty();
    }
    get height() {
      return this._canvas.height;
    }
    set height(v) {
      this._canvas.height = Math.max(0, Math.floor(Number(v) || 0));
      this._dirty();
    }
    getContext(type) {
      if (type !== "2d") return null; // webgl is not supported (WeChat answers null for a wrong type)
      if (this._context === null) {
        this._ctx = this._canvas.getContext("2d");
        this._context = contextProxy(this);
      }
      return this._context;
    }
    createImage() {
      return new CanvasImage(this);
    }
    createImageData(a, b) {
      if (a && typeof a === "object") return new ImageData(a.width, a.height);
      return new ImageData(Math.max(1, Math.floor(a)), Math.max(1, Math.floor(b)));
    }
    createPath2D(path) {
      return path === undefined ? new Path2D() : new Path2D(path);
    }
    requestAnimationFrame(fn) {
      return requestFrame(fn);
    }
    cancelAnimationFrame(id) {
      frameCallbacks.delete(id);
    }
    toDataURL(type, quality) {
      void type;
      void quality;
      const c = this._canvas;
      return pngDataUrl(c, 0, 0, c.width, c.height, c.width, c.height);
    }
    // Marks the picture changed: a copy goes to the view after the current task.
    _dirty() {
      if (this._node === null || this._scheduled) return;
      this._scheduled = true;
      setTimeout(() => this._send(), 0);
    }
    _send() {
      this._scheduled = false;
      if (this._sending) {
        this._again = true;
        return;
      }
      const c = this._canvas;
      if (c.width === 0 || c.height === 0) {
        F.toView(this._page, { k: "canvas.frame", id: this._node, bitmap: null, width: 0, height: 0 });
        return;
      }
      this._sending = true;
      createImageBitmap(c).then(
        (bitmap) => {
          this._sending = false;
          if (!F.toView(this._page, { k: "canvas.frame", id: this._node, bitmap, width: bitmap.width, height: bitmap.height }, [bitmap])) {
            bitmap.close();
            return;
          }
          if (this._again) {
            this._again = false;
            this._send();
          }
        },
        () => {
          this._sending = false;
        },
      );
    }
  }

  function contextProxy(node) {
    const ctx = node._ctx;
    const methods = new Map();
    return new Proxy(ctx, {
      get(target, prop) {
        if (prop === "canvas") return node;
        const value = Reflect.get(target, prop, target);
        if (typeof value !== "function") return value;
        let fn = methods.get(prop);
        if (fn === undefined) {
          const read = READS.has(prop);
          fn = function (...args) {
            if (!read) node._dirty();
            if (prop === "drawImage" || prop === "createPattern") {
              const source = unwrap(args[0]);
              // An image not loaded (yet) draws nothing, as in the browser.
              if (source === null || source === undefined) return null;
              args[0] = source;
            }
            return value.apply(target, args);
          };
          methods.set(prop, fn);
        }
        return fn;
      },
      set(target, prop, value) {
        target[prop] = value;
        node._dirty();
        return true;
      },
    });
  }

  // canvas.createImage(): loaded by the view (the worker may not fetch), handed over as a bitmap.
  class CanvasImage {
    constructor(node) {
      this._canvasNode = node;
      this._src = "";
      this._bitmap = null;
      this._load = 0;
      this.width = 0;
      this.height = 0;
      this.complete = false;
      this.onload = null;
      this.onerror = null;
      this.referrerPolicy = "";
    }
    get src() {
      return this._src;
    }
    set src(value) {
      const src = String(value === undefined || value === null ? "" : value);
      this._src = src;
      this.complete = false;
      const load = ++this._load;
      const node = this._canvasNode;
      const url = asset(node._owner, src);
      const fail = (errMsg) => {
        if (load !== this._load) return;
        this.complete = true;
        if (typeof this.onerror === "function") W.safeCall(this.onerror.bind(this), { type: "error", errMsg });
      };
      if (url === "" || node._page === null) {
        Promise.resolve().then(() => fail("image src is empty"));
        return;
      }
      request(node._page, { k: "canvas.image", src: url }).then(
        (result) => {
          if (load !== this._load) {
            if (result.bitmap) result.bitmap.close();
            return;
          }
          if (this._bitmap) this._bitmap.close();
          this._bitmap = result.bitmap;
          this.width = result.width;
          this.height = result.height;
          this.complete = true;
          if (typeof this.onload === "function") W.safeCall(this.onload.bind(this), { type: "load" });
        },
        (error) => fail(error.errMsg),
      );
    }
  }

  // One node object per element, kept while its page lives (the drawing persists across queries).
  const canvasNodes = new Map(); // "page:node" → CanvasNode

  function canvasNode(pageId, nodeId, info) {
    if (!info || info.type !== "2d") return null;
    for (const [key, node] of canvasNodes) {
      const page = F.state.pages.get(node._page);
      if (!page || !page.alive || !page.nodes.has(node._node)) canvasNodes.delete(key);
    }
    const key = `${pageId}:${nodeId}`;
    let node = canvasNodes.get(key);
    if (!node) {
      const page = F.state.pages.get(pageId);
      const vnode = page ? page.nodes.get(nodeId) : null;
      node = new CanvasNode(pageId, nodeId, vnode ? vnode.owner : null);
      canvasNodes.set(key, node);
    }
    return node;
  }
  F.nodeFactories.canvas = canvasNode;

  // ---- the legacy CanvasContext (canvas-id) ----------------------------------------------------

  class CanvasGradientRecord {
    constructor(kind, args) {
      this._kind = kind;
      this._args = args;
      this._stops = [];
    }
    addColorStop(offset, color) {
      this._stops.push([Number(offset), String(color)]);
    }
  }

  // What a recorded style becomes on the wire.
  function styleValue(v) {
    if (v instanceof CanvasGradientRecord) return { gradient: v._kind, args: v._args, stops: v._stops };
    if (v && typeof v === "object" && v._pattern) return { pattern: v._pattern, repetition: v._repetition };
    return String(v);
  }

  const PROPS = [
    "fillStyle", "strokeStyle", "shadowOffsetX", "shadowOffsetY", "shadowBlur", "shadowColor",
    "lineWidth", "lineCap", "lineJoin", "miterLimit", "lineDashOffset", "font", "globalAlpha",
    "globalCompositeOperation", "textAlign", "textBaseline",
  ];
  const PLAIN = [
    "rect", "fillRect", "strokeRect", "clearRect", "fill", "stroke", "beginPath", "closePath",
    "moveTo", "lineTo", "arc", "arcTo", "bezierCurveTo", "quadraticCurveTo", "scale", "rotate",
    "translate", "clip", "save", "restore", "setTransform", "transform",
  ];

  class CanvasContext {
    constructor(canvasId, scope) {
      this.canvasId = canvasId;
      this._scope = scope;
      this._actions = [];
      this._state = { font: "10px sans-serif" };
      this._measure = null;
    }
    _push(name, args) {
      this._actions.push([name, args]);
    }
    _set(prop, value) {
      const v = prop === "fillStyle" || prop === "strokeStyle" ? styleValue(value) : value;
      this._state[prop] = value;
      this._actions.push(["set", [prop, v]]);
    }
    setFillStyle(v) {
      this._set("fillStyle", v);
    }
    setStrokeStyle(v) {
      this._set("strokeStyle", v);
    }
    setShadow(x, y, blur, color) {
      this._set("shadowOffsetX", Number(x) || 0);
      this._set("shadowOffsetY", Number(y) || 0);
      this._set("shadowBlur", Number(blur) || 0);
      this._set("shadowColor", color === undefined ? "black" : String(color));
    }
    setLineWidth(v) {
      this._set("lineWidth", Number(v));
    }
    setLineCap(v) {
      this._set("lineCap", String(v));
    }
    setLineJoin(v) {
      this._set("lineJoin", String(v));
    }
    setMiterLimit(v) {
      this._set("miterLimit", Number(v));
    }
    setLineDash(pattern, offset) {
      this._push("setLineDash", [Array.isArray(pattern) ? pattern.map(Number) : []]);
      if (offset !== undefined) this._set("lineDashOffset", Number(offset));
    }
    setFontSize(size) {
      // WeChat keeps the family and only changes the size.
      const font = `${Number(size) || 10}px sans-serif`;
      this._set("font", font);
    }
    setGlobalAlpha(v) {
      this._set("globalAlpha", Number(v));
    }
    setTextAlign(v) {
      this._set("textAlign", String(v));
    }
    setTextBaseline(v) {
      this._set("textBaseline", String(v));
    }
    createLinearGradient(x0, y0, x1, y1) {
      return new CanvasGradientRecord("linear", [x0, y0, x1, y1].map(Number));
    }
    createCircularGradient(x, y, r) {
      return new CanvasGradientRecord("circular", [x, y, r].map(Number));
    }
    createPattern(image, repetition) {
      return { _pattern: asset(this._scope && this._scope.owner, String(image)), _repetition: String(repetition || "repeat") };
    }
    fillText(text, x, y, maxWidth) {
      this._push("fillText", maxWidth === undefined ? [String(text), x, y] : [String(text), x, y, maxWidth]);
    }
    strokeText(text, x, y, maxWidth) {
      this._push("strokeText", maxWidth === undefined ? [String(text), x, y] : [String(text), x, y, maxWidth]);
    }
    drawImage(image, ...rest) {
      const src = typeof image === "string" ? asset(this._scope && this._scope.owner, image) : "";
      if (src === "") throw new TypeError("drawImage: the image must be a path or URL");
      this._push("drawImage", [src, ...rest.map(Number)]);
    }
    measureText(text) {
      if (this._measure === null) this._measure = new OffscreenCanvas(1, 1).getContext("2d");
      this._measure.font = this._state.font;
      return { width: this._measure.measureText(String(text)).width };
    }
    draw(reserve, callback) {
      const actions = this._actions;
      this._actions = [];
      const done = (ok) => {
        if (typeof callback === "function") W.safeCall(callback, ok ? undefined : { errMsg: "drawCanvas:fail canvas not found" });
      };
      const vnode = findNode(this._scope, "canvas", ["canvas-id", "canvasId"], this.canvasId);
      if (!vnode) {
        console.error(`canvas: no <canvas canvas-id="${this.canvasId}"> on the page`);
        return;
      }
      let wire;
      try {
        wire = JSON.parse(JSON.stringify(actions));
      } catch {
        wire = [];
      }
      request(this._scope.page.id, { k: "canvas.draw", id: vnode.id, reserve: !!reserve, actions: wire }).then(
        () => done(true),
        () => done(false),
      );
    }
  }
  for (const name of PLAIN) {
    CanvasContext.prototype[name] = function (...args) {
      this._push(name, args);
    };
  }
  for (const prop of PROPS) {
    Object.defineProperty(CanvasContext.prototype, prop, {
      get() {
        return this._state[prop];
      },
      set(value) {
        this._set(prop, value);
      },
    });
  }

  F.contextFactories.canvas = (pageId, nodeId, info) => {
    const page = F.state.pages.get(pageId);
    const vnode = page ? page.nodes.get(nodeId) : null;
    if (!vnode) return null;
    const canvasId = vnode.attrs["canvas-id"] ?? vnode.attrs.canvasId ?? (info && info.canvasId);
    return new CanvasContext(String(canvasId ?? ""), { page, owner: vnode.owner });
  };

  // ---- wx APIs ----------------------------------------------------------------------------------

  function legacyNode(name, opts, component) {
    const scope = scopeOf(component);
    const vnode = findNode(scope, "canvas", ["canvas-id", "canvasId"], opts.canvasId);
    if (!vnode) throw { errMsg: `${name}:fail canvas not found` };
    return { scope, vnode };
  }

  function num(v, fallback) {
    const n = Number(v);
    return v === undefined || v === null || !Number.isFinite(n) ? fallback : n;
  }

  function canvasToTempFilePath(options, component) {
    return W.api("canvasToTempFilePath", (opts) => {
      const fileType = opts.fileType === "jpg" ? "jpg" : "png";
      if (opts.canvas instanceof CanvasNode) {
        const c = opts.canvas._canvas;
        const x = num(opts.x, 0);
        const y = num(opts.y, 0);
        const width = num(opts.width, c.width - x);
        const height = num(opts.height, c.height - y);
        const dw = Math.max(1, Math.round(num(opts.destWidth, width)));
        const dh = Math.max(1, Math.round(num(opts.destHeight, height)));
        return { tempFilePath: pngDataUrl(c, x, y, width, height, dw, dh) };
      }
      const { scope, vnode } = legacyNode("canvasToTempFilePath", opts, component);
      const args = { x: num(opts.x, 0), y: num(opts.y, 0), fileType, quality: num(opts.quality, 1), ratio: pixelRatio() };
      for (const key of ["width", "height", "destWidth", "destHeight"]) if (opts[key] !== undefined) args[key] = num(opts[key], undefined);
      return request(scope.page.id, { k: "canvas.export", id: vnode.id, ...args }).then(
        (result) => ({ tempFilePath: result.tempFilePath }),
        (error) => {
          throw { errMsg: `canvasToTempFilePath:fail ${error.errMsg}` };
        },
      );
    })(options);
  }

  function canvasGetImageData(options, component) {
    return W.api("canvasGetImageData", (opts) => {
      const { scope, vnode } = legacyNode("canvasGetImageData", opts, component);
      const rect = { x: num(opts.x, 0), y: num(opts.y, 0), width: num(opts.width, 0), height: num(opts.height, 0) };
      if (!(rect.width > 0 && rect.height > 0)) throw { errMsg: "canvasGetImageData:fail width and height must be positive" };
      return request(scope.page.id, { k: "canvas.getImageData", id: vnode.id, ...rect }).then((result) => ({
        width: result.width,
        height: result.height,
        data: new Uint8ClampedArray(result.data),
      }));
    })(options);
  }

  function canvasPutImageData(options, component) {
    return W.api("canvasPutImageData", (opts) => {
      const { scope, vnode } = legacyNode("canvasPutImageData", opts, component);
      const width = num(opts.width, 0);
      const height = num(opts.height, 0);
      const data = opts.data;
      if (!(width > 0 && height > 0) || !data || data.length !== width * height * 4) {
        throw { errMsg: "canvasPutImageData:fail data length must be width * height * 4" };
      }
      const copy = new Uint8ClampedArray(data).buffer;
      return request(scope.page.id, { k: "canvas.putImageData", id: vnode.id, x: num(opts.x, 0), y: num(opts.y, 0), width, height, data: copy }, [copy]).then(() => ({}));
    })(options);
  }

  W.extend({
    createCanvasContext(canvasId, component) {
      return new CanvasContext(String(canvasId), scopeOf(component));
    },
    canvasToTempFilePath,
    canvasGetImageData,
    canvasPutImageData,
    // An off-screen 2d canvas (not shown anywhere): the same node without a view.
    createOffscreenCanvas(options, width, height, component) {
      let o = options;
      if (typeof o !== "object" || o === null) o = { type: o, width, height, component };
      if (o.type !== undefined && o.type !== "2d") throw new Error("createOffscreenCanvas:fail not supported: only type 2d");
      const scope = scopeOf(null);
      const node = new CanvasNode(scope ? scope.page.id : null, null, scope ? scope.owner : null);
      if (o.width !== undefined) node.width = o.width;
      if (o.height !== undefined) node.height = o.height;
      return node;
    },
  });
})();
