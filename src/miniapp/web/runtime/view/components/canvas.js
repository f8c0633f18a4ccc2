// Built-in components: canvas. See frame.js for the controller interface.
//
// The element holds one HTML <canvas>, CSS-sized to the element:
//  - type="2d": the logic layer draws on its own OffscreenCanvas (logic/canvas.js) and sends a
//    copy after each task it drew in (`{k: "canvas.frame", id, bitmap}`); it is shown here at the
//    drawing buffer's size (the app's canvas.width/height), scaled to the element by CSS;
//  - legacy (canvas-id): `{k: "canvas.draw", id, reserve, actions}` replays a CanvasContext's
//    recorded actions on this canvas's 2d context (backing store: the element's size × the
//    device pixel ratio, so the app draws in CSS px), after loading the images they draw.
// Image loading for canvas.createImage() happens here too (`canvas.image`): the worker may fetch
// nothing. Touch events on a canvas carry x/y relative to it, as WeChat's do.
// Actions are checked against fixed lists of methods and properties, and arguments must be plain
// numbers and strings: nothing the app sends is evaluated.
(function () {
  "use strict";
  const V = globalThis.wxView;
  const doc = document;
  const hasOwn = Object.prototype.hasOwnProperty;

  function reply(req, ok, result, errMsg, transfer) {
    V.toLogic({ k: "media.reply", req, ok, result: ok ? result : undefined, errMsg: ok ? undefined : errMsg }, transfer);
  }
  V.mediaReply = reply;

  // Loads an image URL (package files come with CORS headers: anonymous keeps the canvas
  // readable; a remote image without them is loaded anyway and only taints).
  function loadImage(url) {
    const ok = typeof url === "string" && (/^https?:\/\//i.test(url) || /^data:image\//i.test(url) || /^blob:/i.test(url));
    if (!ok) return Promise.reject(new Error("invalid image src"));
    const attempt = (cors) =>
      new Promise((resolve, reject) => {
        const img = new Image();
        if (cors) img.crossOrigin = "anonymous";
        img.onload = () => resolve(img);
        img.onerror = () => reject(new Error(`GET ${url} error`));
        img.src = url;
      });
    return attempt(true).catch(() => attempt(false));
  }
  V.loadImage = loadImage;

  function canvasOf(msg) {
    const el = Number.isInteger(msg.id) ? V.nodeById(msg.id) : undefined;
    return el && el.__wxCanvas ? el.__wxCanvas : null;
  }

  V.components["wx-canvas"] = (el, meta) => {
    const canvas = doc.createElement("canvas");
    canvas.className = "wx-canvas-el";
    canvas.width = 300;
    canvas.height = 150;
    el.appendChild(canvas);
    let ctx = null;
    const context = () => ctx || (ctx = canvas.getContext("2d"));

    // Legacy canvases draw in CSS px on a backing store scaled by the device pixel ratio.
    function fitLegacy() {
      const ratio = window.devicePixelRatio || 1;
      const w = Math.max(1, Math.round(el.clientWidth * ratio));
      const h = Math.max(1, Math.round(el.clientHeight * ratio));
      if (canvas.width !== w || canvas.height !== h) {
        canvas.width = w;
        canvas.height = h;
      }
    }

    // CSS px on the element → backing-store px.
    function scale() {
      return {
        sx: el.clientWidth > 0 ? canvas.width / el.clientWidth : 1,
        sy: el.clientHeight > 0 ? canvas.height / el.clientHeight : 1,
      };
    }

    const api = {
      el,
      canvas,
      frame(msg) {
        const bitmap = msg.bitmap;
        if (bitmap === null || bitmap === undefined) {
          canvas.width = 0;
          canvas.height = 0;
          return;
        }
        if (!(bitmap instanceof ImageBitmap)) return;
        if (canvas.width !== bitmap.width || canvas.height !== bitmap.height) {
          canvas.width = bitmap.width;
          canvas.height = bitmap.height;
        }
        const c = context();
        c.clearRect(0, 0, canvas.width, canvas.height);
        c.drawImage(bitmap, 0, 0);
        bitmap.close();
      },
      draw(msg) {
        const actions = Array.isArray(msg.actions) ? msg.actions : [];
        const urls = new Set();
        for (const a of actions) {
          if (!Array.isArray(a)) continue;
          if (a[0] === "drawImage" && Array.isArray(a[1])) urls.add(a[1][0]);
          if (a[0] === "set" && Array.isArray(a[1]) && a[1][1] && typeof a[1][1] === "object" && a[1][1].pattern) urls.add(a[1][1].pattern);
        }
        const images = new Map();
        const loads = Array.from(urls, (url) =>
          loadImage(url).then(
            (img) => images.set(url, img),
            () => V.reportError(`canvas: image ${String(url).slice(0, 80)} failed to load`),
          ),
        );
        return Promise.all(loads).then(() => {
          const c = context();
          if (!msg.reserve) {
            fitLegacy();
            c.reset();
          }
          legacy.saved = 0;
          const ratio = window.devicePixelRatio || 1;
          c.save();
          c.setTransform(ratio, 0, 0, ratio, 0, 0);
          replay(c, actions, images, legacy);
          // Unbalanced saves are popped: each draw starts from the same state.
          for (; legacy.saved > 0; legacy.saved--) c.restore();
          c.restore();
        });
      },
      // A region in CSS px, as an off-screen canvas of dest size.
      region(x, y, w, h, dw, dh) {
        const { sx, sy } = scale();
        const out = doc.createElement("canvas");
        out.width = Math.max(1, Math.round(dw));
        out.height = Math.max(1, Math.round(dh));
        out.getContext("2d").drawImage(canvas, x * sx, y * sy, w * sx, h * sy, 0, 0, out.width, out.height);
        return out;
      },
      scale,
    };
    // The app's save() depth while its actions replay.
    const legacy = { saved: 0 };
    el.__wxCanvas = api;

    const ctl = {
      needsConnected: true,
      set(name) {
        if (name === "disableScroll") el.classList.toggle("wx-canvas-no-scroll", V.bool(meta.props.disableScroll));
      },
      // WeChat's canvas touches are {identifier, x, y} relative to the canvas.
      touchPoint(t) {
        const rect = el.getBoundingClientRect();
        return { ...t, x: t.clientX - rect.left, y: t.clientY - rect.top };
      },
    };
    return ctl;
  };

  // --- replaying a legacy CanvasContext's actions ---------------------------------------------

  const METHODS = new Set([
    "rect", "fillRect", "strokeRect", "clearRect", "fill", "stroke", "beginPath", "closePath",
    "moveTo", "lineTo", "arc", "arcTo", "bezierCurveTo", "quadraticCurveTo", "scale", "rotate",
    "translate", "clip", "save", "restore", "setTransform", "transform", "fillText", "strokeText",
    "setLineDash",
  ]);
  const PROPS = new Set([
    "fillStyle", "strokeStyle", "shadowOffsetX", "shadowOffsetY", "shadowBlur", "shadowColor",
    "lineWidth", "lineCap", "lineJoin", "miterLimit", "lineDashOffset", "font", "globalAlpha",
    "globalCompositeOperation", "textAlign", "textBaseline",
  ]);

  const plain = (v) => typeof v === "number" || typeof v === "string" || typeof v === "boolean";
  const numbers = (list) => Array.isArray(list) && list.every((n) => typeof n === "number" && Number.isFinite(n));

  function styleOf(c, v, images) {
    if (typeof v === "string") return v;
    if (!v || typeof v !== "object") return null;
    if (v.gradient === "linear" && numbers(v.args) && v.args.length === 4) {
      const g = c.createLinearGradient(...v.args);
      return addStops(g, v.stops);
    }
    if (v.gradient === "circular" && numbers(v.args) && v.args.length === 3) {
      const [x, y, r] = v.args;
      return addStops(c.createRadialGradient(x, y, 0, x, y, Math.max(0, r)), v.stops);
    }
    if (typeof v.pattern === "string" && images.has(v.pattern)) {
      const rep = ["repeat", "repeat-x", "repeat-y", "no-repeat"].includes(v.repetition) ? v.repetition : "repeat";
      return c.createPattern(images.get(v.pattern), rep);
    }
    return null;
  }

  function addStops(g, stops) {
    if (!Array.isArray(stops)) return g;
    for (const s of stops) {
      if (!Array.isArray(s) || typeof s[0] !== "number" || typeof s[1] !== "string") continue;
      try {
        g.addColorStop(Math.max(0, Math.min(1, s[0])), s[1]);
      } catch {
        // an invalid colour is ignored, as the browser's canvas would
      }
    }
    return g;
  }

  function replay(c, actions, images, state) {
    for (const action of actions) {
      if (!Array.isArray(action) || typeof action[0] !== "string" || !Array.isArray(action[1])) continue;
      const [name, args] = action;
      if (name === "set") {
        const [prop, value] = args;
        if (!PROPS.has(prop)) continue;
        const v = prop === "fillStyle" || prop === "strokeStyle" ? styleOf(c, value, images) : plain(value) ? value : null;
        if (v !== null) c[prop] = v;
        continue;
      }
      if (name === "drawImage") {
        const img = images.get(args[0]);
        const rest = args.slice(1);
        if (img && numbers(rest) && (rest.length === 2 || rest.length === 4 || rest.length === 8)) c.drawImage(img, ...rest);
        continue;
      }
      if (!METHODS.has(name)) continue;
      if (name === "setLineDash") {
        if (numbers(args[0])) c.setLineDash(args[0]);
        continue;
      }
      if (!args.every(plain)) continue;
      if (name === "save") state.saved++;
      if (name === "restore") {
        if (state.saved === 0) continue; // never pops the frame's own save
        state.saved--;
      }
      c[name](...args);
    }
  }

  // --- messages from the logic layer ----------------------------------------------------------

  V.logic["canvas.frame"] = (msg) => {
    const c = canvasOf(msg);
    if (c) c.frame(msg);
    else if (msg.bitmap instanceof ImageBitmap) msg.bitmap.close();
  };

  V.logic["canvas.draw"] = (msg) => {
    const c = canvasOf(msg);
    if (!c) {
      reply(msg.req, false, null, "canvas not found");
      return;
    }
    c.draw(msg).then(
      () => reply(msg.req, true, {}),
      (error) => reply(msg.req, false, null, String(error && error.message)),
    );
  };

  V.logic["canvas.image"] = (msg) => {
    loadImage(msg.src)
      .then((img) => createImageBitmap(img).then((bitmap) => ({ img, bitmap })))
      .then(
        ({ img, bitmap }) => reply(msg.req, true, { bitmap, width: img.naturalWidth, height: img.naturalHeight }, null, [bitmap]),
        (error) => reply(msg.req, false, null, error && error.message ? error.message : "image load failed"),
      );
  };

  const num = (v, fallback) => (typeof v === "number" && Number.isFinite(v) ? v : fallback);

  V.logic["canvas.export"] = (msg) => {
    const c = canvasOf(msg);
    if (!c) {
      reply(msg.req, false, null, "canvas not found");
      return;
    }
    const x = num(msg.x, 0);
    const y = num(msg.y, 0);
    const w = num(msg.width, c.el.clientWidth - x);
    const h = num(msg.height, c.el.clientHeight - y);
    const ratio = num(msg.ratio, window.devicePixelRatio || 1);
    const dw = num(msg.destWidth, w * ratio);
    const dh = num(msg.destHeight, h * ratio);
    if (!(w > 0 && h > 0 && dw > 0 && dh > 0)) {
      reply(msg.req, false, null, "invalid size");
      return;
    }
    try {
      const out = c.region(x, y, w, h, dw, dh);
      const jpg = msg.fileType === "jpg";
      const url = jpg ? out.toDataURL("image/jpeg", Math.max(0, Math.min(1, num(msg.quality, 1)))) : out.toDataURL("image/png");
      reply(msg.req, true, { tempFilePath: url });
    } catch (error) {
      reply(msg.req, false, null, String(error && error.message));
    }
  };

  V.logic["canvas.getImageData"] = (msg) => {
    const c = canvasOf(msg);
    const w = Math.round(num(msg.width, 0));
    const h = Math.round(num(msg.height, 0));
    if (!c || !(w > 0 && h > 0)) {
      reply(msg.req, false, null, c ? "invalid size" : "canvas not found");
      return;
    }
    try {
      const out = c.region(num(msg.x, 0), num(msg.y, 0), w, h, w, h);
      const data = out.getContext("2d").getImageData(0, 0, w, h).data.buffer;
      reply(msg.req, true, { width: w, height: h, data }, null, [data]);
    } catch (error) {
      reply(msg.req, false, null, String(error && error.message));
    }
  };

  V.logic["canvas.putImageData"] = (msg) => {
    const c = canvasOf(msg);
    const w = Math.round(num(msg.width, 0));
    const h = Math.round(num(msg.height, 0));
    if (!c || !(w > 0 && h > 0) || !(msg.data instanceof ArrayBuffer) || msg.data.byteLength !== w * h * 4) {
      reply(msg.req, false, null, c ? "invalid data" : "canvas not found");
      return;
    }
    const tmp = doc.createElement("canvas");
    tmp.width = w;
    tmp.height = h;
    tmp.getContext("2d").putImageData(new ImageData(new Uint8ClampedArray(msg.data), w, h), 0, 0);
    const { sx, sy } = c.scale();
    const target = c.canvas.getContext("2d");
    const x = num(msg.x, 0) * sx;
    const y = num(msg.y, 0) * sy;
    target.clearRect(x, y, w * sx, h * sy);
    target.drawImage(tmp, x, y, w * sx, h * sy);
    reply(msg.req, true, {});
  };

  V.nodeInfo["wx-canvas"] = (el) => {
    const p = el.__wx.props;
    const canvasId = p.canvasId === undefined || p.canvasId === null ? "" : String(p.canvasId);
    return { type: p.type === "2d" ? "2d" : typeof p.type === "string" ? p.type : "", canvasId, id: el.id || "", width: el.clientWidth, height: el.clientHeight };
  };
})();
