// The view layer: one sandboxed iframe per mini-program page (docs/runtime.md, "Host ⇄ view").
//
// The logic layer owns the component tree; this frame is only a render backend. It
//  - posts `{t: "loaded"}` to its parent, then takes the MessagePort of the first window message
//    `{t: "connect", v: 1}` (from the parent) as its one channel: every later window message is
//    ignored, and every port message is checked against the contract (unknown or ill-typed ones
//    are dropped and reported as `{t: "error", message: "bridge: rejected message …"}`);
//  - queues `ops` batches and applies them together in the next animation frame (or after 100 ms
//    when the frame is hidden and gets no animation frames), in order, then posts `applied` for
//    each batch. Ops: `el`, `tx`, `set`, `txt`, `ins` (also moves), `rm` (forgets the subtree's
//    ids), `ev`. Nodes live in a Map id → Node; every node the view made carries `node.__wx`
//    ({id, tag, builtin, props, ctl, ev}). Nothing reads layout while ops are applied; components
//    that need layout (scroll positions, swiper geometry, focus) do it once per batch in their
//    `update()` hook, after all of the frame's batches. A bad op is skipped and reported as
//    `{t: "error", message: "view: ops batch N: …"}`; the rest of its batch still applies and is
//    answered. Built-ins keep their attributes as camelCase properties (JSON types kept) and also
//    reflect scalar ones as dash-case DOM attributes, so WXSS like `wx-button[type=primary]`
//    matches. HTML tags with behaviour of their own (a, img, input, iframe, script, style, …)
//    become wx-unknown, and `on*` attributes are never set;
//  - reports DOM events by node id: `tap` (from click, unless the pointer moved, a longpress
//    fired or the button is disabled), `longpress`/`longtap` (350 ms hold), `touch*` (from touch
//    events, and from pointer events for the mouse), only when the target or an ancestor
//    registered the type with `ev`; component events (`input`, `change`, `scroll`, …) only when
//    the component's own node registered them. `hover-class` is handled here for every built-in;
//  - handles the page: `pageScroll` (once per frame while scrolling), `reachBottom`, pull-down
//    refresh with WeChat's three dots, `scrollTo`, and the window config (backgroundColor,
//    backgroundTextStyle, enablePullDownRefresh, onReachBottomDistance, disableScroll).
//
// Built-in components (`wx-<name>`) live in components/*.js and register a factory in
// `wxView.components[tag]`; the factory returns a controller: {slot?, children?, set(name, value),
// update(), destroy(), restyle(), formValue(), formReset(), tapped(clickEvent)} (all optional).
// `slot` is the element children are inserted into when the component wraps them in its own
// structure; `tapped` runs on the nearest built-in that has it after a real tap (button, checkbox,
// label, slider…).
//
// The frame never runs app code and never evaluates strings as code. Its CSP allows scripts only
// from /static/runtime/, so no inline scripts or handlers are used; inline styles are set through
// CSSOM only, and injected app CSS becomes constructable style sheets.
(function () {
  "use strict";

  const V = (globalThis.wxView = globalThis.wxView || {});
  V.components = V.components || Object.create(null);

  const doc = document;
  const root = doc.querySelector("wx-page") || doc.body.appendChild(doc.createElement("wx-page"));
  const nodes = new Map();
  root.__wx = { id: 0, tag: "wx-page", builtin: true, props: {}, ctl: null, ev: null };
  nodes.set(0, root);

  let port = null;
  let config = {};
  let system = {};

  // --- outgoing messages ---------------------------------------------------------------------

  // Errors before the host connected wait for the port (a few of them).
  const early = [];

  function post(message) {
    if (port !== null) port.postMessage(message);
    else if (message.t === "error" && early.length < 20) early.push(message);
  }

  function reportError(message, stack) {
    post({ t: "error", message: String(message), stack: stack ? String(stack) : "" });
  }

  V.post = post;
  V.reportError = reportError;

  window.addEventListener("error", (event) => {
    const error = event.error;
    reportError(event.message || String(error), error && error.stack);
  });
  window.addEventListener("unhandledrejection", (event) => {
    const reason = event.reason;
    reportError(
      "unhandled rejection: " + (reason && reason.message ? reason.message : String(reason)),
      reason && reason.stack,
    );
  });

  // --- small helpers shared with the components -----------------------------------------------

  const isInt = (v) => Number.isInteger(v);
  const isId = (v) => Number.isInteger(v) && v >= 0;
  const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

  function camel(name) {
    return name.indexOf("-") < 0 ? name : name.replace(/-([a-z0-9])/g, (_, c) => c.toUpperCase());
  }

  function dash(name) {
    return name.replace(/[A-Z]/g, (c) => "-" + c.toLowerCase());
  }

  // WeChat converts attribute values to a Boolean property with JavaScript truthiness
  // (`autoplay="false"` is true).
  V.bool = (v) => !!v;

  V.num = (v, fallback) => {
    if (v === null || v === undefined || v === "") return fallback;
    const n = typeof v === "number" ? v : parseFloat(v);
    return Number.isFinite(n) ? n : fallback;
  };

  // A length in px: numbers are px, strings may end in px or rpx (750rpx = the frame's width).
  V.px = (v, fallback) => {
    if (typeof v === "number") return Number.isFinite(v) ? v : fallback;
    if (typeof v !== "string" || v.trim() === "") return fallback;
    const n = parseFloat(v);
    if (!Number.isFinite(n)) return fallback;
    if (/rpx\s*$/i.test(v)) return (n * (window.innerWidth || system.windowWidth || 375)) / 750;
    return n;
  };

  // A CSS length for a style property: numbers are px, rpx becomes calc() as the compiler does.
  V.cssLength = (v, fallback) => {
    if (typeof v === "number") return Number.isFinite(v) ? v + "px" : fallback;
    if (typeof v !== "string") return fallback;
    const s = v.trim();
    if (s === "") return fallback;
    const rpx = /^(-?[\d.]+)rpx$/i.exec(s);
    if (rpx) return `calc(${rpx[1]} * 100vw / 750)`;
    if (/^-?[\d.]+$/.test(s)) return s + "px";
    if (/^-?[\d.]+(px|em|rem|vw|vh|%)$/i.test(s)) return s;
    return fallback;
  };

  V.div = (className, parent) => {
    const el = doc.createElement("div");
    if (className) el.className = className;
    if (parent) parent.appendChild(el);
    return el;
  };

  V.nodeById = (id) => nodes.get(id);
  V.config = () => config;
  V.system = () => system;

  // Components whose update() runs once after the frame's batches.
  const dirty = new Set();
  V.markDirty = (ctl) => {
    dirty.add(ctl);
  };

  // A component's host from one of its internal elements (its slot).
  function hostOf(el) {
    return el && el.__wxHost ? el.__wxHost : el;
  }

  function childrenChanged(container) {
    const host = hostOf(container);
    const meta = host && host.__wx;
    if (meta && meta.ctl && meta.ctl.children) dirty.add(meta.ctl);
  }

  // --- styles and the page config -------------------------------------------------------------

  const appSheets = [];
  const useAdopted = "adoptedStyleSheets" in doc && typeof CSSStyleSheet === "function";

  function addCss(texts) {
    for (const text of texts) {
      if (useAdopted) {
        const sheet = new CSSStyleSheet();
        try {
          sheet.replaceSync(text);
        } catch (error) {
          reportError("view: bad style sheet: " + error.message);
          continue;
        }
        appSheets.push(sheet);
      } else {
        const style = doc.createElement("style");
        style.textContent = text;
        doc.head.appendChild(style);
        appSheets.push(style);
      }
    }
    if (useAdopted) doc.adoptedStyleSheets = appSheets.slice();
  }

  function clearCss() {
    for (const sheet of appSheets) if (sheet.remove) sheet.remove();
    appSheets.length = 0;
    if (useAdopted) doc.adoptedStyleSheets = [];
  }

  function applyConfig() {
    const html = doc.documentElement;
    const background = typeof config.backgroundColor === "string" ? config.backgroundColor : "";
    // wx.setBackgroundColor's backgroundColorBottom: the window below the page (Top: the
    // pull-down area, in refresh.ensureBox).
    html.style.backgroundColor = typeof config.backgroundColorBottom === "string" ? config.backgroundColorBottom : background;
    if (refresh.box !== null) refresh.ensureBox();
    html.classList.toggle("wx-disable-scroll", !!config.disableScroll);
    html.classList.toggle("wx-style-v2", config.style === "v2");
    reachDistance = V.num(config.onReachBottomDistance, 50);
    refresh.setEnabled(!!config.enablePullDownRefresh);
  }

  // --- applying render ops --------------------------------------------------------------------

  // HTML elements that would navigate the frame, load or run something, take input or change
  // the document are rendered as wx-unknown (their children still show, as for any unknown tag):
  // mini programs get those behaviours only through the built-in components.
  const INERT_TAGS = new Set([
    "a", "area", "base", "link", "meta", "script", "style", "noscript", "template", "slot",
    "iframe", "frame", "frameset", "object", "embed", "applet", "portal", "param",
    "form", "input", "button", "select", "option", "optgroup", "textarea", "datalist", "label",
    "img", "image", "picture", "source", "video", "audio", "track", "canvas", "svg", "math",
    "dialog", "html", "head", "body", "title",
  ]);
  const ATTR_NAME = /^[a-zA-Z_][-a-zA-Z0-9_:.]*$/;
  // Reflected as DOM attributes so that WXSS attribute selectors (`button[type=primary]`) match.
  const NOT_REFLECTED = new Set(["value", "src", "poster", "nodes", "range", "markers", "polyline"]);

  function node(id) {
    const n = nodes.get(id);
    if (n === undefined) throw new Error(`unknown node ${id}`);
    return n;
  }

  function opEl(id, tag) {
    if (nodes.has(id)) throw new Error(`node ${id} already exists`);
    let el;
    const lower = tag.toLowerCase();
    if (INERT_TAGS.has(lower) || lower.indexOf(":") >= 0) {
      el = doc.createElement("wx-unknown");
    } else {
      try {
        el = doc.createElement(tag);
      } catch {
        el = doc.createElement("wx-unknown");
      }
    }
    const name = el.localName;
    const builtin = name.startsWith("wx-") && name !== "wx-unknown";
    const meta = { id, tag: name, builtin, props: builtin ? {} : null, ctl: null, ev: null };
    el.__wx = meta;
    const factory = V.components[name];
    if (factory) {
      meta.ctl = factory(el, meta) || null;
      if (meta.ctl !== null) meta.ctl.host = el;
    }
    nodes.set(id, el);
  }

  function opTx(id, text) {
    if (nodes.has(id)) throw new Error(`node ${id} already exists`);
    const t = doc.createTextNode(text);
    t.__wx = { id, raw: text };
    nodes.set(id, t);
  }

  // Text under a wx-text with `space` or `decode` is shown transformed; the raw text is kept.
  function renderText(t) {
    const parent = t.parentNode;
    const mode = parent && parent.__wx ? parent.__wx.textMode : null;
    const shown = mode ? V.transformText(t.__wx.raw, mode) : t.__wx.raw;
    if (t.data !== shown) t.data = shown;
  }
  V.renderText = renderText;

  function opTxt(id, text) {
    const t = node(id);
    if (t.nodeType !== 3) throw new Error(`node ${id} is not a text node`);
    t.__wx.raw = text;
    renderText(t);
  }

  function opSet(id, name, value) {
    const el = node(id);
    if (el.nodeType !== 1) throw new Error(`node ${id} is not an element`);
    const meta = el.__wx;
    if (name === "class") {
      el.className = value === null || value === undefined ? "" : String(value);
      const tokens = hovered.get(el);
      if (tokens) el.classList.add(...tokens);
      return;
    }
    if (name === "style") {
      el.style.cssText = value === null || value === undefined ? "" : String(value);
      if (meta.ctl && meta.ctl.restyle) meta.ctl.restyle();
      if (V.restyleAnimation) V.restyleAnimation(el);
      return;
    }
    if (name === "animation") {
      // WeChat's exported animation data (any element): played by components/query.js, never
      // set as a DOM attribute.
      if (V.playAnimation) V.playAnimation(el, value);
      return;
    }
    if (name === "id") {
      if (value === null || value === undefined || value === "") el.removeAttribute("id");
      else el.id = String(value);
      return;
    }
    if (name === "hidden") {
      el.hidden = !!value;
      return;
    }
    if (name === "aria-role") {
      // WeChat's name for the ARIA role.
      if (value === null || value === undefined) el.removeAttribute("role");
      else el.setAttribute("role", String(value));
      return;
    }
    if (meta.builtin && !name.startsWith("data-") && !name.startsWith("aria-")) {
      const prop = camel(name);
      if (value === null) delete meta.props[prop];
      else meta.props[prop] = value;
      if (!NOT_REFLECTED.has(prop)) reflect(el, dash(prop), value);
      if (meta.ctl && meta.ctl.set) meta.ctl.set(prop, value);
      return;
    }
    if (!ATTR_NAME.test(name) || /^on/i.test(name)) return;
    if (value === null || value === undefined) el.removeAttribute(name);
    else el.setAttribute(name, typeof value === "object" ? JSON.stringify(value) : String(value));
  }

  function reflect(el, name, value) {
    if (!ATTR_NAME.test(name) || /^on/i.test(name)) return;
    if (value === null || value === undefined || value === false) el.removeAttribute(name);
    else if (value === true) el.setAttribute(name, "");
    else if (typeof value === "string" || typeof value === "number") {
      el.setAttribute(name, String(value));
    } else el.removeAttribute(name);
  }

  function opIns(parentId, id, beforeId) {
    const parent = node(parentId);
    const child = node(id);
    if (parent.nodeType !== 1) throw new Error(`node ${parentId} is not an element`);
    if (id === 0) throw new Error("the page root cannot be moved");
    const pmeta = parent.__wx;
    const container = (pmeta.ctl && pmeta.ctl.slot) || parent;
    let before = null;
    if (beforeId !== null) {
      before = node(beforeId);
      if (before.parentNode !== container) {
        throw new Error(`node ${beforeId} is not a child of node ${parentId}`);
      }
    }
    if (child.contains(parent)) throw new Error(`node ${id} cannot go inside itself`);
    const oldParent = child.parentNode;
    if (before === child) return;
    container.insertBefore(child, before);
    if (oldParent && oldParent !== container) childrenChanged(oldParent);
    childrenChanged(container);
    if (child.nodeType === 3 && (pmeta.textMode || child.data !== child.__wx.raw)) {
      renderText(child);
    }
  }

  function forget(n) {
    const meta = n.__wx;
    if (meta !== undefined) {
      if (nodes.get(meta.id) === n) nodes.delete(meta.id);
      const ctl = meta.ctl;
      if (ctl) {
        dirty.delete(ctl);
        waiting.delete(ctl);
        if (ctl.destroy) {
          try {
            ctl.destroy();
          } catch (error) {
            reportError("view: " + error.message, error.stack);
          }
        }
      }
    }
    if (n.nodeType === 1) {
      if (hovered.has(n)) hovered.delete(n);
      for (let c = n.firstChild; c !== null; c = c.nextSibling) forget(c);
    }
  }

  function opRm(id) {
    if (id === 0) throw new Error("the page root cannot be removed");
    const n = node(id);
    const parent = n.parentNode;
    if (parent) {
      parent.removeChild(n);
      childrenChanged(parent);
    }
    forget(n);
  }

  function opEv(id, types) {
    const el = node(id);
    if (el.nodeType !== 1) throw new Error(`node ${id} is not an element`);
    el.__wx.ev = types.length ? new Set(types) : null;
    if (el.__wx.ctl && el.__wx.ctl.events) el.__wx.ctl.events(el.__wx.ev);
  }

  const isStr = (v) => typeof v === "string";
  const OPS = {
    el: [(op) => op.length === 3 && isId(op[1]) && isStr(op[2]) && op[2] !== "", opEl],
    tx: [(op) => op.length === 3 && isId(op[1]) && isStr(op[2]), opTx],
    set: [(op) => op.length === 4 && isId(op[1]) && isStr(op[2]) && op[2] !== "", opSet],
    txt: [(op) => op.length === 3 && isId(op[1]) && isStr(op[2]), opTxt],
    ins: [
      (op) => op.length === 4 && isId(op[1]) && isId(op[2]) && (op[3] === null || isId(op[3])),
      opIns,
    ],
    rm: [(op) => op.length === 2 && isId(op[1]), opRm],
    ev: [
      (op) => op.length === 3 && isId(op[1]) && Array.isArray(op[2]) && op[2].every(isStr),
      opEv,
    ],
  };

  function describe(value) {
    try {
      return String(JSON.stringify(value)).slice(0, 80);
    } catch {
      return typeof value;
    }
  }

  function applyOps(seq, ops) {
    const problems = [];
    for (let i = 0; i < ops.length; i++) {
      const op = ops[i];
      const kind = Array.isArray(op) ? OPS[op[0]] : undefined;
      if (kind === undefined || !kind[0](op)) {
        problems.push(`bad op #${i} ${describe(op)}`);
        continue;
      }
      try {
        kind[1](op[1], op[2], op[3]);
      } catch (error) {
        problems.push(`op #${i} ${op[0]}: ${error.message}`);
      }
    }
    if (problems.length) {
      const more = problems.length > 5 ? ` (and ${problems.length - 5} more)` : "";
      reportError(`view: ops batch ${seq}: ${problems.slice(0, 5).join("; ")}${more}`);
    }
  }

  // For tests and the simulator: how long the last flush took to apply its ops (ms), and with
  // `measureLayout` set, how long until its style and layout were done.
  V.stats = { lastFlushMs: 0, lastLayoutMs: 0, flushes: 0, measureLayout: false };

  const queue = [];
  let flushPending = false;
  let flushTimer = 0;

  let rendered = false;

  function scheduleFlush() {
    if (flushPending) return;
    flushPending = true;
    if (!rendered) {
      // The first render waits for nothing: the page is blank until it is applied, and a frame
      // that has just become visible may not get an animation frame at once (the browser
      // updates the throttling of cross-origin frames lazily). Batches arriving in the same task
      // still go together.
      rendered = true;
      queueMicrotask(flush);
      return;
    }
    requestAnimationFrame(flush);
    // A hidden frame gets no animation frames; its pages must still render.
    flushTimer = setTimeout(flush, 100);
  }

  function flush() {
    if (!flushPending) return;
    flushPending = false;
    clearTimeout(flushTimer);
    const started = performance.now();
    const batches = queue.splice(0);
    try {
      for (const batch of batches) applyOps(batch.seq, batch.ops);
      runUpdates();
    } catch (error) {
      reportError("view: " + error.message, error.stack);
    }
    V.stats.lastFlushMs = performance.now() - started;
    V.stats.flushes++;
    if (V.stats.measureLayout) {
      // Tests and benchmarks: the style and layout work the batch caused, forced here.
      void doc.documentElement.offsetHeight;
      V.stats.lastLayoutMs = performance.now() - started;
    }
    for (const batch of batches) post({ t: "applied", seq: batch.seq });
  }

  // Components that need to be in the document (to measure, scroll or focus) wait here while
  // their subtree is still detached; they update in the first batch that attaches them.
  const waiting = new Set();

  function runUpdates() {
    for (const ctl of waiting) {
      if (ctl.host.isConnected) {
        waiting.delete(ctl);
        dirty.add(ctl);
      }
    }
    // An update may mark others dirty (a swiper item restyled): loop until quiet.
    for (let round = 0; dirty.size && round < 4; round++) {
      const ctls = Array.from(dirty);
      dirty.clear();
      for (const ctl of ctls) {
        if (ctl.needsConnected && !ctl.host.isConnected) {
          waiting.add(ctl);
          continue;
        }
        try {
          if (ctl.update) ctl.update();
        } catch (error) {
          reportError("view: " + error.message, error.stack);
        }
      }
    }
  }
  V.runUpdates = runUpdates;

  // --- events ---------------------------------------------------------------------------------

  // The node an event happened on: the nearest element the view made (internal parts of a
  // component report as the component).
  function targetOf(n) {
    for (; n; n = n.parentNode) {
      if (n.__wx !== undefined && n.nodeType === 1) return n;
    }
    return null;
  }
  V.targetOf = targetOf;

  // Bubbling events: reported when the target or an ancestor registered the type.
  function wanted(el, type) {
    for (let n = el; n; n = n.parentNode) {
      const meta = n.__wx;
      if (meta !== undefined && meta.ev !== null && meta.ev !== undefined && meta.ev.has(type)) {
        return true;
      }
    }
    return false;
  }

  function point(p, id) {
    return {
      identifier: id === undefined ? p.identifier : id,
      pageX: p.pageX,
      pageY: p.pageY,
      clientX: p.clientX,
      clientY: p.clientY,
    };
  }

  function touchList(list) {
    const out = [];
    for (let i = 0; i < list.length; i++) out.push(point(list[i]));
    return out;
  }

  function report(el, type, detail, touches, changedTouches, timeStamp) {
    // A component may describe its touches its own way (canvas: x/y relative to itself).
    const ctl = el.__wx.ctl;
    if (ctl && ctl.touchPoint && type.startsWith("touch")) {
      touches = (touches || []).map(ctl.touchPoint);
      changedTouches = (changedTouches || []).map(ctl.touchPoint);
    }
    // …and its tap's detail (map: the tapped latitude/longitude; null: no tap, e.g. on a marker).
    if (ctl && ctl.tapDetail && type === "tap") {
      detail = ctl.tapDetail(touches && touches[0]);
      if (detail === null) return;
    }
    post({
      t: "event",
      id: el.__wx.id,
      type,
      detail: detail === undefined ? {} : detail,
      touches: touches || [],
      changedTouches: changedTouches || [],
      timeStamp: Math.round(timeStamp === undefined ? performance.now() : timeStamp),
      offset: { left: el.offsetLeft || 0, top: el.offsetTop || 0 },
    });
  }

  // A component event on the component's own node, when that node registered it.
  V.emit = (el, type, detail) => {
    const meta = el.__wx;
    if (meta && meta.ev && meta.ev.has(type) && nodes.get(meta.id) === el) report(el, type, detail);
  };
  // A bubbling event (transitionend, animationend…) on `el`, when it or an ancestor registered it.
  V.emitBubbling = (el, type, detail) => {
    if (nodes.get(el.__wx.id) === el && wanted(el, type)) report(el, type, detail);
  };
  V.wants = (el, type) => {
    const meta = el.__wx;
    return !!(meta && meta.ev && meta.ev.has(type));
  };

  // The press in progress (or just ended): for tap, longpress and hover.
  const TAP_SLOP = 10;
  const LONGPRESS_MS = 350;
  let press = null;
  V.cancelTap = () => {
    if (press !== null && !press.up) {
      press.moved = true;
      clearTimeout(press.longTimer);
      hoverCancel(press);
    }
  };

  function closestBuiltin(el, tag) {
    for (let n = el; n; n = n.parentNode) {
      if (n.__wx !== undefined && n.__wx.tag === tag) return n;
    }
    return null;
  }
  V.closestBuiltin = closestBuiltin;

  function isDisabledButton(target) {
    const button = closestBuiltin(target, "wx-button");
    return button !== null && !!button.__wx.props.disabled;
  }

  function onPointerDown(e) {
    if (!e.isPrimary || (e.pointerType === "mouse" && e.button !== 0)) return;
    if (press !== null) {
      clearTimeout(press.longTimer);
      if (!press.up) hoverEnd(press);
    }
    const target = targetOf(e.target);
    press = {
      pointerId: e.pointerType === "mouse" ? 0 : e.pointerId,
      pointerType: e.pointerType,
      target,
      x: e.clientX,
      y: e.clientY,
      moved: false,
      up: false,
      longFired: false,
      longTimer: 0,
      hovers: [],
    };
    if (target === null) return;
    const p = press;
    p.longTimer = setTimeout(() => longPress(p), LONGPRESS_MS);
    hoverStart(p, target);
    if (e.pointerType !== "touch" && wanted(target, "touchstart")) {
      const t = point(e, 0);
      report(target, "touchstart", {}, [t], [t], e.timeStamp);
    }
  }

  function onPointerMove(e) {
    const p = press;
    if (p === null || p.up || !e.isPrimary) return;
    if (!p.moved && Math.hypot(e.clientX - p.x, e.clientY - p.y) > TAP_SLOP) {
      p.moved = true;
      clearTimeout(p.longTimer);
      hoverCancel(p);
    }
    if (e.pointerType !== "touch" && p.target !== null && wanted(p.target, "touchmove")) {
      const t = point(e, 0);
      report(p.target, "touchmove", {}, [t], [t], e.timeStamp);
    }
  }

  function onPointerUp(e, cancelled) {
    const p = press;
    if (p === null || p.up || !e.isPrimary) return;
    p.up = true;
    clearTimeout(p.longTimer);
    if (cancelled) {
      p.moved = true;
      hoverCancel(p);
    } else hoverEnd(p);
    const type = cancelled ? "touchcancel" : "touchend";
    if (e.pointerType !== "touch" && p.target !== null && wanted(p.target, type)) {
      report(p.target, type, {}, [], [point(e, 0)], e.timeStamp);
    }
  }

  function longPress(p) {
    if (p !== press || p.up || p.moved || p.target === null || !p.target.isConnected) return;
    if (isDisabledButton(p.target)) return;
    const t = { identifier: 0, pageX: p.x + scrollX, pageY: p.y + scrollY, clientX: p.x, clientY: p.y };
    const detail = { x: t.pageX, y: t.pageY };
    if (wanted(p.target, "longpress")) {
      p.longFired = true;
      report(p.target, "longpress", detail, [t], [t]);
    }
    if (wanted(p.target, "longtap")) report(p.target, "longtap", detail, [t], [t]);
  }

  function onClick(e) {
    const p = press;
    press = null;
    if (p !== null && (p.moved || p.longFired)) return;
    const target = targetOf(e.target);
    if (target === null || !target.isConnected) return;
    if (isDisabledButton(target)) return;
    if (wanted(target, "tap")) {
      const t = point(e, 0);
      report(target, "tap", { x: e.pageX, y: e.pageY }, [t], [t], e.timeStamp);
    }
    // The nearest built-in with a tap action of its own (button, checkbox, label, slider…) acts.
    for (let n = target; n; n = n.parentNode) {
      const ctl = n.__wx !== undefined && n.nodeType === 1 ? n.__wx.ctl : null;
      if (ctl && ctl.tapped) {
        ctl.tapped(e);
        break;
      }
    }
  }

  function onTouch(e) {
    const target = targetOf(e.target);
    if (target === null || !wanted(target, e.type)) return;
    report(target, e.type, {}, touchList(e.touches), touchList(e.changedTouches), e.timeStamp);
  }

  doc.addEventListener("pointerdown", onPointerDown, true);
  doc.addEventListener("pointermove", onPointerMove, { capture: true, passive: true });
  doc.addEventListener("pointerup", (e) => onPointerUp(e, false), true);
  doc.addEventListener("pointercancel", (e) => onPointerUp(e, true), true);
  doc.addEventListener("click", onClick, true);
  for (const type of ["touchstart", "touchmove", "touchend", "touchcancel"]) {
    doc.addEventListener(type, onTouch, { capture: true, passive: true });
  }

  // --- hover-class ----------------------------------------------------------------------------

  const HOVER_DEFAULT = { "wx-button": "button-hover", "wx-navigator": "navigator-hover" };
  const hovered = new Map(); // element → class tokens currently added
  const hoverStay = new Map(); // element → pending removal timer

  function hoverTokens(el) {
    const meta = el.__wx;
    if (meta === undefined || !meta.builtin) return null;
    const props = meta.props;
    let cls = props.hoverClass;
    if (cls === undefined || cls === null) cls = HOVER_DEFAULT[meta.tag];
    if (typeof cls !== "string" || cls === "" || cls === "none") return null;
    if (props.disabled && (meta.tag === "wx-button" || meta.tag === "wx-navigator")) return null;
    const tokens = cls.split(/\s+/).filter(Boolean);
    return tokens.length ? tokens : null;
  }

  function hoverOn(el, tokens) {
    const stay = hoverStay.get(el);
    if (stay !== undefined) {
      clearTimeout(stay);
      hoverStay.delete(el);
    }
    hovered.set(el, tokens);
    el.classList.add(...tokens);
  }

  function hoverOff(el) {
    const tokens = hovered.get(el);
    hovered.delete(el);
    hoverStay.delete(el);
    if (tokens) el.classList.remove(...tokens);
  }

  function hoverStart(p, target) {
    for (let n = target; n; n = n.parentNode) {
      if (n.__wx === undefined || n.nodeType !== 1) continue;
      const tokens = hoverTokens(n);
      if (tokens === null) continue;
      const props = n.__wx.props;
      const entry = { el: n, tokens, on: false, timer: 0, stay: V.num(props.hoverStayTime, 400) };
      const el = n;
      entry.timer = setTimeout(() => {
        entry.on = true;
        hoverOn(el, tokens);
      }, V.num(props.hoverStartTime, 50));
      p.hovers.push(entry);
      if (props.hoverStopPropagation) break;
    }
  }

  function hoverEnd(p) {
    for (const entry of p.hovers) {
      clearTimeout(entry.timer);
      if (!entry.on) hoverOn(entry.el, entry.tokens);
      const el = entry.el;
      hoverStay.set(
        el,
        setTimeout(() => hoverOff(el), entry.stay),
      );
    }
    p.hovers = [];
  }

  function hoverCancel(p) {
    for (const entry of p.hovers) {
      clearTimeout(entry.timer);
      if (entry.on) hoverOff(entry.el);
    }
    p.hovers = [];
  }

  // --- drags (shared by the swiper, scroll-view's refresher and the page's pull-down) ----------

  // Tracks one finger or the mouse on `el`. `h.start(x, y)` says whether to track; once the
  // pointer moved a few pixels, `h.claim(dx, dy)` says whether the drag is this handler's (the
  // first handler to claim owns the gesture: inner elements are asked first); then `h.move(dx,
  // dy)` and finally `h.end(dx, dy, vx, vy, cancelled)` (velocities in px/ms).
  const DRAG_SLOP = 6;
  V.gestureOwner = null;

  V.drag = (el, h) => {
    let s = null;

    function begin(kind, id, x, y, t) {
      if (s !== null || V.gestureOwner !== null) return false;
      if (h.start && !h.start(x, y)) return false;
      s = { kind, id, x0: x, y0: y, lx: x, ly: y, lt: t, vx: 0, vy: 0, claimed: false };
      return true;
    }

    function moveTo(x, y, t, e) {
      const dt = t - s.lt;
      if (dt > 0) {
        s.vx = 0.7 * ((x - s.lx) / dt) + 0.3 * s.vx;
        s.vy = 0.7 * ((y - s.ly) / dt) + 0.3 * s.vy;
      }
      s.lx = x;
      s.ly = y;
      s.lt = t;
      const dx = x - s.x0;
      const dy = y - s.y0;
      if (!s.claimed) {
        if (Math.abs(dx) < DRAG_SLOP && Math.abs(dy) < DRAG_SLOP) return;
        if (V.gestureOwner !== null || !h.claim(dx, dy)) {
          stop();
          return;
        }
        s.claimed = true;
        V.gestureOwner = el;
        V.cancelTap();
        if (s.kind === "pointer" && el.setPointerCapture) {
          try {
            el.setPointerCapture(s.id);
          } catch {
            // the pointer is already gone
          }
        }
      }
      if (s.kind === "touch" && e.cancelable) e.preventDefault();
      h.move(dx, dy);
    }

    function finish(cancelled) {
      const state = s;
      stop();
      if (state !== null && state.claimed) {
        if (V.gestureOwner === el) V.gestureOwner = null;
        h.end(state.lx - state.x0, state.ly - state.y0, state.vx, state.vy, cancelled);
      }
    }

    function stop() {
      if (s !== null && s.kind === "pointer") {
        window.removeEventListener("pointermove", onPointerMoveW, true);
        window.removeEventListener("pointerup", onPointerUpW, true);
        window.removeEventListener("pointercancel", onPointerCancelW, true);
      }
      s = null;
    }

    function onPointerMoveW(e) {
      if (s === null || e.pointerId !== s.id) return;
      // Released outside the frame, the release never came here: the first move with no
      // button held ends the drag.
      if (e.buttons === 0) finish(false);
      else moveTo(e.clientX, e.clientY, e.timeStamp, e);
    }
    function onPointerUpW(e) {
      if (s !== null && e.pointerId === s.id) finish(false);
    }
    function onPointerCancelW(e) {
      if (s !== null && e.pointerId === s.id) finish(true);
    }

    el.addEventListener("pointerdown", (e) => {
      if (e.pointerType === "touch" || e.button !== 0 || !e.isPrimary) return;
      if (!begin("pointer", e.pointerId, e.clientX, e.clientY, e.timeStamp)) return;
      window.addEventListener("pointermove", onPointerMoveW, true);
      window.addEventListener("pointerup", onPointerUpW, true);
      window.addEventListener("pointercancel", onPointerCancelW, true);
    });
    el.addEventListener(
      "touchstart",
      (e) => {
        if (e.touches.length !== 1) {
          if (s !== null) finish(true);
          return;
        }
        const t = e.touches[0];
        begin("touch", t.identifier, t.clientX, t.clientY, e.timeStamp);
      },
      { passive: true },
    );
    el.addEventListener(
      "touchmove",
      (e) => {
        if (s === null || s.kind !== "touch") return;
        for (const t of e.changedTouches) {
          if (t.identifier === s.id) moveTo(t.clientX, t.clientY, e.timeStamp, e);
        }
      },
      { passive: false },
    );
    el.addEventListener("touchend", () => s !== null && s.kind === "touch" && finish(false));
    el.addEventListener("touchcancel", () => s !== null && s.kind === "touch" && finish(true));

    return {
      active: () => s !== null && s.claimed,
    };
  };

  // Animates `fn(progress 0..1)` over `ms` with an ease-out curve; returns a cancel function.
  V.animate = (ms, fn, done) => {
    let frame = 0;
    const start = performance.now();
    const step = (now) => {
      const t = ms > 0 ? Math.min(1, (now - start) / ms) : 1;
      fn(1 - Math.pow(1 - t, 3));
      if (t < 1) frame = requestAnimationFrame(step);
      else {
        frame = 0;
        if (done) done();
      }
    };
    frame = requestAnimationFrame(step);
    return () => {
      if (frame) cancelAnimationFrame(frame);
      frame = 0;
    };
  };

  // --- WeChat's three-dot loading indicator (page pull-down and scroll-view refresher) --------

  V.dots = (parent, className) => {
    const box = V.div("wx-loading-dots " + (className || ""), parent);
    for (let i = 0; i < 3; i++) V.div("wx-loading-dot", box);
    return box;
  };

  // --- the page: scroll, reach-bottom, pull-down refresh, scrollTo ----------------------------

  const scroller = doc.scrollingElement || doc.documentElement;
  let reachDistance = 50;
  let atBottom = false;
  let scrollFrame = 0;

  function onScrollFrame() {
    scrollFrame = 0;
    const top = scroller.scrollTop;
    post({ t: "pageEvent", name: "pageScroll", payload: { scrollTop: top } });
    const distance = scroller.scrollHeight - window.innerHeight - top;
    if (distance <= reachDistance) {
      if (!atBottom) {
        atBottom = true;
        post({ t: "pageEvent", name: "reachBottom", payload: {} });
      }
    } else atBottom = false;
  }

  window.addEventListener(
    "scroll",
    () => {
      V.cancelTap();
      if (scrollFrame === 0) scrollFrame = requestAnimationFrame(onScrollFrame);
    },
    { passive: true },
  );

  let cancelScrollAnimation = null;
  function scrollPageTo(top, duration) {
    if (cancelScrollAnimation) cancelScrollAnimation();
    cancelScrollAnimation = null;
    const max = Math.max(0, scroller.scrollHeight - window.innerHeight);
    const to = Math.max(0, Math.min(top, max));
    if (!(duration > 0)) {
      window.scrollTo(0, to);
      return;
    }
    const from = scroller.scrollTop;
    cancelScrollAnimation = V.animate(
      duration,
      (k) => window.scrollTo(0, from + (to - from) * k),
      () => {
        cancelScrollAnimation = null;
      },
    );
  }

  const REFRESH_HEIGHT = 50;
  const refresh = {
    enabled: false,
    state: "idle", // idle | pulling | refreshing
    box: null,
    height: 0,
    cancel: null,
    ensureBox() {
      if (this.box === null) {
        this.box = doc.createElement("div");
        this.box.className = "wx-page-refresh";
        V.dots(this.box);
        doc.body.insertBefore(this.box, doc.body.firstChild);
      }
      this.box.classList.toggle("wx-light", config.backgroundTextStyle === "light");
      this.box.style.backgroundColor = typeof config.backgroundColorTop === "string" ? config.backgroundColorTop : "";
    },
    setEnabled(on) {
      this.enabled = on;
      if (on) {
        enablePagePull();
        this.ensureBox();
      } else if (this.state !== "idle") this.stop();
    },
    setHeight(h) {
      this.height = h;
      if (this.box !== null) {
        this.box.style.height = h + "px";
        this.box.classList.toggle("wx-refreshing", this.state === "refreshing");
      }
    },
    animateTo(h, done) {
      if (this.cancel) this.cancel();
      const from = this.height;
      this.cancel = V.animate(
        200,
        (k) => this.setHeight(from + (h - from) * k),
        () => {
          this.cancel = null;
          if (done) done();
        },
      );
    },
    start(fromHost) {
      this.ensureBox();
      if (this.state === "refreshing") return;
      this.state = "refreshing";
      if (fromHost) window.scrollTo(0, 0);
      this.animateTo(REFRESH_HEIGHT);
      post({ t: "pageEvent", name: "pullDownRefresh", payload: {} });
    },
    stop() {
      if (this.state === "idle") return;
      this.state = "idle";
      this.animateTo(0);
    },
  };

  let pagePull = null;
  // Made only when the page enables pull-down refresh: its touchmove listener cannot be passive.
  function enablePagePull() {
    if (pagePull !== null) return;
    pagePull = V.drag(doc.documentElement, pagePullHandlers);
  }

  const pagePullHandlers = {
    start: () => refresh.enabled && refresh.state === "idle" && scroller.scrollTop <= 0,
    claim: (dx, dy) => dy > 0 && Math.abs(dy) > Math.abs(dx) && scroller.scrollTop <= 0,
    move(dx, dy) {
      if (refresh.cancel) refresh.cancel();
      refresh.state = "pulling";
      refresh.setHeight(Math.min(Math.max(0, dy) * 0.5, REFRESH_HEIGHT * 2.4));
    },
    end(dx, dy, vx, vy, cancelled) {
      if (refresh.state !== "pulling") return;
      if (!cancelled && refresh.height >= REFRESH_HEIGHT) {
        refresh.state = "idle";
        refresh.start(false);
      } else {
        refresh.state = "idle";
        refresh.animateTo(0);
      }
    },
  };

  // --- the bridge -----------------------------------------------------------------------------

  const isStrArray = (v) => Array.isArray(v) && v.every(isStr);
  const SCHEMA = {
    init: (m) => isStrArray(m.css) && isObject(m.config) && (m.system === undefined || isObject(m.system)),
    config: (m) => isObject(m.config),
    css: (m) => isStrArray(m.css),
    ops: (m) => isInt(m.seq) && Array.isArray(m.ops),
    pullDownRefresh: (m) => typeof m.active === "boolean",
    fromLogic: (m) =>
      isObject(m.msg) && isStr(m.msg.k) && (m.transfer === undefined || Array.isArray(m.transfer)),
    scrollTo: (m) =>
      typeof m.scrollTop === "number" &&
      Number.isFinite(m.scrollTop) &&
      (m.duration === undefined || (typeof m.duration === "number" && Number.isFinite(m.duration))),
  };

  function onPortMessage(event) {
    const m = event.data;
    const t = m !== null && typeof m === "object" ? m.t : undefined;
    const check = typeof t === "string" && Object.prototype.hasOwnProperty.call(SCHEMA, t) ? SCHEMA[t] : null;
    if (check === null || !check(m)) {
      const name = typeof t === "string" ? JSON.stringify(t.slice(0, 40)) : typeof t;
      reportError(`bridge: rejected message ${name}`);
      return;
    }
    switch (t) {
      case "init":
        config = m.config;
        system = m.system || {};
        clearCss();
        addCss(m.css);
        applyConfig();
        break;
      case "config":
        // Window settings changed (wx.setBackgroundColor / setBackgroundTextStyle, a theme change).
        config = { ...config, ...m.config };
        applyConfig();
        break;
      case "css":
        addCss(m.css);
        break;
      case "ops":
        queue.push({ seq: m.seq, ops: m.ops });
        scheduleFlush();
        break;
      case "pullDownRefresh":
        if (m.active) refresh.start(true);
        else refresh.stop();
        break;
      case "scrollTo":
        scrollPageTo(m.scrollTop, m.duration === undefined ? 300 : m.duration);
        break;
      case "fromLogic":
        fromLogic(m.msg);
        break;
    }
  }

  // --- the page channel (docs/runtime.md "Logic ⇄ view") --------------------------------------

  // Handlers for the logic layer's messages, by `msg.k`; each component file registers its own.
  V.logic = Object.create(null);
  // For SelectorQuery's `node` / `context` fields: per element tag (`wx-canvas`), a function
  // (el) → JSON the logic layer's nodeFactories / contextFactories turn into the app's object.
  V.nodeInfo = Object.create(null);

  function fromLogic(msg) {
    const handler = Object.prototype.hasOwnProperty.call(V.logic, msg.k) ? V.logic[msg.k] : null;
    if (handler === null) {
      reportError(`bridge: no handler for ${JSON.stringify(msg.k.slice(0, 40))}`);
      return;
    }
    // The message was sent after the ops still queued here: apply them first, so a query sees
    // the tree the app has just set.
    if (flushPending) flush();
    try {
      handler(msg);
    } catch (error) {
      reportError("view: " + error.message, error.stack);
    }
  }

  // To the page's logic layer: `msg` ({k, …}); `transfer` lists ImageBitmaps / ArrayBuffers in it.
  V.toLogic = (msg, transfer) => {
    if (port === null) return;
    const list = transfer || [];
    port.postMessage({ t: "toLogic", msg, transfer: list }, list);
  };

  let connected = false;
  window.addEventListener("message", (event) => {
    if (connected || event.source !== window.parent) return;
    const m = event.data;
    if (m === null || typeof m !== "object" || m.t !== "connect" || m.v !== 1) return;
    if (event.ports.length !== 1) return;
    connected = true;
    port = event.ports[0];
    port.onmessage = onPortMessage;
    for (const message of early.splice(0)) port.postMessage(message);
  });

  // The component scripts load after this one (all deferred); the host connects after `loaded`
  // or the frame's load event, both of which come after every script ran.
  doc.addEventListener("DOMContentLoaded", () => {
    window.parent.postMessage({ t: "loaded" }, "*");
  });
})();
