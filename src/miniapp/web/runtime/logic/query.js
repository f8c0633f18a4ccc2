// wx APIs: layout queries — wx.createSelectorQuery (and this.createSelectorQuery()),
// wx.createIntersectionObserver (and this.createIntersectionObserver()), wx.pageScrollTo with a
// selector, and the scroll-view's `node` (ScrollViewContext). A classic script loaded by the worker
// after wx.js (see wx.js `extend`).
//
// Selectors are matched here, against the framework's component tree, with WeChat's scoping: a
// query sees the nodes written in its own page's or component's template (its shadow tree, and
// what it passes into other components' slots), never inside other components unless `>>>` says
// so. The view is then asked for the layout of the matched node ids over the page channel
// (docs/runtime.md "Logic ⇄ view"); ids, datasets, marks and custom components' properties come
// from the tree. WeChat's selector syntax: `#id`, `.a.b` (classes), `tag`, `a > b`, `a b`,
// `a >>> b` (across component boundaries) and comma lists.
(function () {
  "use strict";
  const W = self.MiniappWx;
  const F = self.MiniappFramework;
  const state = F.state;
  const hasOwn = Object.prototype.hasOwnProperty;

  // ---- selectors ------------------------------------------------------------------------------

  const parsed = new Map(); // selector text → alternatives (or null when invalid)
  const COMPOUND = /^([a-zA-Z][\w-]*|\*)?((?:[#.][\w-]+)*)$/;

  // "a > .b, #c" → [{compounds: [{tag, id, classes}], combs: [">"]}, …]; null when invalid.
  function parseSelector(text) {
    if (parsed.has(text)) return parsed.get(text);
    let result = [];
    for (const alternative of text.split(",")) {
      const tokens = alternative.trim().split(/(\s*>>>\s*|\s*>\s*|\s+)/);
      const compounds = [];
      const combs = [];
      for (let i = 0; i < tokens.length; i += 1) {
        if (i % 2 === 1) {
          const c = tokens[i].trim();
          combs.push(c === "" ? " " : c);
          continue;
        }
        const m = COMPOUND.exec(tokens[i]);
        if (tokens[i] === "" || m === null) {
          result = null;
          break;
        }
        const compound = { tag: m[1] && m[1] !== "*" ? m[1] : null, id: null, classes: [] };
        for (const part of m[2].match(/[#.][\w-]+/g) || []) {
          if (part[0] === "#") compound.id = part.slice(1);
          else compound.classes.push(part.slice(1));
        }
        compounds.push(compound);
      }
      if (result === null) break;
      result.push({ compounds, combs, deep: combs.includes(">>>") });
    }
    if (parsed.size > 500) parsed.clear();
    parsed.set(text, result);
    return result;
  }

  function idOf(v) {
    if (v.comp) return v.hostId || "";
    const id = v.attrs ? v.attrs.id : undefined;
    return id === undefined || id === null ? "" : String(id);
  }

  function hasClass(v, name) {
    if (v.comp) return (v.hostClass || []).includes(name);
    const value = v.attrs ? v.attrs.class : undefined;
    if (value === undefined || value === null || value === "") return false;
    // Inside a component the framework has prefixed the component's own class tokens.
    const scoped = v.owner && v.owner.isComponent && v.owner.def.styleScope ? `${v.owner.def.styleScope}--${name}` : null;
    for (const token of String(value).split(/\s+/)) if (token === name || token === scoped) return true;
    return false;
  }

  function matchCompound(v, c) {
    if (c.tag !== null && v.irTag !== c.tag) return false;
    if (c.id !== null && idOf(v) !== c.id) return false;
    for (const name of c.classes) if (!hasClass(v, name)) return false;
    return true;
  }

  // The parent of `v` in its own template (slot content's parent is the component it was written
  // in); null at the top of that template.
  function treeParent(v) {
    const owner = v.owner;
    const boundary = owner && owner.isComponent ? owner.host : null;
    let p = v.parent;
    while (p && p.id !== 0 && p !== boundary) {
      if (p.owner === owner && p.tag !== "wx-slot") return p;
      p = p.tag === "wx-slot" && p.owner && p.owner.host ? p.owner.host : p.parent;
    }
    return null;
  }

  // Across component boundaries: the top of a component's template continues at its host.
  function composedParent(v) {
    const p = treeParent(v);
    if (p !== null) return p;
    return v.owner && v.owner.isComponent ? v.owner.host : null;
  }

  function matchAt(v, alt, i, scope) {
    if (!matchCompound(v, alt.compounds[i])) return false;
    if (i === 0) return v.owner === scope;
    const comb = alt.combs[i - 1];
    if (comb === ">") {
      const p = treeParent(v);
      return p !== null && matchAt(p, alt, i - 1, scope);
    }
    const up = comb === ">>>" ? composedParent : treeParent;
    for (let p = up(v); p !== null; p = up(p)) if (matchAt(p, alt, i - 1, scope)) return true;
    return false;
  }

  function kids(v) {
    if (v.tag === "wx-slot") {
      const host = v.owner && v.owner.host;
      const content = host && host.slotContent ? host.slotContent.get(v.slotName) : null;
      return content ? content.filter((c) => c.parent === v) : [];
    }
    return v.children || [];
  }

  // The element nodes `selector` matches from `scope` (a page's or component's instance), in
  // document order.
  function selectNodes(scope, selector) {
    const alts = typeof selector === "string" ? parseSelector(selector.trim()) : null;
    if (alts === null || alts.length === 0 || !scope) return [];
    const page = scope.page;
    if (!page || !page.alive) return [];
    const deep = alts.some((a) => a.deep);
    const out = [];
    const walk = (list) => {
      for (const v of list) {
        if (v.type !== 1) continue;
        if (v.tag !== "wx-slot" && page.nodes.get(v.id) === v && (deep || v.owner === scope)) {
          if (alts.some((alt) => matchAt(v, alt, alt.compounds.length - 1, scope))) out.push(v);
        }
        walk(kids(v));
      }
    };
    walk(scope.children || []);
    return out;
  }

  function currentPageInstance() {
    const stack = state.stack;
    for (let i = stack.length - 1; i >= 0; i -= 1) {
      const page = state.pages.get(stack[i]);
      if (page && page.alive) return page.instance;
    }
    return null;
  }

  function scopeOf(component) {
    const inst = F.instanceOf(component);
    return inst || currentPageInstance();
  }

  function marksOf(v) {
    const chain = [];
    for (let n = v; n && n.id !== 0; n = n.parent) chain.push(n);
    const out = {};
    for (let i = chain.length - 1; i >= 0; i -= 1) if (chain[i].marks) Object.assign(out, chain[i].marks);
    return out;
  }

  const copy = (value) => (value === undefined ? undefined : JSON.parse(JSON.stringify(value)));

  // ---- SelectorQuery --------------------------------------------------------------------------

  let nextQuery = 1;
  const pendingQueries = new Map(); // id → {page, finish}

  function normalizeFields(f) {
    const o = f && typeof f === "object" ? f : {};
    const names = (list) => (Array.isArray(list) ? list.filter((n) => typeof n === "string") : null);
    return {
      id: !!o.id,
      dataset: !!o.dataset,
      mark: !!o.mark,
      rect: !!o.rect,
      size: !!o.size,
      scrollOffset: !!o.scrollOffset,
      properties: names(o.properties),
      computedStyle: names(o.computedStyle),
      node: !!o.node,
      context: !!o.context,
    };
  }

  // What the view is asked for (the rest is answered here).
  function viewFields(f) {
    const out = {};
    for (const key of ["rect", "size", "scrollOffset", "node", "context"]) if (f[key]) out[key] = true;
    if (f.properties) out.properties = f.properties;
    if (f.computedStyle) out.computedStyle = f.computedStyle;
    return out;
  }

  function buildNode(page, v, f, d) {
    const out = {};
    if (f.id) out.id = idOf(v);
    if (f.dataset) out.dataset = copy(v.dataset || {});
    if (f.mark) out.mark = copy(marksOf(v));
    for (const key of ["left", "right", "top", "bottom", "width", "height", "scrollLeft", "scrollTop", "scrollWidth", "scrollHeight"]) {
      if (hasOwn.call(d, key)) out[key] = d[key];
    }
    if (f.properties) {
      if (v.comp) {
        for (const name of f.properties) {
          const key = hasOwn.call(v.comp.data, name) ? name : name.replace(/-([a-z])/g, (_, c) => c.toUpperCase());
          if (hasOwn.call(v.comp.data, key)) out[name] = copy(v.comp.data[key]);
        }
      } else if (d.properties) Object.assign(out, d.properties);
    }
    if (f.computedStyle && d.computedStyle) Object.assign(out, d.computedStyle);
    const info = hasOwn.call(d, "nodeInfo") ? d.nodeInfo : null;
    if (f.node) {
      const make = hasOwn.call(F.nodeFactories, v.irTag) ? F.nodeFactories[v.irTag] : null;
      out.node = make ? make(page.id, v.id, info) : null;
    }
    if (f.context) {
      const make = hasOwn.call(F.contextFactories, v.irTag) ? F.contextFactories[v.irTag] : null;
      out.context = make ? make(page.id, v.id, info) : null;
    }
    return out;
  }

  function buildViewport(f, d) {
    const out = {};
    if (f.id) out.id = "";
    if (f.dataset) out.dataset = {};
    if (f.mark) out.mark = {};
    for (const key of ["left", "right", "top", "bottom", "width", "height", "scrollLeft", "scrollTop", "scrollWidth", "scrollHeight"]) {
      if (hasOwn.call(d, key)) out[key] = d[key];
    }
    return out;
  }

  class NodesRef {
    constructor(query, kind, selector) {
      this._query = query;
      this._kind = kind;
      this._selector = selector;
    }
    boundingClientRect(callback) {
      return this._query._add(this, { id: true, dataset: true, rect: true, size: true }, callback);
    }
    scrollOffset(callback) {
      return this._query._add(this, { id: true, dataset: true, scrollOffset: true }, callback);
    }
    fields(fields, callback) {
      return this._query._add(this, fields, callback);
    }
    node(callback) {
      return this._query._add(this, { node: true }, callback);
    }
    context(callback) {
      return this._query._add(this, { context: true }, callback);
    }
  }

  class SelectorQuery {
    constructor() {
      this._scope = null;
      this._requests = [];
    }
    in(component) {
      const inst = F.instanceOf(component);
      if (inst) this._scope = inst;
      return this;
    }
    select(selector) {
      return new NodesRef(this, "one", String(selector));
    }
    selectAll(selector) {
      return new NodesRef(this, "all", String(selector));
    }
    selectViewport() {
      return new NodesRef(this, "viewport", "");
    }
    _add(ref, fields, callback) {
      this._requests.push({ kind: ref._kind, selector: ref._selector, fields: normalizeFields(fields), callback });
      return this;
    }
    exec(callback) {
      const requests = this._requests;
      this._requests = [];
      runQuery(this._scope || currentPageInstance(), requests, (values) => W.safeCall(callback, values));
      return this;
    }
  }

  // Answers `requests` ({kind, selector, fields, callback}) from `scope`: each request's own
  // callback, then `done(values)`. A page that is gone answers null (selectAll: []).
  function runQuery(scope, requests, done) {
    F.flushAll();
    const page = scope ? scope.page : null;
    const nodes = requests.map((r) => {
      if (r.kind === "viewport" || !scope) return [];
      const found = selectNodes(scope, r.selector);
      return r.kind === "one" ? found.slice(0, 1) : found;
    });
    const finish = (results) => {
      const values = requests.map((r, i) => {
        let value;
        const res = results ? results[i] : null;
        if (r.kind === "viewport") value = res && typeof res === "object" && !Array.isArray(res) ? buildViewport(r.fields, res) : null;
        else {
          const list = [];
          nodes[i].forEach((v, j) => {
            const d = Array.isArray(res) ? res[j] : null;
            if (d && typeof d === "object") list.push(buildNode(page, v, r.fields, d));
          });
          value = r.kind === "one" ? list[0] || null : list;
        }
        W.safeCall(r.callback, value);
        return value;
      });
      done(values);
    };
    const id = nextQuery;
    nextQuery += 1;
    const reqs = requests.map((r, i) => (r.kind === "viewport" ? { viewport: true, f: viewFields(r.fields) } : { ids: nodes[i].map((v) => v.id), f: viewFields(r.fields) }));
    if (!page || !page.alive) {
      Promise.resolve().then(() => finish(null));
      return;
    }
    pendingQueries.set(id, { page: page.id, finish });
    if (!F.toView(page.id, { k: "query", id, reqs })) {
      pendingQueries.delete(id);
      Promise.resolve().then(() => finish(null));
    }
  }

  F.viewHandlers.queryResult = (pageId, msg) => {
    const entry = pendingQueries.get(msg.id);
    if (!entry || entry.page !== pageId) return;
    pendingQueries.delete(msg.id);
    entry.finish(Array.isArray(msg.results) ? msg.results : null);
  };

  // ---- IntersectionObserver -------------------------------------------------------------------

  let nextObserver = 1;
  const observing = new Map(); // view observer id → {page, scope, callback, observer}

  class IntersectionObserver {
    constructor(scope, options) {
      const o = options && typeof options === "object" ? options : {};
      this._scope = scope;
      this._thresholds = Array.isArray(o.thresholds) ? o.thresholds.map(Number).filter((t) => Number.isFinite(t)) : [0];
      this._initialRatio = Number.isFinite(Number(o.initialRatio)) ? Number(o.initialRatio) : 0;
      this._observeAll = !!o.observeAll;
      this._relative = null; // null: the viewport; a string: relativeTo's selector
      this._margins = {};
      this._ids = [];
    }
    relativeTo(selector, margins) {
      this._relative = String(selector);
      this._margins = margins && typeof margins === "object" ? margins : {};
      return this;
    }
    relativeToViewport(margins) {
      this._relative = null;
      this._margins = margins && typeof margins === "object" ? margins : {};
      return this;
    }
    observe(targetSelector, callback) {
      F.flushAll();
      const scope = this._scope;
      if (!scope || !scope.page || !scope.page.alive) return;
      const found = selectNodes(scope, String(targetSelector));
      const targets = this._observeAll ? found : found.slice(0, 1);
      if (targets.length === 0) {
        console.warn(`IntersectionObserver: node "${targetSelector}" is not found; the observer will not trigger`);
        return;
      }
      let root = null;
      if (this._relative !== null) {
        const rel = selectNodes(scope, this._relative)[0];
        if (!rel) {
          console.warn(`IntersectionObserver: relative node "${this._relative}" is not found; the observer will not trigger`);
          return;
        }
        root = rel.id;
      }
      const margins = {};
      for (const k of ["left", "right", "top", "bottom"]) {
        const n = Number(this._margins[k]);
        if (Number.isFinite(n)) margins[k] = n;
      }
      const id = nextObserver;
      nextObserver += 1;
      observing.set(id, { page: scope.page.id, scope, callback, observer: this });
      this._ids.push(id);
      F.toView(scope.page.id, {
        k: "ioObserve",
        id,
        targets: targets.map((v) => v.id),
        root,
        margins,
        thresholds: this._thresholds,
        initialRatio: this._initialRatio,
      });
    }
    disconnect() {
      for (const id of this._ids.splice(0)) stopObserving(id);
    }
  }

  function stopObserving(id) {
    const entry = observing.get(id);
    if (!entry) return;
    observing.delete(id);
    F.toView(entry.page, { k: "ioDisconnect", id });
  }

  F.viewHandlers.ioEntry = (pageId, msg) => {
    const entry = observing.get(msg.id);
    if (!entry || entry.page !== pageId) return;
    const scope = entry.scope;
    // Observers die with their component.
    if (scope.isComponent && !scope.attached) {
      entry.observer.disconnect();
      return;
    }
    const v = scope.page.nodes.get(msg.node);
    if (!v) return;
    const rect = (r, size) => {
      const o = r && typeof r === "object" ? r : {};
      const num = (x) => (typeof x === "number" && Number.isFinite(x) ? x : 0);
      const out = { left: num(o.left), right: num(o.right), top: num(o.top), bottom: num(o.bottom) };
      if (size) Object.assign(out, { width: num(o.width), height: num(o.height) });
      return out;
    };
    const res = {
      id: idOf(v),
      dataset: copy(v.dataset || {}),
      time: typeof msg.time === "number" ? msg.time : Date.now(),
      intersectionRatio: typeof msg.intersectionRatio === "number" ? msg.intersectionRatio : 0,
      intersectionRect: rect(msg.intersectionRect, true),
      boundingClientRect: rect(msg.boundingClientRect, true),
      relativeRect: rect(msg.relativeRect, false),
    };
    if (typeof entry.callback === "function") {
      try {
        entry.callback.call(scope.public, res);
      } catch (error) {
        state.report(error, scope.def ? scope.def.path : "");
      }
    }
  };

  // Queries and observers of a page end with it: pending queries answer null, never hang.
  F.onPageUnload((pageId) => {
    for (const [id, entry] of Array.from(pendingQueries)) {
      if (entry.page !== pageId) continue;
      pendingQueries.delete(id);
      entry.finish(null);
    }
    for (const [id, entry] of Array.from(observing)) if (entry.page === pageId) observing.delete(id);
  });

  // ---- scroll-view's node: ScrollViewContext ------------------------------------------------------

  class ScrollViewContext {
    constructor(pageId, nodeId, info) {
      Object.defineProperty(this, "_page", { value: pageId });
      Object.defineProperty(this, "_node", { value: nodeId });
      this.scrollEnabled = true;
      this.bounces = true;
      this.showScrollbar = true;
      this.pagingEnabled = false;
      this.fastDeceleration = false;
      this.decelerationDisabled = false;
      void info;
    }
    scrollTo(options) {
      const o = options && typeof options === "object" ? options : {};
      const num = (x) => (x === undefined || x === null || !Number.isFinite(Number(x)) ? undefined : Number(x));
      F.toView(this._page, { k: "scrollView", id: this._node, op: "scrollTo", top: num(o.top), left: num(o.left), animated: !!o.animated });
    }
    scrollIntoView(selector, options) {
      const page = state.pages.get(this._page);
      const self_ = page && page.nodes.get(this._node);
      if (!self_) return;
      F.flushAll();
      // The selector is resolved in the template the scroll-view was written in.
      const target = selectNodes(self_.owner || page.instance, String(selector))[0];
      if (!target) return;
      const o = options && typeof options === "object" ? options : {};
      const offset = Number.isFinite(Number(o.offset)) ? Number(o.offset) : 0;
      F.toView(this._page, { k: "scrollView", id: this._node, op: "scrollIntoView", target: target.id, offset, animated: !!o.animated });
    }
  }
  for (const name of ["triggerRefresh", "closeRefresh", "triggerTwoLevel", "closeTwoLevel", "scrollBy"]) {
    ScrollViewContext.prototype[name] = function () {
      throw new Error(`ScrollViewContext.${name}:fail not supported`);
    };
  }

  if (!hasOwn.call(F.nodeFactories, "scroll-view")) {
    F.nodeFactories["scroll-view"] = (pageId, nodeId, info) => new ScrollViewContext(pageId, nodeId, info);
  }

  // ---- the APIs ---------------------------------------------------------------------------------

  function pageScrollTo(o) {
    const duration = o.duration === undefined ? 300 : Math.max(0, Number(o.duration) || 0);
    if (o.scrollTop !== undefined && o.scrollTop !== null) {
      const top = Number(o.scrollTop);
      if (!Number.isFinite(top)) throw { errMsg: "pageScrollTo:fail parameter error: parameter.scrollTop should be Number" };
      return W.callHost("pageScrollTo", { scrollTop: top, duration });
    }
    if (typeof o.selector === "string" && o.selector !== "") {
      const offsetTop = Number.isFinite(Number(o.offsetTop)) ? Number(o.offsetTop) : 0;
      return new Promise((resolve, reject) => {
        const scope = currentPageInstance();
        const requests = [
          { kind: "one", selector: o.selector, fields: normalizeFields({ rect: true }) },
          { kind: "viewport", selector: "", fields: normalizeFields({ scrollOffset: true }) },
        ];
        runQuery(scope, requests, ([rect, viewport]) => {
          if (!rect || !viewport) {
            reject({ errMsg: `pageScrollTo:fail node "${o.selector}" not found` });
            return;
          }
          W.callHost("pageScrollTo", { scrollTop: rect.top + viewport.scrollTop + offsetTop, duration }).then(resolve, reject);
        });
      });
    }
    throw { errMsg: 'pageScrollTo:fail "scrollTop" or "selector" needs to be defined' };
  }

  W.extend({
    createSelectorQuery: () => new SelectorQuery(),
    createIntersectionObserver(component, options) {
      let opts = options;
      if (!F.instanceOf(component) && options === undefined && component && typeof component === "object") opts = component;
      return new IntersectionObserver(scopeOf(component), opts);
    },
    pageScrollTo: W.api("pageScrollTo", pageScrollTo),
  });

  // For animation.js (this.animate / clearAnimation) and other families.
  W.selectNodes = (component, selector) => selectNodes(F.instanceOf(component), selector);
})();
