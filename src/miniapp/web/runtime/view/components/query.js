// The view's side of the layout APIs (logic/query.js and logic/animation.js):
//  - `query`: SelectorQuery's fields for node ids the logic layer matched (rect, size,
//    scrollOffset, properties, computedStyle, node info), answered with `queryResult`;
//  - `ioObserve` / `ioDisconnect`: IntersectionObserver, with the browser's IntersectionObserver
//    rooted at this frame's document (so margins apply to the page's viewport) or at the
//    relativeTo node, reporting `ioEntry` when the ratio crosses a threshold as WeChat does;
//  - `scrollView`: the ScrollViewContext a scroll-view's `node` gives (scrollTo, scrollIntoView);
//  - the `animation` attribute on any element (V.playAnimation, called by frame.js): the exported
//    steps are played in order with CSS transitions, each reported as a bubbling `transitionend`;
//  - `animate` / `clearAnimation`: this.animate(selector, keyframes, duration, callback) with
//    the Web Animations API.
// Everything the logic layer sends is app data: numbers, lengths, colours and timing functions
// are validated (CSS.supports, never string-built CSS text) before they reach the CSSOM.
(function () {
  "use strict";

  const V = globalThis.wxView;
  const doc = document;
  const hasOwn = Object.prototype.hasOwnProperty;
  const isObj = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
  const isNum = (v) => typeof v === "number" && Number.isFinite(v);
  const camel = (name) => name.replace(/-([a-z0-9])/g, (_, c) => c.toUpperCase());
  const dash = (name) => (name.startsWith("--") ? name : name.replace(/[A-Z]/g, (c) => "-" + c.toLowerCase()));
  const MAX_NODES = 5000;

  function element(id) {
    const el = Number.isInteger(id) ? V.nodeById(id) : undefined;
    return el !== undefined && el.nodeType === 1 ? el : null;
  }

  // The element that scrolls: a scroll-view scrolls its inner scroller, everything else itself.
  function scrollerOf(el) {
    if (el.localName === "wx-scroll-view") {
      const s = el.querySelector(":scope > .wx-scroll-view-scroller");
      if (s !== null) return s;
    }
    return el;
  }

  // --- SelectorQuery --------------------------------------------------------------------------

  function nodeFields(el, f) {
    const out = {};
    if (f.rect || f.size) {
      const r = el.getBoundingClientRect();
      if (f.rect) Object.assign(out, { left: r.left, right: r.right, top: r.top, bottom: r.bottom });
      if (f.size) Object.assign(out, { width: r.width, height: r.height });
    }
    if (f.scrollOffset) {
      const s = scrollerOf(el);
      Object.assign(out, { scrollLeft: s.scrollLeft, scrollTop: s.scrollTop, scrollWidth: s.scrollWidth, scrollHeight: s.scrollHeight });
    }
    if (Array.isArray(f.properties) && el.__wx.builtin) {
      // Built-ins keep their attributes as camelCase properties (frame.js); custom components'
      // properties are answered by the logic layer.
      const props = el.__wx.props || {};
      const values = {};
      for (const name of f.properties.slice(0, 100)) {
        if (typeof name !== "string") continue;
        const key = camel(name);
        if (hasOwn.call(props, key)) values[name] = props[key];
      }
      out.properties = values;
    }
    if (Array.isArray(f.computedStyle)) {
      const cs = getComputedStyle(el);
      const values = {};
      for (const name of f.computedStyle.slice(0, 100)) {
        if (typeof name === "string" && name !== "") values[name] = cs.getPropertyValue(dash(name));
      }
      out.computedStyle = values;
    }
    if (f.node || f.context) {
      const info = hasOwn.call(V.nodeInfo, el.localName) ? V.nodeInfo[el.localName](el) : null;
      out.nodeInfo = info === undefined ? null : info;
    }
    return out;
  }

  function viewportFields(f) {
    const out = {};
    const w = window.innerWidth;
    const h = window.innerHeight;
    if (f.rect) Object.assign(out, { left: 0, right: w, top: 0, bottom: h });
    if (f.size) Object.assign(out, { width: w, height: h });
    if (f.scrollOffset) {
      const s = doc.scrollingElement || doc.documentElement;
      Object.assign(out, { scrollLeft: s.scrollLeft, scrollTop: s.scrollTop, scrollWidth: s.scrollWidth, scrollHeight: s.scrollHeight });
    }
    if (Array.isArray(f.computedStyle) || Array.isArray(f.properties)) {
      out.properties = {};
      out.computedStyle = {};
    }
    return out;
  }

  V.logic.query = (msg) => {
    const reqs = Array.isArray(msg.reqs) ? msg.reqs.slice(0, 1000) : [];
    const results = reqs.map((req) => {
      if (!isObj(req)) return null;
      const f = isObj(req.f) ? req.f : {};
      if (req.viewport === true) return viewportFields(f);
      const ids = Array.isArray(req.ids) ? req.ids.slice(0, MAX_NODES) : [];
      return ids.map((id) => {
        const el = element(id);
        return el === null ? null : nodeFields(el, f);
      });
    });
    V.toLogic({ k: "queryResult", id: msg.id, results });
  };

  // The scroll-view's `node` (its ScrollViewContext is built by the logic layer from this).
  if (!hasOwn.call(V.nodeInfo, "wx-scroll-view")) {
    V.nodeInfo["wx-scroll-view"] = (el) => {
      const props = el.__wx.props || {};
      return { scrollX: !!props.scrollX, scrollY: !!props.scrollY };
    };
  }

  V.logic.scrollView = (msg) => {
    const el = element(msg.id);
    if (el === null || el.localName !== "wx-scroll-view") return;
    const scroller = scrollerOf(el);
    const behavior = msg.animated === true ? "smooth" : "auto";
    if (msg.op === "scrollTo") {
      const to = { behavior };
      if (isNum(msg.top)) to.top = msg.top;
      if (isNum(msg.left)) to.left = msg.left;
      scroller.scrollTo(to);
    } else if (msg.op === "scrollIntoView") {
      const target = element(msg.target);
      if (target === null || !scroller.contains(target)) return;
      const box = scroller.getBoundingClientRect();
      const r = target.getBoundingClientRect();
      const offset = isNum(msg.offset) ? msg.offset : 0;
      const to = { behavior };
      const props = el.__wx.props || {};
      if (props.scrollY || !props.scrollX) to.top = scroller.scrollTop + r.top - box.top - offset;
      if (props.scrollX) to.left = scroller.scrollLeft + r.left - box.left - offset;
      scroller.scrollTo(to);
    }
  };

  // --- IntersectionObserver -------------------------------------------------------------------

  const observers = new Map(); // id → {io, last: Map(el → ratio), ...}

  function rectOf(r) {
    return { left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width, height: r.height };
  }

  function intersect(a, b) {
    const left = Math.max(a.left, b.left);
    const top = Math.max(a.top, b.top);
    const right = Math.min(a.right, b.right);
    const bottom = Math.min(a.bottom, b.bottom);
    if (right < left || bottom < top) return { left: 0, right: 0, top: 0, bottom: 0, width: 0, height: 0 };
    return { left, right, top, bottom, width: right - left, height: bottom - top };
  }

  // Which side of threshold `t` a ratio is on (0 means "any part visible", as WeChat's 0 does).
  const side = (r, t) => (t === 0 ? r > 0 : r >= t - 1e-6);

  V.logic.ioObserve = (msg) => {
    if (!Number.isInteger(msg.id) || observers.has(msg.id)) return;
    const targets = (Array.isArray(msg.targets) ? msg.targets.slice(0, MAX_NODES) : []).map(element).filter((el) => el !== null);
    let thresholds = Array.isArray(msg.thresholds) ? msg.thresholds.filter((t) => isNum(t) && t >= 0 && t <= 1).slice(0, 100) : [];
    if (thresholds.length === 0) thresholds = [0];
    const initialRatio = isNum(msg.initialRatio) ? Math.min(1, Math.max(0, msg.initialRatio)) : 0;
    const m = isObj(msg.margins) ? msg.margins : {};
    const margin = (k) => (isNum(m[k]) ? m[k] : 0);
    const margins = { top: margin("top"), right: margin("right"), bottom: margin("bottom"), left: margin("left") };
    const rootMargin = `${margins.top}px ${margins.right}px ${margins.bottom}px ${margins.left}px`;
    const relative = msg.root === null || msg.root === undefined ? null : element(msg.root);
    if (msg.root !== null && msg.root !== undefined && relative === null) return;
    // The browser computes intersections with an element root only for its descendants; for
    // another relative node the area is its rect (plus margins), computed here on each report.
    const containing = relative !== null && targets.every((el) => relative.contains(el));
    const state = { io: null, last: new Map(), margins };
    const report = (entries) => {
      for (const entry of entries) {
        const el = entry.target;
        const meta = el.__wx;
        if (!meta || V.nodeById(meta.id) !== el) continue;
        const box = rectOf(entry.boundingClientRect);
        let relRect;
        let inter;
        let ratio;
        if (relative !== null && !containing) {
          const r = relative.getBoundingClientRect();
          relRect = { left: r.left - margins.left, right: r.right + margins.right, top: r.top - margins.top, bottom: r.bottom + margins.bottom };
          inter = intersect(box, relRect);
          const area = box.width * box.height;
          ratio = area > 0 ? (inter.width * inter.height) / area : 0;
        } else {
          const rb = entry.rootBounds;
          relRect = rb ? { left: rb.left, right: rb.right, top: rb.top, bottom: rb.bottom } : { left: 0, right: window.innerWidth, top: 0, bottom: window.innerHeight };
          inter = entry.isIntersecting ? rectOf(entry.intersectionRect) : rectOf({ left: 0, right: 0, top: 0, bottom: 0, width: 0, height: 0 });
          ratio = entry.isIntersecting ? entry.intersectionRatio : 0;
        }
        const before = state.last.has(el) ? state.last.get(el) : initialRatio;
        state.last.set(el, ratio);
        if (!thresholds.some((t) => side(before, t) !== side(ratio, t))) continue;
        V.toLogic({
          k: "ioEntry",
          id: msg.id,
          node: meta.id,
          time: Math.round(performance.timeOrigin + entry.time),
          intersectionRatio: ratio,
          intersectionRect: inter,
          boundingClientRect: box,
          relativeRect: relRect,
        });
      }
    };
    const options = { threshold: thresholds };
    if (containing) {
      options.root = relative.localName === "wx-scroll-view" ? scrollerOf(relative) : relative;
      options.rootMargin = rootMargin;
    } else {
      // The frame's own document: with the implicit root, a frame's observer measures against
      // the top-level viewport and ignores rootMargin.
      options.root = doc;
      if (relative === null) options.rootMargin = rootMargin;
    }
    let io;
    try {
      io = new IntersectionObserver(report, options);
    } catch {
      options.root = null;
      io = new IntersectionObserver(report, options);
    }
    state.io = io;
    observers.set(msg.id, state);
    for (const el of targets) io.observe(el);
  };

  V.logic.ioDisconnect = (msg) => {
    const state = observers.get(msg.id);
    if (state === undefined) return;
    observers.delete(msg.id);
    state.io.disconnect();
  };

  // --- the `animation` attribute ----------------------------------------------------------------

  const TIMING = /^(linear|ease|ease-in|ease-out|ease-in-out|step-start|step-end|steps\(\s*\d+\s*(,\s*(start|end|jump-start|jump-end|jump-none|jump-both))?\s*\)|cubic-bezier\(\s*-?[\d.]+\s*,\s*-?[\d.]+\s*,\s*-?[\d.]+\s*,\s*-?[\d.]+\s*\))$/;
  const STYLE_PROPS = {
    opacity: "opacity",
    backgroundColor: "background-color",
    "background-color": "background-color",
    width: "width",
    height: "height",
    left: "left",
    right: "right",
    top: "top",
    bottom: "bottom",
  };

  function numArg(v) {
    if (isNum(v)) return v;
    if (typeof v === "string" && /^\s*-?(\d+\.?\d*|\.\d+)(e-?\d+)?\s*$/i.test(v)) return parseFloat(v);
    return null;
  }

  // A length argument: numbers are px (WeChat), strings a single length (rpx becomes px).
  function lengthArg(v) {
    if (v === undefined || v === null) return "0px";
    if (isNum(v)) return v + "px";
    if (typeof v !== "string") return null;
    const s = v.trim();
    if (/^-?(\d+\.?\d*|\.\d+)rpx$/i.test(s)) return V.px(s, 0) + "px";
    if (/^-?(\d+\.?\d*|\.\d+)(px|%|em|rem|vw|vh|vmin|vmax)?$/i.test(s)) return /\d$/.test(s) ? s + "px" : s;
    return null;
  }

  function angleArg(v) {
    if (v === undefined || v === null) return "0deg";
    if (isNum(v)) return v + "deg";
    if (typeof v === "string" && /^\s*-?(\d+\.?\d*|\.\d+)(deg|rad|turn|grad)?\s*$/i.test(v)) {
      const s = v.trim();
      return /\d$/.test(s) ? s + "deg" : s;
    }
    return null;
  }

  function scaleArg(v, fallback) {
    if (v === undefined || v === null) return fallback;
    return numArg(v);
  }

  // One transform function from WeChat's {type, args}, or null when invalid.
  function transformOf(type, args) {
    const a = Array.isArray(args) ? args : [];
    const all = (list) => (list.every((x) => x !== null) ? list.join(", ") : null);
    const fn = (name, list) => {
      const body = all(list);
      return body === null ? null : `${name}(${body})`;
    };
    switch (type) {
      case "translate":
        return fn("translate", [lengthArg(a[0]), lengthArg(a[1])]);
      case "translate3d":
        return fn("translate3d", [lengthArg(a[0]), lengthArg(a[1]), lengthArg(a[2])]);
      case "translateX":
      case "translateY":
      case "translateZ":
        return fn(type, [lengthArg(a[0])]);
      case "rotate":
      case "rotateX":
      case "rotateY":
      case "rotateZ":
      case "skewX":
      case "skewY":
        return fn(type, [angleArg(a[0])]);
      case "rotate3d":
        return fn("rotate3d", [scaleArg(a[0], 0), scaleArg(a[1], 0), scaleArg(a[2], 0), angleArg(a[3])]);
      case "skew":
        return fn("skew", [angleArg(a[0]), angleArg(a[1])]);
      case "scale":
        return fn("scale", [scaleArg(a[0], 1), scaleArg(a[1], scaleArg(a[0], 1))]);
      case "scale3d":
        return fn("scale3d", [scaleArg(a[0], 1), scaleArg(a[1], 1), scaleArg(a[2], 1)]);
      case "scaleX":
      case "scaleY":
      case "scaleZ":
        return fn(type, [scaleArg(a[0], 1)]);
      case "matrix":
        return a.length === 6 ? fn("matrix", a.map(numArg)) : null;
      case "matrix3d":
        return a.length === 16 ? fn("matrix3d", a.map(numArg)) : null;
      default:
        return null;
    }
  }

  // A style value for one of the animatable properties, or null when invalid.
  function styleValue(prop, value) {
    if (prop === "opacity") {
      const n = numArg(value);
      return n === null ? null : String(Math.min(1, Math.max(0, n)));
    }
    if (prop === "background-color") {
      return typeof value === "string" && CSS.supports("background-color", value) ? value : null;
    }
    const length = V.cssLength(value, null);
    if (length !== null) return length;
    return typeof value === "string" && CSS.supports(prop, value) ? value : null;
  }

  // Validated steps: [{transform (string or null), styles: [[prop, value]], duration, delay,
  // timing, origin}].
  function parseSteps(value) {
    if (!isObj(value) || !Array.isArray(value.actions)) return [];
    const steps = [];
    for (const action of value.actions.slice(0, 100)) {
      if (!isObj(action)) continue;
      const option = isObj(action.option) ? action.option : {};
      const transition = isObj(option.transition) ? option.transition : {};
      const transforms = [];
      const styles = [];
      for (const anim of Array.isArray(action.animates) ? action.animates.slice(0, 100) : []) {
        if (!isObj(anim) || typeof anim.type !== "string") continue;
        if (anim.type === "style") {
          const args = Array.isArray(anim.args) ? anim.args : [];
          const prop = typeof args[0] === "string" && hasOwn.call(STYLE_PROPS, args[0]) ? STYLE_PROPS[args[0]] : null;
          const v = prop === null ? null : styleValue(prop, args[1]);
          if (v !== null) styles.push([prop, v]);
        } else {
          const t = transformOf(anim.type, anim.args);
          if (t !== null) transforms.push(t);
        }
      }
      const timing = typeof transition.timingFunction === "string" && TIMING.test(transition.timingFunction.trim()) ? transition.timingFunction.trim() : "linear";
      const origin = typeof option.transformOrigin === "string" && CSS.supports("transform-origin", option.transformOrigin) ? option.transformOrigin : "50% 50% 0";
      steps.push({
        transform: transforms.length ? transforms.join(" ") : null,
        styles,
        duration: Math.min(600000, Math.max(0, V.num(transition.duration, 400))),
        delay: Math.min(600000, Math.max(0, V.num(transition.delay, 0))),
        timing,
        origin,
      });
    }
    return steps;
  }

  const animations = new WeakMap(); // element → {steps, index, timer, onEnd, applied}
  const updaters = new WeakMap(); // element → its pseudo-controller for V.markDirty

  function applyStep(el, state, step) {
    const props = [];
    if (step.transform !== null) props.push("transform");
    for (const [prop] of step.styles) props.push(prop);
    const applied = state.applied;
    applied["transition-property"] = props.length ? props.join(", ") : "none";
    applied["transition-duration"] = step.duration + "ms";
    applied["transition-timing-function"] = step.timing;
    applied["transition-delay"] = step.delay + "ms";
    applied["transform-origin"] = step.origin;
    if (step.transform !== null) applied.transform = step.transform;
    for (const [prop, v] of step.styles) applied[prop] = v;
    for (const [prop, v] of Object.entries(applied)) el.style.setProperty(prop, v);
  }

  function finishStep(el, state) {
    clearTimeout(state.timer);
    if (state.onEnd !== null) el.removeEventListener("transitionend", state.onEnd);
    state.onEnd = null;
    const step = state.steps[state.index];
    state.index++;
    state.running = false;
    V.emitBubbling(el, "transitionend", { elapsedTime: step.duration / 1000 });
    if (state.index < state.steps.length && animations.get(el) === state) runStep(el);
  }

  function runStep(el) {
    const state = animations.get(el);
    if (state === undefined || state.running || state.index >= state.steps.length) return;
    if (!el.isConnected) return;
    const step = state.steps[state.index];
    // Style is resolved before the new values go in, so the transition starts from what is shown.
    void getComputedStyle(el).transform;
    state.running = true;
    applyStep(el, state, step);
    state.onEnd = (e) => {
      if (e.target === el) finishStep(el, state);
    };
    el.addEventListener("transitionend", state.onEnd);
    // A property that does not change fires no transitionend: the step also ends on time.
    state.timer = setTimeout(() => finishStep(el, state), step.duration + step.delay + 60);
  }

  function updater(el) {
    let ctl = updaters.get(el);
    if (ctl === undefined) {
      ctl = { host: el, needsConnected: true, update: () => runStep(el) };
      updaters.set(el, ctl);
    }
    return ctl;
  }

  // Called by frame.js for the `animation` attribute of any element (ops are being applied: the
  // first step starts in the update pass, once the element is in the document).
  V.playAnimation = (el, value) => {
    const old = animations.get(el);
    if (old !== undefined) {
      clearTimeout(old.timer);
      if (old.onEnd !== null) el.removeEventListener("transitionend", old.onEnd);
    }
    const steps = parseSteps(value);
    if (steps.length === 0) return;
    animations.set(el, { steps, index: 0, timer: 0, onEnd: null, running: false, applied: old ? old.applied : {} });
    V.markDirty(updater(el));
  };

  // After a `style` attribute replaced the inline style: the animation's values stay, as
  // WeChat keeps them apart from the style attribute.
  V.restyleAnimation = (el) => {
    const state = animations.get(el);
    if (state === undefined) return;
    for (const [prop, v] of Object.entries(state.applied)) el.style.setProperty(prop, v);
  };

  // Transitions and CSS animations from the app's styles: reported as WeChat's bubbling
  // transitionend / animationstart / animationiteration / animationend (the animation
  // attribute reports its own steps).
  for (const type of ["transitionend", "animationstart", "animationiteration", "animationend"]) {
    doc.addEventListener(
      type,
      (e) => {
        const target = V.targetOf(e.target);
        if (target === null || target !== e.target) return;
        if (type === "transitionend" && animations.has(target)) return;
        const detail = { elapsedTime: e.elapsedTime };
        if (type !== "transitionend") detail.animationName = e.animationName;
        V.emitBubbling(target, type, detail);
      },
      true,
    );
  }

  // --- this.animate(selector, keyframes, duration, callback) / clearAnimation ------------------

  const KEYFRAME_TRANSFORMS = [
    "matrix", "matrix3d", "rotate", "rotate3d", "rotateX", "rotateY", "rotateZ", "scale", "scale3d",
    "scaleX", "scaleY", "scaleZ", "skew", "skewX", "skewY", "translate", "translate3d",
    "translateX", "translateY", "translateZ",
  ];

  function keyframeOf(k) {
    const out = {};
    if (isNum(k.offset) && k.offset >= 0 && k.offset <= 1) out.offset = k.offset;
    if (typeof k.ease === "string" && TIMING.test(k.ease.trim())) out.easing = k.ease.trim();
    const transforms = [];
    for (const name of KEYFRAME_TRANSFORMS) {
      if (!hasOwn.call(k, name)) continue;
      const args = Array.isArray(k[name]) ? k[name] : [k[name]];
      const t = transformOf(name, args);
      if (t !== null) transforms.push(t);
    }
    if (transforms.length) out.transform = transforms.join(" ");
    if (typeof k.transformOrigin === "string" && CSS.supports("transform-origin", k.transformOrigin)) out.transformOrigin = k.transformOrigin;
    for (const [name, prop] of Object.entries(STYLE_PROPS)) {
      if (!hasOwn.call(k, name) || name === "background-color") continue;
      const v = styleValue(prop, k[name]);
      if (v !== null) out[camel(prop)] = v;
    }
    return out;
  }

  const running = new WeakMap(); // element → [Animation]

  V.logic.animate = (msg) => {
    const frames = Array.isArray(msg.keyframes) ? msg.keyframes.slice(0, 100).filter(isObj).map(keyframeOf) : [];
    const duration = Math.min(600000, Math.max(0, V.num(msg.duration, 0)));
    const els = (Array.isArray(msg.targets) ? msg.targets.slice(0, MAX_NODES) : []).map(element).filter((el) => el !== null);
    const done = [];
    for (const el of els) {
      let a;
      try {
        a = el.animate(frames, { duration, fill: "forwards" });
      } catch (error) {
        V.reportError("view: animate: " + error.message);
        continue;
      }
      if (!running.has(el)) running.set(el, []);
      running.get(el).push(a);
      done.push(a.finished.catch(() => null));
    }
    Promise.all(done).then(() => V.toLogic({ k: "animateDone", id: msg.id }));
  };

  V.logic.clearAnimation = (msg) => {
    const els = (Array.isArray(msg.targets) ? msg.targets.slice(0, MAX_NODES) : []).map(element).filter((el) => el !== null);
    for (const el of els) {
      for (const a of running.get(el) || []) a.cancel();
      running.delete(el);
    }
    V.toLogic({ k: "animateDone", id: msg.id });
  };
})();
