// The logic layer's framework: App, Page, Component and Behavior, the component tree, setData
// and the render ops sent to the view (docs/runtime.md). A classic script loaded by the worker;
// it defines `self.MiniappFramework`.
//
// Like glass-easel, the tree lives here: each page is a root instance whose template (View IR) is
// evaluated against its data into a virtual tree; custom components are instances with their own
// data and template. A setData changes `data` at once, marks the instance dirty and, at the end of
// the current task, re-renders only the dirty instances; the diff against the previous virtual
// tree becomes the ops batch the view applies. Events come back by node id and are dispatched
// here with WeChat's bubbling, capture, catch and mut-bind rules.
(function () {
  "use strict";
  const X = self.MiniappExpressions;
  const hasOwn = Object.prototype.hasOwnProperty;

  // Tags the view implements (docs/bundle-format.md "Styles": the compiler renames their
  // selectors to `wx-<tag>`). Anything else that is not a custom component is kept as written.
  const BUILTIN = new Set(
    (
      "view text image button input navigator scroll-view swiper swiper-item icon textarea " +
      "checkbox checkbox-group radio radio-group switch slider picker picker-view " +
      "picker-view-column form label progress rich-text video canvas movable-area movable-view " +
      "cover-view cover-image page-meta web-view map audio camera editor live-player " +
      "live-pusher match-media navigation-bar open-data ad official-account root-portal " +
      "page-container share-element keyboard-accessory functional-page-navigator voip-room " +
      "channel-live channel-video store-product"
    ).split(" "),
  );
  const BUBBLING = new Set([
    "tap",
    "longpress",
    "longtap",
    "touchstart",
    "touchmove",
    "touchend",
    "touchcancel",
    "touchforcechange",
    "transitionend",
    "animationstart",
    "animationiteration",
    "animationend",
  ]);
  const VALID_TAG = /^[a-zA-Z][a-zA-Z0-9._-]*$/;
  const SRC_TAGS = new Set(["image", "video", "cover-image", "audio"]);
  // Other attributes holding package paths, per built-in tag: (name, value, resolve) → value
  // (video's poster, map markers' icons; registered by media.js).
  const assetAttrs = Object.create(null);

  // ---- data paths ----------------------------------------------------------------------------

  // "a.b[3].c" → ["a", "b", 3, "c"]; also Taro's "a.[0]" and escapes `\.` `\[` `\]` `\\`.
  function parsePath(path) {
    const out = [];
    let name = "";
    let i = 0;
    let pending = false;
    while (i < path.length) {
      const ch = path[i];
      if (ch === "\\" && i + 1 < path.length) {
        name += path[i + 1];
        pending = true;
        i += 2;
      } else if (ch === ".") {
        if (pending) out.push(name);
        name = "";
        pending = false;
        i += 1;
      } else if (ch === "[") {
        if (pending) out.push(name);
        name = "";
        pending = false;
        const end = path.indexOf("]", i);
        const index = Number(path.slice(i + 1, end));
        if (end < 0 || !Number.isInteger(index) || index < 0) {
          throw new Error(`invalid data path "${path}"`);
        }
        out.push(index);
        i = end + 1;
      } else {
        name += ch;
        pending = true;
        i += 1;
      }
    }
    if (pending) out.push(name);
    if (out.length === 0) throw new Error(`invalid data path "${path}"`);
    return out;
  }

  function isBlocked(key) {
    return key === "__proto__" || key === "constructor" || key === "prototype";
  }

  // Copy-on-write: every object on the path is replaced by a shallow copy, so whatever changed
  // has a new identity and whatever did not keeps its own. The renderer relies on it to skip
  // subtrees whose inputs are the same objects as last time (rows[500].name = x gives a new
  // `rows` array and a new row 500; the 999 other rows are the same objects).
  function setPath(root, path, value) {
    for (const key of path) if (isBlocked(key)) return;
    let obj = root;
    for (let i = 0; i < path.length - 1; i += 1) {
      const key = path[i];
      const next = obj[key];
      let copy;
      if (Array.isArray(next)) copy = next.slice();
      else if (next !== null && typeof next === "object") copy = { ...next };
      else copy = typeof path[i + 1] === "number" ? [] : {};
      obj[key] = copy;
      obj = copy;
    }
    obj[path[path.length - 1]] = value;
  }

  function getPath(root, path) {
    let obj = root;
    for (const key of path) {
      if (obj === null || obj === undefined) return undefined;
      obj = obj[key];
    }
    return obj;
  }

  // Data crosses no boundary by reference: a deep copy of what setData was given, as WeChat
  // serialises it (functions and undefined dropped by JSON; a Date becomes its ISO string).
  function clone(value) {
    if (value === undefined) return undefined;
    if (value === null || typeof value !== "object") return value;
    return JSON.parse(JSON.stringify(value));
  }

  // Does a data observer pattern ("a.b", "list[0]", "obj.**") see a change at `changed`?
  function pathTouches(pattern, changed) {
    const n = Math.min(pattern.length, changed.length);
    for (let i = 0; i < n; i += 1) {
      if (pattern[i] === "**") return true;
      if (String(pattern[i]) !== String(changed[i])) return false;
    }
    return true;
  }

  // ---- classes -------------------------------------------------------------------------------

  function splitClasses(value) {
    if (value === undefined || value === null || value === false) return [];
    return String(value).split(/\s+/).filter(Boolean);
  }

  // The class string for an element written in `owner`'s template (docs/bundle-format.md
  // "Styles"): a component's own tokens get its prefix, external classes are replaced by what the
  // parent passed, and apply-shared keeps the plain token too.
  function classFor(owner, value) {
    const tokens = splitClasses(value);
    const def = owner.def;
    if (!owner.isComponent || def.styleIsolation === "shared") return tokens.join(" ");
    const out = [];
    for (const token of tokens) {
      const external = owner.externalClasses;
      if (external && hasOwn.call(external, token)) {
        if (external[token]) out.push(external[token]);
        continue;
      }
      if (def.externalClassSet.has(token)) continue;
      out.push(`${def.styleScope}--${token}`);
      if (def.styleIsolation === "apply-shared") out.push(token);
    }
    return out.join(" ");
  }

  function camel(name) {
    return name.replace(/-([a-z])/g, (_, c) => c.toUpperCase());
  }

  function datasetKey(attr) {
    return camel(attr.slice(5).toLowerCase());
  }

  // ---- definitions ---------------------------------------------------------------------------

  const NORMAL_TYPES = new Map([
    [String, "String"],
    [Number, "Number"],
    [Boolean, "Boolean"],
    [Object, "Object"],
    [Array, "Array"],
    [null, null],
  ]);
  const DEFAULTS = { String: "", Number: 0, Boolean: false, Object: null, Array: [] };

  function normalizeProperty(spec) {
    if (spec === null || NORMAL_TYPES.has(spec)) {
      const type = NORMAL_TYPES.get(spec) ?? null;
      return { type, optional: [], value: clone(type ? DEFAULTS[type] : null), observer: null };
    }
    const type = NORMAL_TYPES.has(spec.type) ? NORMAL_TYPES.get(spec.type) : null;
    const optional = (spec.optionalTypes || []).map((t) => NORMAL_TYPES.get(t) ?? null);
    const value = hasOwn.call(spec, "value") ? clone(spec.value) : clone(type ? DEFAULTS[type] : null);
    return { type, optional, value, observer: spec.observer ?? null };
  }

  function typeOf(value) {
    if (value === null) return "null";
    if (Array.isArray(value)) return "Array";
    const t = typeof value;
    return t === "string" ? "String" : t === "number" ? "Number" : t === "boolean" ? "Boolean" : t === "object" ? "Object" : t;
  }

  // WeChat coerces a property to its declared type (optionalTypes are accepted as they are).
  function coerce(prop, value) {
    if (prop.type === null) return value;
    const actual = typeOf(value);
    if (actual === prop.type || prop.optional.includes(actual) || prop.optional.includes(null)) {
      return value;
    }
    switch (prop.type) {
      case "String":
        return value === undefined || value === null ? "" : typeof value === "object" ? JSON.stringify(value) : String(value);
      case "Number": {
        const n = Number(value);
        return Number.isNaN(n) ? 0 : n;
      }
      case "Boolean":
        return Boolean(value);
      case "Array":
        return Array.isArray(value) ? value : clone(prop.value) ?? [];
      case "Object":
        return value !== null && typeof value === "object" ? value : null;
      default:
        return value;
    }
  }

  const LIFETIMES = ["created", "attached", "ready", "moved", "detached", "error"];
  const PAGE_LIFETIMES = ["show", "hide", "resize", "routeDone"];

  // Merges behaviors (depth first, each once) and the definition into one flat description.
  function flatten(options, path, kind) {
    const def = {
      path,
      kind,
      properties: Object.create(null),
      data: {},
      methods: Object.create(null),
      lifetimes: Object.create(null),
      pageLifetimes: Object.create(null),
      observers: [],
      relations: Object.create(null),
      externalClassSet: new Set(),
      behaviors: new Set(),
      options: {},
      exportFn: null,
      raw: options,
    };
    const seen = new Set();
    const apply = (source) => {
      if (!source || typeof source !== "object") return;
      for (const behavior of source.behaviors || []) {
        if (typeof behavior === "string") {
          def.behaviors.add(behavior);
          if (behavior === "wx://form-field") {
            apply({ properties: { name: { type: String }, value: { type: null } } });
          }
          continue;
        }
        if (behavior && behavior.__behavior && !seen.has(behavior)) {
          seen.add(behavior);
          def.behaviors.add(behavior);
          apply(behavior.__behavior);
        }
      }
      for (const [name, spec] of Object.entries(source.properties || {})) {
        def.properties[name] = normalizeProperty(spec);
      }
      Object.assign(def.data, clone(source.data || {}));
      for (const [name, fn] of Object.entries(source.methods || {})) {
        if (typeof fn === "function") def.methods[name] = fn;
      }
      const lifetimes = { ...source, ...(source.lifetimes || {}) };
      for (const name of LIFETIMES) {
        if (typeof lifetimes[name] === "function") {
          (def.lifetimes[name] ||= []).push(lifetimes[name]);
        }
      }
      for (const name of PAGE_LIFETIMES) {
        const fn = source.pageLifetimes && source.pageLifetimes[name];
        if (typeof fn === "function") (def.pageLifetimes[name] ||= []).push(fn);
      }
      for (const [fields, fn] of Object.entries(source.observers || {})) {
        if (typeof fn !== "function") continue;
        const patterns = fields.split(",").map((f) => f.trim()).filter(Boolean);
        def.observers.push({ fields: patterns, paths: patterns.map((p) => (p === "**" ? ["**"] : parsePath(p))), fn });
      }
      Object.assign(def.relations, source.relations || {});
      for (const name of source.externalClasses || []) def.externalClassSet.add(name);
      Object.assign(def.options, source.options || {});
      if (typeof source.export === "function") def.exportFn = source.export;
    };
    apply(options);
    return def;
  }

  // ---- the runtime state ---------------------------------------------------------------------

  const state = {
    manifest: null,
    origin: "",
    views: new Map(), // view file → View IR
    pages: new Map(), // page id → PageRuntime
    definitions: new Map(), // page or component path → def
    defining: null, // {path, kind} while a page/component module runs
    app: null,
    appDef: null,
    post: null, // (message) → void, set by the worker
    report: null, // (error, context) → void
    loadModule: null, // (path) → exports
    wxsRequire: null, // (module id) → exports
    stack: [], // page ids, bottom first, kept in step with the host
  };

  function defineFromModule(path, kind) {
    if (state.definitions.has(path)) return state.definitions.get(path);
    state.defining = { path, kind, found: null };
    try {
      state.loadModule(`${path}.js`);
    } finally {
      const found = state.defining.found;
      state.defining = null;
      if (found) state.definitions.set(path, found);
    }
    return state.definitions.get(path) ?? null;
  }

  function componentDef(path) {
    let def = state.definitions.get(path);
    if (!def) def = defineFromModule(path, "component");
    if (!def) {
      // A component whose JS never called Component(): WeChat renders its template with empty data.
      def = flatten({}, path, "component");
      state.definitions.set(path, def);
    }
    if (!def.viewInfo) {
      const info = state.manifest.components[path];
      def.viewInfo = info;
      def.styleScope = info.styleScope;
      def.styleIsolation = (def.options.styleIsolation || info.styleIsolation || "isolated");
      if (def.options.addGlobalClass && def.styleIsolation === "isolated") def.styleIsolation = "apply-shared";
      for (const name of info.externalClasses || []) def.externalClassSet.add(name);
    }
    return def;
  }

  function viewOf(file) {
    const ir = state.views.get(file);
    if (!ir) throw new Error(`view ${file} was not loaded`);
    return ir;
  }

  // ---- what a subtree reads ---------------------------------------------------------------
  //
  // The names (data fields or loop variables) an IR node's subtree reads, computed once per node.
  // A subtree rendered again with the same values for those names (by identity: setData copies
  // on write) renders the same, so it is skipped.

  function exprIds(expr, out) {
    switch (expr[0]) {
      case "id":
        out.add(expr[1]);
        break;
      case "mem":
        exprIds(expr[1], out);
        exprIds(expr[2], out);
        break;
      case "un":
        exprIds(expr[2], out);
        break;
      case "bin":
        exprIds(expr[2], out);
        exprIds(expr[3], out);
        break;
      case "cond":
        exprIds(expr[1], out);
        exprIds(expr[2], out);
        exprIds(expr[3], out);
        break;
      case "arr":
        for (const item of expr[1]) exprIds(item[0] === "spread" ? item[1] : item, out);
        break;
      case "obj":
        for (const [, value] of expr[1]) exprIds(value, out);
        break;
      case "call":
        exprIds(expr[1], out);
        for (const arg of expr[2]) exprIds(arg[0] === "spread" ? arg[1] : arg, out);
        break;
      default:
        break;
    }
  }

  function valueIds(value, out) {
    if (value === undefined || value === null || typeof value === "string") return;
    if (value[0] === "x") exprIds(value[1], out);
    else if (value[0] === "cat") for (const part of value[1]) if (typeof part !== "string") exprIds(part, out);
  }

  function listIds(nodes, out) {
    for (const node of nodes || []) if (typeof node !== "string") for (const name of depsOf(node)) out.add(name);
  }

  function depsOf(node) {
    if (node.__d !== undefined) return node.__d;
    const out = new Set();
    switch (node.k) {
      case "text":
        valueIds(node.v, out);
        break;
      case "el":
        for (const group of [node.attrs, node.data, node.marks]) for (const value of Object.values(group || {})) valueIds(value, out);
        for (const [, , handler] of node.events || []) valueIds(handler, out);
        for (const expr of Object.values(node.model || {})) exprIds(expr, out);
        listIds(node.children, out);
        break;
      case "if":
        for (const [cond, body] of node.branches) {
          valueIds(cond, out);
          listIds(body, out);
        }
        break;
      case "for": {
        const inner = new Set();
        listIds(node.children, inner);
        inner.delete(node.item);
        inner.delete(node.index);
        for (const name of inner) out.add(name);
        valueIds(node.list, out);
        break;
      }
      case "tpl":
        valueIds(node.is, out);
        if (node.data) exprIds(node.data, out);
        break;
      case "inc":
        listIds(node.children, out);
        break;
      case "block":
        valueIds(node.slot, out);
        listIds(node.children, out);
        break;
      case "slot":
        valueIds(node.name, out);
        break;
      default:
        break;
    }
    const names = Array.from(out).sort();
    Object.defineProperty(node, "__d", { value: names });
    return names;
  }

  // The values a descriptor's subtree reads, in depsOf order.
  function signature(desc) {
    const names = depsOf(desc.node);
    const vars = desc.ctx.vars;
    const data = desc.ctx.data;
    const out = new Array(names.length + 1);
    for (let i = 0; i < names.length; i += 1) {
      const name = names[i];
      out[i] = vars && hasOwn.call(vars, name) ? vars[name] : data !== null && data !== undefined && hasOwn.call(data, name) ? data[name] : undefined;
    }
    // External classes are an input of every class in a component's template.
    out[names.length] = desc.ctx.owner.externalClasses;
    return out;
  }

  function sameSignature(a, b) {
    if (!a || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) return false;
    return true;
  }

  let irUid = 0;
  function uid(node) {
    if (node.__u === undefined) Object.defineProperty(node, "__u", { value: (irUid += 1) });
    return node.__u;
  }

  // ---- instances ----------------------------------------------------------------------------

  class PageRuntime {
    constructor(id, route) {
      this.id = id;
      this.route = route;
      this.nextId = 1;
      this.nodes = new Map();
      this.ops = [];
      this.seq = 0;
      this.dirty = new Set();
      this.callbacks = new Map(); // seq → [fn]
      this.pendingCallbacks = [];
      this.readyPending = true;
      this.instances = new Set();
      this.root = null;
      this.alive = true;
      this.sheetsSent = new Set();
    }
    newId() {
      const id = this.nextId;
      this.nextId += 1;
      return id;
    }
  }

  // The page root is node 0; an instance renders its template into `container` (the page root, or
  // its host element).
  class Instance {
    constructor(page, def, { isComponent, host, parent }) {
      this.page = page;
      this.def = def;
      this.isComponent = isComponent;
      this.host = host; // the host VNode (components)
      this.parent = parent; // the owner instance of the host
      this.children = []; // shadow tree vnodes
      this.externalClasses = null;
      this.slots = new Map(); // slot name → slot VNode
      this.relationLinks = new Map(); // relation key → Set of instances
      this.attached = false;
      this.inCreated = false;
      this.depth = parent ? parent.depth + 1 : 0;
      page.instances.add(this);
      this.data = {};
      this.public = null; // the object handed to mini-program code as `this`
    }
  }

  function pageRootVNode(page) {
    return { id: 0, type: 1, tag: "wx-page", owner: null, parent: null, children: [], events: [], dataset: {}, marks: null, attrs: {} };
  }

  // ---- rendering -----------------------------------------------------------------------------

  function wxsScope(view, file) {
    const cacheKey = `__wxs:${file}`;
    if (view[cacheKey]) return view[cacheKey];
    const out = Object.create(null);
    const table = (view.wxs && view.wxs[file]) || {};
    for (const [name, id] of Object.entries(table)) {
      Object.defineProperty(out, name, { get: () => state.wxsRequire(id), enumerable: true });
    }
    Object.defineProperty(view, cacheKey, { value: out });
    return out;
  }

  // A render context: whose template (owner), which view and scope file, the data and loop vars.
  function ctxFor(owner, view, file, data, vars) {
    return { owner, view, file, data, vars, wxs: wxsScope(view, file) };
  }

  function valueOf(value, ctx) {
    return X.renderValue(value, ctx);
  }

  function loopEntries(list) {
    if (Array.isArray(list)) return list.map((v, i) => [i, v]);
    if (typeof list === "string") return Array.from({ length: list.length }, (_, i) => [i, list[i]]);
    if (typeof list === "number") return Array.from({ length: Math.max(0, Math.floor(list)) }, (_, i) => [i, i]);
    if (list && typeof list === "object") return Object.keys(list).map((k) => [k, list[k]]);
    return [];
  }

  // Turns an IR node list into descriptors: {key, node, ctx, text} for what will be DOM nodes.
  // Structure (if/for/tpl/inc/block) is resolved here; elements keep their IR node and context.
  function describe(nodes, ctx, prefix, out, slotOf) {
    for (let i = 0; i < nodes.length; i += 1) {
      const node = nodes[i];
      if (typeof node === "string") {
        out.push({ key: `${prefix}s${i}`, text: node, slot: slotOf });
        continue;
      }
      const id = uid(node);
      switch (node.k) {
        case "text":
          out.push({ key: `${prefix}${id}`, text: X.toText(X.renderValue(node.v, ctx)), slot: slotOf });
          break;
        case "el": {
          let slot = slotOf;
          if (slotOf !== undefined && node.attrs && node.attrs.slot !== undefined) {
            slot = X.toText(valueOf(node.attrs.slot, ctx));
          }
          out.push({ key: `${prefix}${id}`, node, ctx, slot });
          break;
        }
        case "if":
          for (let b = 0; b < node.branches.length; b += 1) {
            const [cond, body] = node.branches[b];
            if (cond === null || valueOf(cond, ctx)) {
              describe(body, ctx, `${prefix}${id}.${b};`, out, slotOf);
              break;
            }
          }
          break;
        case "for": {
          const seen = new Set();
          for (const [index, item] of loopEntries(valueOf(node.list, ctx))) {
            let itemKey = index;
            if (node.key) {
              const k = node.key === "*this" ? item : item && typeof item === "object" ? item[node.key] : undefined;
              if (k !== undefined && k !== null && (typeof k !== "object")) itemKey = `k${String(k)}`;
            }
            if (seen.has(itemKey)) itemKey = `i${index}`;
            seen.add(itemKey);
            const vars = Object.assign(Object.create(null), ctx.vars || {});
            vars[node.item] = item;
            vars[node.index] = index;
            const inner = { ...ctx, vars };
            describe(node.children, inner, `${prefix}${id}:${itemKey};`, out, slotOf);
          }
          break;
        }
        case "tpl": {
          let tid = node.id;
          if (tid === undefined) {
            const name = valueOf(node.is, ctx);
            const scope = ctx.view.templateScopes[ctx.file] || {};
            tid = typeof name === "string" && hasOwn.call(scope, name) ? scope[name] : undefined;
          }
          const template = tid !== undefined ? ctx.view.templates[tid] : undefined;
          if (!template) break;
          let data = node.data ? X.evaluate(node.data, ctx) : {};
          if (data === null || typeof data !== "object") data = {};
          const inner = ctxFor(ctx.owner, ctx.view, template.file, data, null);
          describe(template.body, inner, `${prefix}${id}@${tid};`, out, slotOf);
          break;
        }
        case "inc":
          describe(node.children, ctx, `${prefix}${id};`, out, slotOf);
          break;
        case "block": {
          const slot = slotOf !== undefined ? X.toText(valueOf(node.slot, ctx)) : slotOf;
          describe(node.children, ctx, `${prefix}${id};`, out, slot);
          break;
        }
        case "slot": {
          const name = node.name !== undefined && ctx.owner.def.options.multipleSlots ? X.toText(valueOf(node.name, ctx)) : "";
          out.push({ key: `${prefix}${id}`, slotName: name, ctx, slot: slotOf });
          break;
        }
        default:
          throw new TypeError(`unknown IR node ${node.k}`);
      }
    }
    return out;
  }

  function emit(page, op) {
    page.ops.push(op);
  }

  function sameValue(a, b) {
    if (a === b) return true;
    if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return false;
    return JSON.stringify(a) === JSON.stringify(b);
  }

  function setAttr(page, vnode, name, value) {
    const old = vnode.attrs[name];
    if (value === undefined) value = null;
    if (hasOwn.call(vnode.attrs, name) ? sameValue(old, value) : value === null) return;
    vnode.attrs[name] = value;
    emit(page, ["set", vnode.id, name, value]);
  }

  function resolveAsset(owner, src) {
    // A local file (wxfile://…, http://tmp/…): files.js turns it into a data: URL the view can load.
    const local = self.MiniappFramework.localFileUrl;
    if (typeof src === "string" && local && /^(wxfile:\/\/|http:\/\/tmp\/)/.test(src)) return local(src) || src;
    if (typeof src !== "string" || src === "" || /^[a-z][a-z0-9+.-]*:/i.test(src) || src.startsWith("//")) return src;
    const path = resolveRelative(owner.def.path, src);
    const file = hasOwn.call(state.manifest.assets, path) ? state.manifest.assets[path] : undefined;
    return file ? `${state.origin}/bundles/${file}` : src;
  }

  // The element attributes of a descriptor, evaluated: {attrs, dataset, marks, events}.
  function evalElement(desc) {
    const { node, ctx } = desc;
    const attrs = {};
    const dataset = {};
    let marks = null;
    for (const [name, value] of Object.entries(node.attrs || {})) {
      if (name === "slot") continue;
      attrs[name] = valueOf(value, ctx);
    }
    for (const [name, value] of Object.entries(node.data || {})) dataset[datasetKey(name)] = valueOf(value, ctx);
    if (node.marks) {
      marks = {};
      for (const [name, value] of Object.entries(node.marks)) marks[name] = valueOf(value, ctx);
    }
    const events = [];
    for (const [type, kind, handler] of node.events || []) events.push([type, kind, valueOf(handler, ctx)]);
    return { attrs, dataset, marks, events };
  }

  function componentPathFor(owner, tag) {
    const table = owner.isComponent ? owner.def.viewInfo.components : state.manifest.pages[owner.page.route].components;
    return table && hasOwn.call(table, tag) ? table[tag] : null;
  }

  function domTag(owner, tag) {
    if (componentPathFor(owner, tag)) return VALID_TAG.test(tag) ? tag : "wx-unknown";
    if (BUILTIN.has(tag)) return `wx-${tag}`;
    return VALID_TAG.test(tag) ? tag : "wx-unknown";
  }

  function createVNode(page, desc, parent) {
    const id = page.newId();
    let vnode;
    if (desc.text !== undefined) {
      vnode = { id, type: 3, key: desc.key, text: desc.text, parent, owner: null };
      emit(page, ["tx", id, desc.text]);
    } else if (desc.slotName !== undefined) {
      vnode = { id, type: 1, key: desc.key, tag: "wx-slot", slotName: desc.slotName, parent, owner: desc.ctx.owner, children: [], attrs: {}, events: [], dataset: {}, marks: null };
      emit(page, ["el", id, "wx-slot"]);
    } else {
      const tag = desc.node.tag;
      vnode = { id, type: 1, key: desc.key, irTag: tag, tag: domTag(desc.ctx.owner, tag), parent, owner: desc.ctx.owner, children: [], attrs: {}, events: [], evTypes: "", dataset: {}, marks: null, comp: null };
      emit(page, ["el", id, vnode.tag]);
    }
    page.nodes.set(id, vnode);
    updateVNode(page, vnode, desc, true);
    return vnode;
  }

  function eventTypesFor(vnode, events) {
    const types = new Set(events.map((e) => e[0]));
    if (vnode.irTag === "navigator") types.add("tap");
    if (vnode.irTag === "button" && vnode.attrs["open-type"] !== undefined) types.add("opentype");
    for (const name of Object.keys(vnode.model ? vnode.model.node : {})) types.add(name === "value" ? "input" : "change");
    // model:value on a slider or picker (and model:checked anywhere) comes back with `change`.
    if (vnode.model && vnode.irTag !== "input" && vnode.irTag !== "textarea") types.add("change");
    return Array.from(types).sort();
  }

  function updateVNode(page, vnode, desc, isNew) {
    if (vnode.type === 3) {
      if (!isNew && vnode.text !== desc.text) {
        vnode.text = desc.text;
        emit(page, ["txt", vnode.id, desc.text]);
      }
      return;
    }
    if (desc.slotName !== undefined) {
      const owner = desc.ctx.owner;
      if (!owner.slots.has(desc.slotName)) owner.slots.set(desc.slotName, vnode);
      return;
    }
    const sig = signature(desc);
    if (!isNew && vnode.sigNode === desc.node && sameSignature(vnode.sig, sig)) return;
    vnode.sig = sig;
    vnode.sigNode = desc.node;
    const { attrs, dataset, marks, events } = evalElement(desc);
    vnode.dataset = dataset;
    vnode.marks = marks;
    vnode.events = events;
    vnode.model = desc.node.model ? { node: desc.node.model, ctx: desc.ctx } : null;
    const owner = desc.ctx.owner;
    const compPath = componentPathFor(owner, desc.node.tag);
    if (compPath) {
      renderComponentHost(page, vnode, desc, compPath, attrs, isNew);
    } else {
      for (const [name, value] of Object.entries(attrs)) {
        let v = value;
        if (name === "class") v = classFor(owner, value);
        else if (name === "src" && SRC_TAGS.has(vnode.irTag)) v = resolveAsset(owner, value);
        else if (hasOwn.call(assetAttrs, vnode.irTag)) v = assetAttrs[vnode.irTag](name, value, (src) => resolveAsset(owner, src));
        setAttr(page, vnode, name, v);
      }
      for (const name of Object.keys(vnode.attrs)) {
        if (!hasOwn.call(attrs, name)) setAttr(page, vnode, name, null);
      }
      if (desc.node.model) {
        for (const [prop, expr] of Object.entries(desc.node.model)) setAttr(page, vnode, prop, X.evaluate(expr, desc.ctx));
      }
      const children = describe(desc.node.children || [], desc.ctx, `${uid(desc.node)}/`, [], undefined);
      vnode.children = reconcile(page, vnode, vnode.children, children);
    }
    const types = eventTypesFor(vnode, events).join(" ");
    if (types !== vnode.evTypes) {
      vnode.evTypes = types;
      emit(page, ["ev", vnode.id, types ? types.split(" ") : []]);
    }
  }

  // Longest increasing subsequence of old positions: the nodes that need not move.
  function stableSet(positions) {
    const tails = [];
    const prev = new Array(positions.length);
    const tailIdx = [];
    for (let i = 0; i < positions.length; i += 1) {
      const p = positions[i];
      if (p < 0) continue;
      let lo = 0;
      let hi = tails.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (tails[mid] < p) lo = mid + 1;
        else hi = mid;
      }
      tails[lo] = p;
      tailIdx[lo] = i;
      prev[i] = lo > 0 ? tailIdx[lo - 1] : -1;
    }
    const keep = new Set();
    let k = tailIdx[tails.length - 1];
    for (let n = tails.length; n > 0 && k !== undefined && k >= 0; n -= 1) {
      keep.add(k);
      k = prev[k];
    }
    return keep;
  }

  // Diffs a children list: reuses nodes with the same key and kind, creates the rest, removes
  // what is gone, and moves as few nodes as possible. `parent` null: detached (unassigned slot
  // content is created but not placed).
  function reconcile(page, parent, oldList, descs) {
    const oldByKey = new Map();
    for (let i = 0; i < oldList.length; i += 1) {
      const v = oldList[i];
      if (!oldByKey.has(v.key)) oldByKey.set(v.key, { v, i });
      else destroy(page, v, true);
    }
    const result = [];
    const positions = [];
    for (const desc of descs) {
      const found = oldByKey.get(desc.key);
      const kind = desc.text !== undefined ? 3 : 1;
      if (found && found.v.type === kind && (kind === 3 || (desc.slotName !== undefined) === (found.v.slotName !== undefined)) && (kind === 3 || desc.slotName !== undefined || found.v.irTag === desc.node.tag)) {
        oldByKey.delete(desc.key);
        updateVNode(page, found.v, desc, false);
        result.push(found.v);
        positions.push(found.i);
      } else {
        result.push(createVNode(page, desc, parent));
        positions.push(-1);
      }
    }
    for (const { v } of oldByKey.values()) destroy(page, v, true);
    if (parent !== null) {
      const keep = stableSet(positions);
      for (let i = result.length - 1; i >= 0; i -= 1) {
        if (keep.has(i)) continue;
        const before = i + 1 < result.length ? result[i + 1].id : null;
        result[i].parent = parent;
        emit(page, ["ins", parent.id, result[i].id, before]);
      }
    }
    return result;
  }

  // Removes a vnode (and, with `top`, its DOM subtree in one op), detaching components inside.
  function destroy(page, vnode, top) {
    if (top && vnode.parent !== null && vnode.parent !== undefined) emit(page, ["rm", vnode.id]);
    page.nodes.delete(vnode.id);
    if (vnode.type === 3) return;
    if (vnode.slotName !== undefined && vnode.owner) {
      if (vnode.owner.slots.get(vnode.slotName) === vnode) vnode.owner.slots.delete(vnode.slotName);
      const host = vnode.owner.host;
      const content = host && host.slotContent && host.slotContent.get(vnode.slotName);
      // The content's DOM went with the slot element; it is rebuilt at the host's next render.
      if (content) {
        for (const child of content) destroy(page, child, false);
        host.slotContent.set(vnode.slotName, []);
      }
    }
    for (const child of vnode.children || []) destroy(page, child, false);
    if (vnode.comp) detachInstance(vnode.comp);
  }

  // ---- components ------------------------------------------------------------------------------

  function renderComponentHost(page, vnode, desc, path, attrs, isNew) {
    const owner = desc.ctx.owner;
    const def = componentDef(path);
    let inst = vnode.comp;
    if (isNew || !inst) {
      inst = createComponent(page, def, vnode, owner);
      vnode.comp = inst;
    }
    // Host element attributes and properties.
    const props = {};
    const external = {};
    for (const [name, value] of Object.entries(attrs)) {
      if (name === "class") setAttr(page, vnode, "class", [classFor(owner, value), `${def.styleScope}--host`].filter(Boolean).join(" "));
      else if (name === "style" || name === "id" || name === "hidden") setAttr(page, vnode, name, value);
      else if (def.externalClassSet.has(name)) external[name] = classFor(owner, value);
      else if (name.startsWith("generic:") || name.startsWith("change:")) continue;
      else {
        const prop = hasOwn.call(def.properties, name) ? name : camel(name);
        if (hasOwn.call(def.properties, prop)) props[prop] = value;
      }
    }
    if (!hasOwn.call(attrs, "class")) setAttr(page, vnode, "class", `${def.styleScope}--host`);
    if (desc.node.model) {
      for (const [prop, expr] of Object.entries(desc.node.model)) {
        const key = hasOwn.call(def.properties, prop) ? prop : camel(prop);
        props[key] = X.evaluate(expr, desc.ctx);
      }
    }
    if (!sameValue(inst.externalClasses, external)) inst.externalClasses = external;
    vnode.hostId = attrs.id === undefined ? "" : String(attrs.id);
    vnode.hostClass = splitClasses(attrs.class);
    applyProperties(inst, props, isNew);
    // Render the shadow tree now (first time, or when properties changed it), then the slots.
    if (isNew) {
      renderInstance(inst);
      attachInstance(inst);
    } else if (page.dirty.has(inst)) {
      page.dirty.delete(inst);
      renderInstance(inst);
    }
    const content = new Map();
    for (const child of describe(desc.node.children || [], desc.ctx, `${uid(desc.node)}/`, [], "")) {
      const name = inst.def.options.multipleSlots ? child.slot || "" : "";
      if (!content.has(name)) content.set(name, []);
      content.get(name).push(child);
    }
    vnode.slotContent ||= new Map();
    const names = new Set([...content.keys(), ...vnode.slotContent.keys()]);
    for (const name of names) {
      const slotV = inst.slots.get(name) || null;
      const old = vnode.slotContent.get(name) || [];
      const fresh = reconcile(page, slotV, old, content.get(name) || []);
      vnode.slotContent.set(name, fresh);
    }
  }

  function placeSlotContent(inst) {
    const host = inst.host;
    if (!host || !host.slotContent) return;
    for (const [name, slotV] of inst.slots) {
      const content = host.slotContent.get(name) || [];
      for (const child of content) {
        if (child.parent !== slotV) {
          child.parent = slotV;
          emit(inst.page, ["ins", slotV.id, child.id, null]);
        }
      }
    }
  }

  function createComponent(page, def, host, parent) {
    const inst = new Instance(page, def, { isComponent: true, host, parent });
    inst.data = clone(def.data);
    for (const [name, prop] of Object.entries(def.properties)) {
      if (!hasOwn.call(inst.data, name)) inst.data[name] = clone(prop.value);
    }
    inst.public = makeComponentPublic(inst);
    instanceByPublic.set(inst.public, inst);
    inst.inCreated = true;
    callLifetime(inst, "created");
    inst.inCreated = false;
    return inst;
  }

  function applyProperties(inst, props, initial) {
    const changes = [];
    for (const [name, raw] of Object.entries(props)) {
      const prop = inst.def.properties[name];
      const value = coerce(prop, clone(raw));
      const old = inst.data[name];
      if (!initial && sameValue(old, value)) continue;
      if (initial && sameValue(old, value)) continue;
      inst.data[name] = value;
      changes.push([name, value, old]);
    }
    if (changes.length === 0) return;
    if (!initial) inst.page.dirty.add(inst);
    runObservers(inst, changes.map(([name]) => [name]));
    for (const [name, value, old] of changes) {
      const observer = inst.def.properties[name].observer;
      const fn = typeof observer === "function" ? observer : typeof observer === "string" ? inst.public[observer] : null;
      if (typeof fn === "function") guard(inst, () => fn.call(inst.public, value, old, [name]));
    }
  }

  function runObservers(inst, changedPaths) {
    for (const observer of inst.def.observers) {
      const hit = observer.paths.some((pattern) => changedPaths.some((changed) => pathTouches(pattern, changed)));
      if (!hit) continue;
      const args = observer.paths.map((pattern) => {
        if (pattern.length === 1 && pattern[0] === "**") return inst.data;
        const path = pattern[pattern.length - 1] === "**" ? pattern.slice(0, -1) : pattern;
        return getPath(inst.data, path);
      });
      guard(inst, () => observer.fn.apply(inst.public, args));
    }
  }

  function renderInstance(inst) {
    const view = viewOf(inst.isComponent ? inst.def.viewInfo.view : state.manifest.pages[inst.page.route].view);
    const ctx = ctxFor(inst, view, view.file, inst.data, null);
    const descs = describe(view.root, ctx, "", [], undefined);
    const container = inst.isComponent ? inst.host : inst.page.root;
    inst.children = reconcile(inst.page, container, inst.children, descs);
    if (inst.isComponent) container.children = inst.children;
    placeSlotContent(inst);
  }

  function attachInstance(inst) {
    inst.attached = true;
    callLifetime(inst, "attached");
    linkRelations(inst);
  }

  function detachInstance(inst) {
    if (!inst.attached) return;
    inst.attached = false;
    unlinkRelations(inst);
    callLifetime(inst, "detached");
    inst.page.instances.delete(inst);
    inst.page.dirty.delete(inst);
  }

  function callLifetime(inst, name) {
    for (const fn of inst.def.lifetimes[name] || []) guard(inst, () => fn.call(inst.public));
  }

  function resolveRelative(from, target) {
    const parts = target.startsWith("/") ? [] : from.split("/").slice(0, -1);
    for (const part of target.replace(/^\//, "").split("/")) {
      if (part === "..") parts.pop();
      else if (part !== "." && part !== "") parts.push(part);
    }
    return parts.join("/");
  }

  const INVERSE = { parent: "child", child: "parent", ancestor: "descendant", descendant: "ancestor" };

  function relationOf(inst, otherPath) {
    for (const [key, rel] of Object.entries(inst.def.relations)) {
      if (resolveRelative(inst.def.path, key) === otherPath) return [key, rel];
    }
    return null;
  }

  // Links this component to the nearest ancestor component it has a parent/ancestor relation
  // with (and which declares the inverse), walking the composed tree.
  function linkRelations(inst) {
    for (const [key, rel] of Object.entries(inst.def.relations)) {
      if (rel.type !== "parent" && rel.type !== "ancestor") continue;
      const targetPath = resolveRelative(inst.def.path, key);
      let node = inst.host.parent;
      let hops = 0;
      while (node) {
        if (node.comp && node !== inst.host) {
          hops += 1;
          if (node.comp.def.path === targetPath) {
            const other = node.comp;
            const back = relationOf(other, inst.def.path);
            if (back && back[1].type === INVERSE[rel.type] && (rel.type === "ancestor" || hops === 1)) {
              addLink(inst, key, other);
              addLink(other, back[0], inst);
              if (typeof back[1].linked === "function") guard(other, () => back[1].linked.call(other.public, inst.public));
              if (typeof rel.linked === "function") guard(inst, () => rel.linked.call(inst.public, other.public));
            }
            break;
          }
          if (rel.type === "parent") break;
        }
        node = node.parent;
      }
    }
  }

  function addLink(inst, key, other) {
    if (!inst.relationLinks.has(key)) inst.relationLinks.set(key, new Set());
    inst.relationLinks.get(key).add(other);
  }

  function unlinkRelations(inst) {
    for (const [key, others] of inst.relationLinks) {
      const rel = inst.def.relations[key];
      for (const other of others) {
        const back = relationOf(other, inst.def.path);
        if (back) {
          other.relationLinks.get(back[0])?.delete(inst);
          if (typeof back[1].unlinked === "function") guard(other, () => back[1].unlinked.call(other.public, inst.public));
        }
        if (rel && typeof rel.unlinked === "function") guard(inst, () => rel.unlinked.call(inst.public, other.public));
      }
    }
    inst.relationLinks.clear();
  }

  // ---- setData and flushing -------------------------------------------------------------------

  const flushQueue = new Set();
  let flushScheduled = false;

  function scheduleFlush(page) {
    flushQueue.add(page);
    if (!flushScheduled) {
      flushScheduled = true;
      queueMicrotask(flushAll);
    }
  }

  function flushAll() {
    flushScheduled = false;
    const pages = Array.from(flushQueue);
    flushQueue.clear();
    for (const page of pages) flushPage(page);
  }

  function flushPage(page) {
    if (!page.alive) return;
    while (page.dirty.size > 0) {
      const next = Array.from(page.dirty).sort((a, b) => a.depth - b.depth)[0];
      page.dirty.delete(next);
      if (next.isComponent && !next.attached) continue;
      renderInstance(next);
    }
    if (page.ops.length === 0 && page.pendingCallbacks.length === 0) return;
    page.seq += 1;
    if (page.pendingCallbacks.length > 0) {
      page.callbacks.set(page.seq, page.pendingCallbacks);
      page.pendingCallbacks = [];
    }
    const ops = page.ops;
    page.ops = [];
    state.post({ t: "ops", page: page.id, seq: page.seq, ops });
  }

  // ---- the page channel to the view (docs/runtime.md "Logic ⇄ view") ---------------------------

  // Handlers for the view's `fromView` messages, by `msg.k`; each module of the logic layer
  // (query.js, canvas.js, …) registers its own: (pageId, msg) => void.
  const viewHandlers = Object.create(null);

  // Sends `msg` ({k, …}) to page `pageId`'s view after every render op made so far (the page is
  // flushed first), so the view answers about the tree the app has just set. `transfer`: objects
  // to transfer (ImageBitmaps). False when the page is gone.
  function toView(pageId, msg, transfer) {
    const page = state.pages.get(pageId);
    if (!page || !page.alive) return false;
    if (page.dirty.size > 0 || page.ops.length > 0 || page.pendingCallbacks.length > 0) {
      flushQueue.delete(page);
      flushPage(page);
    }
    state.post({ t: "toView", page: pageId, msg, transfer: transfer || [] }, transfer);
    return true;
  }

  function fromView(pageId, msg) {
    const handler = hasOwn.call(viewHandlers, msg.k) ? viewHandlers[msg.k] : null;
    if (handler === null) return;
    try {
      handler(pageId, msg);
    } catch (error) {
      state.report(error, "");
    }
  }

  // SelectorQuery's `node` and `context` fields: per built-in tag (the WXML name, e.g. "canvas"),
  // a function (pageId, nodeId, info) → the object handed to the app, where `info` is what the
  // view's `wxView.nodeInfo[tag](el)` reported for the element. Registered by canvas.js, media.js, …
  const nodeFactories = Object.create(null);
  const contextFactories = Object.create(null);

  // The instance behind a `this` the app holds (a page's or a component's public object).
  const instanceByPublic = new WeakMap();
  function instanceOf(pub) {
    return pub !== null && typeof pub === "object" ? instanceByPublic.get(pub) || null : null;
  }

  function doSetData(inst, patch, callback) {
    if (patch === null || typeof patch !== "object") throw new TypeError("setData expects an object");
    if (inst.inCreated) {
      console.warn(`setData in the created lifetime of ${inst.def.path} is ignored, as WeChat does`);
      return;
    }
    const changed = [];
    for (const [key, value] of Object.entries(patch)) {
      if (value === undefined) continue; // WeChat does not propagate undefined
      const path = parsePath(key);
      setPath(inst.data, path, clone(value));
      changed.push(path);
    }
    if (inst.isComponent && changed.length > 0) runObservers(inst, changed);
    const page = inst.page;
    if (typeof callback === "function") page.pendingCallbacks.push(() => callback.call(inst.public));
    if (!page.alive) return;
    page.dirty.add(inst);
    scheduleFlush(page);
  }

  // ---- errors ---------------------------------------------------------------------------------

  function guard(inst, fn) {
    try {
      return fn();
    } catch (error) {
      state.report(error, inst ? inst.def.path : "");
      return undefined;
    }
  }

  // ---- public objects (`this` in mini-program code) ---------------------------------------------

  function matchSelector(vnode, selector) {
    if (selector.startsWith("#")) return vnode.hostId === selector.slice(1);
    if (selector.startsWith(".")) return (vnode.hostClass || []).includes(selector.slice(1));
    return vnode.irTag === selector;
  }

  function findComponents(inst, selector, all) {
    const out = [];
    const parts = selector.trim().split(/\s*,\s*/);
    const walk = (list) => {
      for (const v of list) {
        if (v.type !== 1) continue;
        if (v.comp && v.owner === inst && parts.some((p) => matchSelector(v, p))) {
          out.push(v.comp);
          if (!all) return true;
        }
        if (walk(v.children || [])) return true;
        if (v.slotContent) for (const content of v.slotContent.values()) if (walk(content)) return true;
      }
      return false;
    };
    walk(inst.isComponent ? inst.children : inst.children);
    return out.map(exported);
  }

  function exported(inst) {
    if (inst.def.exportFn && (inst.def.behaviors.has("wx://component-export") || true)) {
      return guard(inst, () => inst.def.exportFn.call(inst.public));
    }
    return inst.public;
  }

  function commonMethods(inst, target) {
    Object.defineProperty(target, "setData", { value: (patch, cb) => doSetData(inst, patch, cb) });
    Object.defineProperty(target, "selectComponent", { value: (sel) => findComponents(inst, sel, false)[0] ?? null });
    Object.defineProperty(target, "selectAllComponents", { value: (sel) => findComponents(inst, sel, true) });
    Object.defineProperty(target, "getPageId", { value: () => `pageId:${inst.page.id}` });
    Object.defineProperty(target, "createSelectorQuery", { value: () => self.MiniappWx.createSelectorQuery().in(target) });
    Object.defineProperty(target, "createIntersectionObserver", { value: (options) => self.MiniappWx.createIntersectionObserver(target, options) });
    // (An app's own method of the same name wins: `animate` is a common handler name.)
    if (!hasOwn.call(target, "animate")) Object.defineProperty(target, "animate", { value: (...args) => self.MiniappWx.animate(target, ...args) });
    if (!hasOwn.call(target, "clearAnimation")) Object.defineProperty(target, "clearAnimation", { value: (...args) => self.MiniappWx.clearAnimation(target, ...args) });
  }

  function makeComponentPublic(inst) {
    const def = inst.def;
    const pub = {};
    for (const [name, fn] of Object.entries(def.methods)) pub[name] = fn;
    Object.defineProperty(pub, "data", { get: () => inst.data, set: (v) => (inst.data = v), enumerable: true });
    Object.defineProperty(pub, "properties", { get: () => inst.data, enumerable: true });
    Object.defineProperty(pub, "is", { value: def.path, enumerable: true });
    Object.defineProperty(pub, "id", { get: () => (inst.host ? inst.host.hostId || "" : ""), enumerable: true });
    Object.defineProperty(pub, "dataset", { get: () => (inst.host ? inst.host.dataset : {}), enumerable: true });
    commonMethods(inst, pub);
    Object.defineProperty(pub, "triggerEvent", {
      value: (name, detail, options) => triggerEvent(inst, String(name), detail, options || {}),
    });
    Object.defineProperty(pub, "selectOwnerComponent", {
      value: () => (inst.parent ? (inst.parent.isComponent ? inst.parent.public : inst.parent.public) : null),
    });
    Object.defineProperty(pub, "getRelationNodes", {
      value: (key) => {
        for (const [k, set] of inst.relationLinks) {
          if (k === key || resolveRelative(def.path, k) === resolveRelative(def.path, key)) return Array.from(set, (o) => o.public);
        }
        return [];
      },
    });
    Object.defineProperty(pub, "getTabBar", { value: () => null });
    Object.defineProperty(pub, "hasBehavior", { value: (behavior) => def.behaviors.has(behavior) });
    Object.defineProperty(pub, "getOpenerEventChannel", { value: () => pageOf(inst).public.getOpenerEventChannel() });
    Object.defineProperty(pub, "groupSetData", { value: (fn) => fn && fn() });
    return pub;
  }

  function pageOf(inst) {
    let node = inst;
    while (node.parent) node = node.parent;
    return node;
  }

  // ---- events ---------------------------------------------------------------------------------

  function retarget(target, owner) {
    // The target as seen from `owner`'s template: inside another component it is that
    // component's host element, at the level of `owner`.
    let node = target;
    while (node && node.owner && node.owner !== owner && node.owner.host) {
      // Slot content belongs to the host's owner, so it is visible from there.
      node = node.owner.host;
    }
    return node || target;
  }

  function targetInfo(vnode, offset) {
    return {
      id: vnode.comp ? vnode.hostId || "" : vnode.attrs && vnode.attrs.id !== undefined && vnode.attrs.id !== null ? String(vnode.attrs.id) : "",
      dataset: { ...(vnode.dataset || {}) },
      offsetLeft: offset ? offset.left : 0,
      offsetTop: offset ? offset.top : 0,
    };
  }

  function callHandler(owner, handler, event) {
    if (typeof handler !== "string" || handler === "") return;
    const pub = owner.public;
    const fn = pub && pub[handler];
    if (typeof fn !== "function") {
      console.warn(`${owner.isComponent ? "Component" : "Page"} "${owner.def.path}" does not have a method "${handler}" to handle event "${event.type}".`);
      return;
    }
    return guard(owner, () => fn.call(pub, event));
  }

  function dispatch(page, target, type, base, { bubbles, composed, capture }) {
    const path = [];
    for (let v = target; v && v.id !== 0; v = v.parent) path.push(v);
    // Components' own events do not leave their shadow tree unless composed.
    const boundary = composed ? null : target.owner;
    const inScope = (v) => boundary === null || v.owner === boundary || v === target;
    const marks = {};
    for (let i = path.length - 1; i >= 0; i -= 1) if (path[i].marks) Object.assign(marks, path[i].marks);
    const make = (v) => ({
      type,
      timeStamp: base.timeStamp,
      target: targetInfo(retarget(target, v.owner), base.offset),
      currentTarget: targetInfo(v, base.offset),
      mark: marks,
      detail: base.detail,
      touches: base.touches || [],
      changedTouches: base.changedTouches || [],
      _userTap: base.userTap,
    });
    if (capture) {
      for (let i = path.length - 1; i >= 0; i -= 1) {
        const v = path[i];
        if (!inScope(v)) continue;
        let stop = false;
        for (const [t, kind, handler] of v.events || []) {
          if (t !== type || !kind.startsWith("capture-")) continue;
          callHandler(v.owner, handler, make(v));
          if (kind === "capture-catch") stop = true;
        }
        if (stop) return;
      }
    }
    let mutDone = false;
    const limit = bubbles ? path.length : 1;
    for (let i = 0; i < limit; i += 1) {
      const v = path[i];
      if (!inScope(v)) continue;
      let stop = false;
      for (const [t, kind, handler] of v.events || []) {
        if (t !== type || kind.startsWith("capture-")) continue;
        if (kind === "mut-bind") {
          if (mutDone) continue;
          mutDone = true;
        }
        const result = callHandler(v.owner, handler, make(v));
        // bindinput on an input may return the text that replaces the field's (WeChat).
        if (type === "input" && v === target && target.irTag === "input" && (typeof result === "string" || typeof result === "number")) {
          emit(page, ["set", target.id, "value", String(result)]);
          scheduleFlush(page);
        }
        if (kind === "catch") stop = true;
      }
      if (stop) return;
    }
  }

  function triggerEvent(inst, name, detail, options) {
    const host = inst.host;
    if (!host || !inst.attached) return;
    const page = inst.page;
    dispatch(page, host, name, { detail: detail === undefined ? {} : detail, timeStamp: Date.now() - state.startedAt }, {
      bubbles: Boolean(options.bubbles),
      composed: Boolean(options.composed),
      capture: Boolean(options.capturePhase),
    });
  }

  function handleViewEvent(message) {
    const page = state.pages.get(message.page);
    if (!page || !page.alive) return;
    const target = page.nodes.get(message.id);
    if (!target || target.type !== 1) return;
    const type = message.type;
    if (type === "opentype") {
      openTypeAction(page, target, message);
      return;
    }
    const base = { detail: message.detail, timeStamp: message.timeStamp, touches: message.touches, changedTouches: message.changedTouches, offset: message.offset };
    if (target.model && (type === "input" || type === "change")) writeBack(target, message.detail);
    // A pull opened the scroll-view's refresher: WeChat's component sets its refresher-triggered
    // to true, so the page setting it (back) to false closes it even if its data was false.
    if (type === "refresherrefresh" && target.irTag === "scroll-view") {
      for (const key of ["refresher-triggered", "refresherTriggered"]) if (hasOwn.call(target.attrs, key)) target.attrs[key] = true;
    }
    dispatch(page, target, type, base, { bubbles: BUBBLING.has(type), composed: true, capture: true });
    if (type === "tap") {
      for (let v = target; v && v.id !== 0; v = v.parent) {
        if (v.irTag === "navigator") {
          navigatorAction(v);
          break;
        }
      }
    }
  }

  // model:value="{{path}}": the component's new value is written back with setData.
  function writeBack(vnode, detail) {
    if (!detail || !hasOwn.call(detail, "value")) return;
    for (const expr of Object.values(vnode.model.node)) {
      const path = [];
      let e = expr;
      while (e[0] === "mem") {
        path.unshift(X.evaluate(e[2], vnode.model.ctx));
        e = e[1];
      }
      if (e[0] !== "id") continue;
      const root = e[1];
      const vars = vnode.model.ctx.vars;
      if (vars && hasOwn.call(vars, root)) continue; // a loop variable: no data path to write to
      path.unshift(root);
      const key = path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? p : `.${p}`)).join("");
      doSetData(vnode.model.ctx.owner, { [key]: detail.value });
    }
  }

  function navigatorAction(v) {
    const a = v.attrs;
    const type = a["open-type"] || a.openType || "navigate";
    const url = a.url;
    const wx = self.MiniappWx.wx;
    const fromRoute = v.owner ? pageOf(v.owner).page.route : "";
    const call = {
      navigate: () => wx.navigateTo({ url, __from: fromRoute }),
      redirect: () => wx.redirectTo({ url, __from: fromRoute }),
      switchTab: () => wx.switchTab({ url, __from: fromRoute }),
      reLaunch: () => wx.reLaunch({ url, __from: fromRoute }),
      navigateBack: () => wx.navigateBack({ delta: Number(a.delta || 1) }),
      exit: () => self.MiniappWx.callHost("exitMiniProgram", {}),
    }[type];
    if (call && (url || type === "navigateBack" || type === "exit")) call().catch(() => {});
  }

  // Button open-type: the hooks WeChat runs on tap.
  function openTypeAction(page, target, message) {
    const openType = String((message.detail && message.detail.openType) || target.attrs["open-type"] || "");
    const base = { timeStamp: message.timeStamp, offset: message.offset };
    if (openType === "share") {
      self.MiniappWx.shareFrom(page, { from: "button", target: targetInfo(target, message.offset) });
      return;
    }
    const events = {
      getPhoneNumber: "getphonenumber",
      getRealtimePhoneNumber: "getrealtimephonenumber",
      getUserInfo: "getuserinfo",
      contact: "contact",
      openSetting: "opensetting",
      launchApp: "error",
      chooseAvatar: "chooseavatar",
      agreePrivacyAuthorization: "agreeprivacyauthorization",
      feedback: "",
    };
    const eventType = events[openType];
    if (openType === "openSetting") {
      self.MiniappWx.wx.openSetting({}).then((res) => dispatch(page, target, "opensetting", { ...base, detail: res }, { bubbles: false, composed: false, capture: false }), () => {});
      return;
    }
    if (!eventType) return;
    const deliver = (detail) => dispatch(page, target, eventType, { ...base, detail }, { bubbles: false, composed: false, capture: false });
    if (openType === "getPhoneNumber" || openType === "getRealtimePhoneNumber") {
      // The host asks the user (a sheet with their number) and, on Allow, has our server issue
      // the code (and, for getPhoneNumber, the number encrypted under the session key).
      self.MiniappWx.callHost("phoneNumber", { realtime: openType === "getRealtimePhoneNumber" }).then(
        (res) => deliver({ errMsg: `${openType}:ok`, ...res }),
        (error) => deliver({ errMsg: error && typeof error.errMsg === "string" ? error.errMsg : `${openType}:fail` }),
      );
      return;
    }
    if (openType === "getUserInfo") {
      // WeChat's anonymous profile (no dialog), signed once the user has a session (wx.login).
      self.MiniappWx.callHost("anonymousUserInfo", { lang: String(target.attrs.lang || "en") }).then(
        (res) => deliver({ errMsg: "getUserInfo:ok", ...res }),
        (error) => deliver({ errMsg: error && typeof error.errMsg === "string" ? error.errMsg : "getUserInfo:fail" }),
      );
      return;
    }
    deliver({ errMsg: `${openType}:fail not supported yet` });
  }

  // ---- pages ----------------------------------------------------------------------------------

  function pageDefFor(route) {
    let def = state.definitions.get(route);
    if (!def) def = defineFromModule(route, "page");
    if (!def) def = flatten({}, route, "page");
    return def;
  }

  const PAGE_HOOKS = new Set([
    "data", "onLoad", "onShow", "onReady", "onHide", "onUnload", "onPullDownRefresh", "onReachBottom",
    "onPageScroll", "onShareAppMessage", "onShareTimeline", "onAddToFavorites", "onResize",
    "onTabItemTap", "onSaveExitState", "onRouteDone", "options", "behaviors",
  ]);

  function createPage(pageId, route, query, openType) {
    const page = new PageRuntime(pageId, route);
    page.root = pageRootVNode(page);
    page.nodes.set(0, page.root);
    state.pages.set(pageId, page);
    const def = pageDefFor(route);
    const inst = new Instance(page, def, { isComponent: false, host: null, parent: null });
    page.instance = inst;
    if (def.kind === "component-page") {
      // A page written with Component(): properties receive the query, methods are handlers.
      inst.isComponentPage = true;
      inst.data = clone(def.data);
      for (const [name, prop] of Object.entries(def.properties)) {
        inst.data[name] = hasOwn.call(query, name) ? coerce(prop, query[name]) : clone(prop.value);
      }
      inst.public = makeComponentPublic(inst);
      Object.defineProperty(inst.public, "route", { value: route, enumerable: true });
      Object.defineProperty(inst.public, "options", { value: { ...query }, enumerable: true });
      callLifetime(inst, "created");
    } else {
      inst.data = clone(def.raw.data || {});
      const pub = {};
      for (const [name, value] of Object.entries(def.raw)) {
        if (name === "data") continue;
        pub[name] = typeof value === "function" ? value : name.startsWith("on") || PAGE_HOOKS.has(name) ? value : clone(value);
      }
      for (const [name, fn] of Object.entries(def.methods)) if (!hasOwn.call(pub, name)) pub[name] = fn;
      Object.defineProperty(pub, "data", { get: () => inst.data, set: (v) => (inst.data = v), enumerable: true });
      Object.defineProperty(pub, "route", { value: route, enumerable: true });
      Object.defineProperty(pub, "__route__", { value: route });
      Object.defineProperty(pub, "options", { value: { ...query }, enumerable: true });
      Object.defineProperty(pub, "is", { value: route });
      commonMethods(inst, pub);
      inst.public = pub;
    }
    Object.defineProperty(inst.public, "getOpenerEventChannel", { value: () => self.MiniappWx.eventChannelFor(pageId), configurable: true });
    Object.defineProperty(inst.public, "getTabBar", { value: () => null, configurable: true });
    Object.defineProperty(inst.public, "__pageId", { value: pageId });
    page.public = inst.public;
    instanceByPublic.set(inst.public, inst);
    // First render: the components are created and attached before the page's onLoad (WeChat's
    // order); onLoad's and onShow's setData join the same first batch.
    renderInstance(inst);
    if (inst.isComponentPage) callLifetime(inst, "attached");
    callPageHook(page, "onLoad", { ...query });
    callPageHook(page, "onShow");
    page.shown = true;
    page.dirty.add(inst);
    flushPage(page);
    return page;
  }

  function callPageHook(page, name, ...args) {
    const inst = page.instance;
    const fn = inst.public[name];
    if (typeof fn !== "function") return undefined;
    return guard(inst, () => fn.apply(inst.public, args));
  }

  function forEachComponent(page, fn) {
    for (const inst of Array.from(page.instances)) if (inst.isComponent && inst.attached) fn(inst);
  }

  function pageLifetime(page, name, arg) {
    forEachComponent(page, (inst) => {
      for (const fn of inst.def.pageLifetimes[name] || []) guard(inst, () => fn.call(inst.public, arg));
    });
  }

  function showPage(pageId) {
    const page = state.pages.get(pageId);
    if (!page || page.shown) return;
    page.shown = true;
    callPageHook(page, "onShow");
    pageLifetime(page, "show");
  }

  function hidePage(pageId) {
    const page = state.pages.get(pageId);
    if (!page || !page.shown) return;
    page.shown = false;
    callPageHook(page, "onHide");
    pageLifetime(page, "hide");
  }

  // Run after a page is unloaded, with its id: the API families' clean-up (pending queries,
  // observers, canvases of that page).
  const unloadHooks = [];
  function onPageUnload(fn) {
    unloadHooks.push(fn);
  }

  function unloadPage(pageId) {
    const page = state.pages.get(pageId);
    if (!page) return;
    if (page.shown) hidePage(pageId);
    callPageHook(page, "onUnload");
    page.alive = false;
    forEachComponent(page, (inst) => detachInstance(inst));
    state.pages.delete(pageId);
    for (const fn of unloadHooks) {
      try {
        fn(pageId);
      } catch (error) {
        state.report(error, "");
      }
    }
  }

  function applied(pageId, seq) {
    const page = state.pages.get(pageId);
    if (!page) return;
    if (page.readyPending) {
      page.readyPending = false;
      // Children before parents, as WeChat fires ready.
      const comps = [];
      forEachComponent(page, (inst) => comps.push(inst));
      comps.sort((a, b) => b.depth - a.depth);
      for (const inst of comps) callLifetime(inst, "ready");
      if (page.instance.isComponentPage) callLifetime(page.instance, "ready");
      callPageHook(page, "onReady");
      state.onPageReady && state.onPageReady(page);
    }
    for (const [s, callbacks] of page.callbacks) {
      if (s > seq) continue;
      page.callbacks.delete(s);
      for (const cb of callbacks) guard(page.instance, cb);
    }
  }

  // ---- App / Page / Component / Behavior ------------------------------------------------------

  function App(options) {
    if (state.app) {
      console.warn("App() was called twice; the second call is ignored");
      return;
    }
    const app = {};
    for (const [name, value] of Object.entries(options || {})) app[name] = value;
    if (!app.globalData) app.globalData = {};
    state.app = app;
  }

  function getApp() {
    return state.app;
  }

  function Page(options) {
    const current = state.defining;
    if (!current) throw new Error("Page() may only be called in a page's own module");
    current.found = flatten(options || {}, current.path, "page");
    current.found.raw = options || {};
  }

  function Component(options) {
    const current = state.defining;
    if (!current) throw new Error("Component() may only be called in a component's or page's own module");
    const def = flatten(options || {}, current.path, current.kind === "page" ? "component-page" : "component");
    if (current.kind === "page") {
      // Page hooks of a Component-page live in `methods`.
      def.raw = {};
    }
    current.found = def;
  }

  function Behavior(options) {
    return Object.freeze({ __behavior: options || {} });
  }

  function getCurrentPages() {
    return state.stack.map((id) => state.pages.get(id)).filter(Boolean).map((p) => p.public);
  }

  // ---- warm-up --------------------------------------------------------------------------------

  // A spare logic layer runs one small page through the whole render path (properties,
  // observers, loops, conditions, templates, slots, events, setData) before any app is known, so
  // the first real launch does not pay for compiling this code. Everything it touches is put
  // back; nothing is posted.
  function warmUp() {
    const saved = { manifest: state.manifest, post: state.post, app: state.app, stack: state.stack };
    const cardPath = "__warmup/card";
    const pageRoute = "__warmup/page";
    const cardView = {
      file: "__warmup/card.wxml",
      root: [
        { k: "el", tag: "view", line: 1, attrs: { class: "card {{on ? 'on' : ''}}" }, events: [["tap", "bind", "flip"]], children: [
          { k: "text", v: ["cat", [["id", "title"], " ", ["mem", ["id", "item"], ["lit", "n"]]]] },
          { k: "slot", line: 1 },
        ] },
      ],
      templates: {}, templateScopes: {}, wxs: {},
    };
    const pageView = {
      file: "__warmup/page.wxml",
      root: [
        { k: "for", line: 1, list: ["x", ["id", "list"]], item: "item", index: "index", key: "n", children: [
          { k: "if", line: 1, branches: [
            [["x", ["bin", "%", ["id", "index"], ["lit", 2]]], [
              { k: "el", tag: "card", line: 1, attrs: { title: ["x", ["id", "title"]], item: ["x", ["id", "item"]] }, data: { "data-n": ["x", ["mem", ["id", "item"], ["lit", "n"]]] }, children: [
                { k: "el", tag: "text", line: 1, attrs: { class: "t" }, children: ["slot"] },
              ] },
            ]],
            [null, [{ k: "el", tag: "image", line: 1, attrs: { src: "/a.png", mode: "aspectFill", style: "width: {{index}}px" }, children: [] }]],
          ] },
        ] },
      ],
      templates: {}, templateScopes: {}, wxs: {},
    };
    try {
      state.post = () => {};
      state.stack = [];
      state.manifest = {
        app: { window: {} },
        assets: {},
        pages: { [pageRoute]: { package: "__APP__", config: {}, view: "__warmup/page.json", components: { card: cardPath } } },
        components: { [cardPath]: { package: "__APP__", config: {}, view: "__warmup/card.json", styleScope: "warmup-card", styleIsolation: "isolated", components: {}, externalClasses: [] } },
        packages: {},
      };
      state.views.set("__warmup/page.json", pageView);
      state.views.set("__warmup/card.json", cardView);
      const card = flatten({
        properties: { title: String, item: { type: Object, value: null, observer() {} } },
        data: { on: false },
        observers: { "item.n": () => {} },
        methods: { flip() { this.setData({ on: !this.data.on }); } },
        lifetimes: { attached() {} },
      }, cardPath, "component");
      state.definitions.set(cardPath, card);
      state.definitions.set(pageRoute, flatten({ data: { list: [], title: "w" } }, pageRoute, "page"));
      const page = createPage(-1, pageRoute, {}, "appLaunch");
      const list = [];
      for (let i = 0; i < 24; i += 1) list.push({ n: i });
      for (let round = 0; round < 3; round += 1) {
        doSetData(page.instance, { list, title: `w${round}` });
        doSetData(page.instance, { "list[3].n": 100 + round });
        flushPage(page);
      }
      applied(-1, page.seq);
      const host = Array.from(page.nodes.values()).find((v) => v.comp);
      if (host) dispatch(page, host.comp.children[0], "tap", { detail: {}, timeStamp: 0 }, { bubbles: true, composed: true, capture: true });
      flushPage(page);
      unloadPage(-1);
    } catch (error) {
      // A warm-up that fails costs only speed (the real launch reports real errors); the error
      // is kept for the tests.
      warmUp.error = error;
    } finally {
      state.pages.delete(-1);
      state.definitions.delete(cardPath);
      state.definitions.delete(pageRoute);
      state.views.delete("__warmup/page.json");
      state.views.delete("__warmup/card.json");
      state.manifest = saved.manifest;
      state.post = saved.post;
      state.app = saved.app;
      state.stack = saved.stack;
      flushQueue.clear();
    }
  }

  self.MiniappFramework = {
    warmUp,
    state,
    App,
    Page,
    Component,
    Behavior,
    getApp,
    getCurrentPages,
    createPage,
    showPage,
    hidePage,
    unloadPage,
    applied,
    handleViewEvent,
    callPageHook,
    pageLifetime,
    flushAll,
    parsePath,
    toView,
    fromView,
    onPageUnload,
    viewHandlers,
    nodeFactories,
    contextFactories,
    instanceOf,
    resolveAsset,
    assetAttrs,
    pageOf,
    matchSelector,
    scheduleFlush,
  };
})();
