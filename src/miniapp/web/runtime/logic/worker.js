// The logic layer's worker: the bridge to the host, the module system the bundle's logic file
// uses (`__miniappDefine`, `require`), boot and the page lifecycle messages (docs/runtime.md).
// It runs in a dedicated worker started by the sandboxed logic frame: no DOM, an opaque origin,
// and a Content-Security-Policy that forbids every connection, so app code reaches the world only
// through `wx`, i.e. through the host.
(function () {
  "use strict";
  const F = self.MiniappFramework;
  const W = self.MiniappWx;
  const state = F.state;
  let port = null;
  const startedAt = Date.now();
  state.startedAt = startedAt;

  // ---- messages -------------------------------------------------------------------------------

  const isInt = (v) => Number.isInteger(v) && v >= 0;
  const isStr = (v) => typeof v === "string";
  const isObj = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
  const isCode = (v) => isObj(v) && isStr(v.file) && isStr(v.source);
  const OPEN_TYPES = new Set(["appLaunch", "navigateTo", "redirectTo", "navigateBack", "switchTab", "reLaunch", "autoRelaunch"]);

  // Host → logic schema (docs/runtime.md). A message failing it is dropped and reported.
  const SCHEMA = {
    boot: (m) => isStr(m.appid) && isStr(m.origin) && isObj(m.manifest) && isCode(m.logic) && (m.wxs === null || isCode(m.wxs)) && isObj(m.launch) && isObj(m.system),
    start: (m) => isObj(m.storage),
    package: (m) => isStr(m.name) && isCode(m.logic) && (m.wxs === null || isCode(m.wxs)),
    page: (m) => isStr(m.op) && isInt(m.page) && (m.op !== "create" || (isStr(m.route) && isObj(m.query) && OPEN_TYPES.has(m.openType) && isObj(m.views))),
    app: (m) => ["show", "hide", "pageNotFound"].includes(m.op) && (m.options === undefined || isObj(m.options)),
    event: (m) => isInt(m.page) && isInt(m.id) && isStr(m.type),
    applied: (m) => isInt(m.page) && isInt(m.seq),
    pageEvent: (m) => isInt(m.page) && isStr(m.name),
    reply: (m) => isInt(m.id) && typeof m.ok === "boolean",
    stack: (m) => Array.isArray(m.pages) && m.pages.every(isInt),
    inspect: (m) => isInt(m.id) && isInt(m.page),
    fromView: (m) => isInt(m.page) && isObj(m.msg) && isStr(m.msg.k),
    hostEvent: (m) => isStr(m.name) && (m.payload === undefined || isObj(m.payload)),
  };

  function post(message, transfer) {
    if (port) port.postMessage(message, transfer || []);
  }
  state.post = post;
  state.onPageReady = (page) => post({ t: "pageReady", page: page.id });
  W.setPost(post);

  function onMessage(event) {
    const m = event.data;
    if (!isObj(m) || !isStr(m.t) || !Object.prototype.hasOwnProperty.call(SCHEMA, m.t) || !SCHEMA[m.t](m)) {
      post({ t: "log", level: "warn", args: ["bridge: rejected message"] });
      return;
    }
    // Until app.js has run (`start`), everything but the boot sequence and replies waits.
    if (!started && m.t !== "boot" && m.t !== "start" && m.t !== "reply") {
      waiting.push(m);
      return;
    }
    handle(m);
  }

  function handle(m) {
    try {
      HANDLERS[m.t](m);
    } catch (error) {
      report(error, "", "script");
    }
  }

  let started = false;
  const waiting = [];

  const HANDLERS = {
    boot,
    start,
    package: (m) => loadPackage(m.logic, m.wxs),
    page: (m) => {
      if (m.op === "create") {
        for (const [file, view] of Object.entries(m.views)) state.views.set(file, view);
        W.beforePageCreate(m);
        F.createPage(m.page, m.route, m.query, m.openType);
      } else if (m.op === "show") F.showPage(m.page);
      else if (m.op === "hide") F.hidePage(m.page);
      else if (m.op === "unload") F.unloadPage(m.page);
    },
    stack: (m) => {
      state.stack = m.pages.slice();
    },
    app: (m) => {
      if (m.op === "show") W.appShow(m.options || {});
      else if (m.op === "hide") W.appHide();
      else W.pageNotFound(m.options || {});
    },
    event: (m) => F.handleViewEvent(m),
    applied: (m) => F.applied(m.page, m.seq),
    pageEvent: (m) => W.pageEvent(m.page, m.name, m.payload),
    reply: (m) => W.reply(m),
    fromView: (m) => F.fromView(m.page, m.msg),
    hostEvent: (m) => W.hostEvent(m.name, m.payload || {}),
    // The simulator's data panel: a copy of a page's data and its components' data.
    inspect: (m) => {
      const page = state.pages.get(m.page);
      let data = null;
      if (page) {
        data = { page: page.instance.data, components: [] };
        for (const inst of page.instances) {
          if (inst.isComponent && inst.attached) data.components.push({ is: inst.def.path, id: inst.host.hostId || "", data: inst.data });
        }
      }
      post({ t: "inspected", id: m.id, data: JSON.parse(JSON.stringify(data)) });
    },
  };

  // ---- modules --------------------------------------------------------------------------------

  const modules = new Map(); // path → {fn, module, loading}
  const requireTable = Object.create(null);
  const wxsModules = new Map();
  const wxsRequireTable = Object.create(null);
  // For error positions: per logic-file URL, the first line of each module, in order.
  const moduleLines = new Map();

  // Bundle files run from blob URLs (see loadCode); a frame of one looks like
  // "blob:null/<uuid>:12:5".
  const FRAME = /(blob:[^\s)]+?):(\d+):(\d+)/;
  const bundleBlobs = new Set();

  function callerPosition(stack) {
    const lines = String(stack || "").split("\n");
    for (const line of lines) {
      const m = FRAME.exec(line);
      if (m && bundleBlobs.has(m[1])) return { url: m[1], line: Number(m[2]), column: Number(m[3]) };
    }
    return null;
  }

  function recordModuleLine(path) {
    const where = callerPosition(new Error().stack);
    if (!where) return;
    if (!moduleLines.has(where.url)) moduleLines.set(where.url, []);
    moduleLines.get(where.url).push([where.line + 1, path]);
  }

  self.__miniappDefine = function (path, fn) {
    if (typeof path !== "string" || typeof fn !== "function") return;
    if (!modules.has(path)) modules.set(path, { fn, module: null, loading: false });
    recordModuleLine(path);
  };
  self.__miniappRequires = function (table) {
    Object.assign(requireTable, table);
  };
  self.__miniappWxsDefine = function (id, fn) {
    if (!wxsModules.has(id)) wxsModules.set(id, { fn, module: null });
  };
  self.__miniappWxsRequires = function (table) {
    Object.assign(wxsRequireTable, table);
  };

  function load(path) {
    const entry = modules.get(path);
    if (!entry) throw new Error(`module "${path}" is not defined`);
    if (entry.module) return entry.module.exports;
    const module = { exports: {}, id: path, filename: path };
    entry.module = module;
    entry.fn.call(module.exports, module, module.exports, requireFrom(path));
    return module.exports;
  }

  function requireFrom(from) {
    const table = requireTable[from] || {};
    return function require(spec) {
      const target = Object.prototype.hasOwnProperty.call(table, spec) ? table[spec] : null;
      if (target === null) throw new Error(`module "${spec}" is not defined, require args is '${spec}' (from ${from})`);
      return load(target);
    };
  }

  function wxsRequire(id) {
    const entry = wxsModules.get(id);
    if (!entry) return undefined;
    if (entry.module) return entry.module.exports;
    const module = { exports: {} };
    entry.module = module;
    const table = wxsRequireTable[id] || {};
    entry.fn.call(module.exports, module, module.exports, (spec) => (table[spec] ? wxsRequire(table[spec]) : undefined));
    return module.exports;
  }

  state.loadModule = (path) => (modules.has(path) ? load(path) : undefined);
  state.wxsRequire = wxsRequire;

  // WXS's own globals.
  self.getRegExp = (pattern, flags) => new RegExp(pattern, flags);
  self.getDate = (...args) => new Date(...args);

  // The host hands over the bundle's code as text and it runs from a blob URL, which has this
  // worker's own (opaque) origin. Scripts imported from our server would be cross-origin here,
  // and the browser hides the errors of cross-origin scripts ("Script error.", no stack) and
  // drops their unhandled rejections: the app's onError and the simulator need both.
  function loadCode(code) {
    const url = URL.createObjectURL(new Blob([code.source], { type: "text/javascript" }));
    bundleBlobs.add(url);
    try {
      importScripts(url);
    } finally {
      URL.revokeObjectURL(url);
    }
  }

  function loadPackage(logic, wxs) {
    loadCode(logic);
    if (wxs) loadCode(wxs);
  }

  // ---- errors ---------------------------------------------------------------------------------

  // The module and line of the first bundle frame in a stack: the logic file holds every module,
  // each starting on the line after its __miniappDefine( line (docs/bundle-format.md).
  function position(stack) {
    const where = callerPosition(stack);
    if (!where) return { file: "", line: 0 };
    const starts = moduleLines.get(where.url) || [];
    let found = null;
    for (const [start, path] of starts) {
      if (start <= where.line) found = [start, path];
      else break;
    }
    if (!found) return { file: "", line: 0 };
    return { file: found[1], line: where.line - found[0] + 1, column: where.column };
  }

  function report(error, context, kind) {
    const message = error && error.message !== undefined ? String(error.message) : String(error);
    const stack = error && error.stack ? String(error.stack) : "";
    const where = position(stack);
    post({ t: "error", kind: kind || "script", message, stack, file: where.file, line: where.line });
    const app = state.app;
    if (kind !== "unhandledrejection" && app && typeof app.onError === "function") {
      try {
        app.onError.call(app, `${message}\n${stack}`);
      } catch (inner) {
        post({ t: "error", kind: "script", message: String(inner && inner.message), stack: String(inner && inner.stack), file: "", line: 0 });
      }
    }
    W.notifyError(`${message}\n${stack}`);
  }
  state.report = (error, context) => report(error, context, "script");

  self.addEventListener("error", (event) => {
    event.preventDefault();
    report(event.error || new Error(event.message), "", "script");
  });
  self.addEventListener("unhandledrejection", (event) => {
    event.preventDefault();
    const reason = event.reason;
    report(reason instanceof Error ? reason : new Error(String(reason && reason.errMsg ? reason.errMsg : reason)), "", "unhandledrejection");
    const app = state.app;
    if (app && typeof app.onUnhandledRejection === "function") {
      try {
        app.onUnhandledRejection.call(app, { reason, promise: event.promise });
      } catch (inner) {
        report(inner, "", "script");
      }
    }
  });

  // Console output also goes to the host (the simulator's console panel).
  for (const level of ["log", "info", "warn", "error", "debug"]) {
    const original = console[level].bind(console);
    console[level] = (...args) => {
      original(...args);
      post({ t: "log", level, args: args.map(format) });
    };
  }

  function format(value) {
    if (typeof value === "string") return value;
    if (value instanceof Error) return `${value.name}: ${value.message}`;
    try {
      const text = JSON.stringify(value);
      return text === undefined ? String(value) : text;
    } catch {
      return String(value);
    }
  }

  // ---- boot -----------------------------------------------------------------------------------

  let launchOptions = null;

  // boot: the bundle's code runs (defining modules; nothing of the app starts yet).
  function boot(m) {
    state.manifest = m.manifest;
    state.origin = m.origin;
    state.appid = m.appid;
    launchOptions = m.launch;
    W.configure(m);
    loadPackage(m.logic, m.wxs);
    post({ t: "booted" });
  }

  // start: with the storage copy in place, app.js runs (App onLaunch, onShow), then whatever
  // arrived meanwhile.
  function start(m) {
    if (started || launchOptions === null) return;
    W.setStorage(m.storage);
    // The user's files (files.js keeps them for the FileSystemManager's Sync methods).
    if (typeof W.loadFiles === "function") W.loadFiles(m.files && typeof m.files === "object" ? m.files : {});
    try {
      load("app.js");
    } catch (error) {
      report(error, "app.js", "script");
    }
    if (!state.app) F.App({});
    started = true;
    W.launch(launchOptions);
    for (const queued of waiting.splice(0)) handle(queued);
  }

  // Globals the mini program sees, as WeChat gives them.
  self.App = F.App;
  self.Page = F.Page;
  self.Component = F.Component;
  self.Behavior = F.Behavior;
  self.getApp = F.getApp;
  self.getCurrentPages = F.getCurrentPages;
  self.wx = W.wx;

  self.addEventListener("message", function connect(event) {
    const m = event.data;
    if (port || !m || m.t !== "connect" || m.v !== 1 || event.ports.length !== 1) return;
    self.removeEventListener("message", connect);
    port = event.ports[0];
    port.onmessage = onMessage;
    F.warmUp();
    post({ t: "ready" });
  });
})();
