// The `wx` object of the logic layer. What can be answered here (storage from the synchronous
// copy, system info, launch options, nextTick, canIUse) is; everything else is a `call` to the
// host (docs/runtime.md), answered by a `reply`. Async APIs take success/fail/complete and return
// a Promise when given none, as WeChat's do; results carry `errMsg: "<api>:ok"` and failures
// `"<api>:fail <reason>"`. A classic script; defines `self.MiniappWx`.
(function () {
  "use strict";
  const F = self.MiniappFramework;
  const state = F.state;
  let post = () => {};
  let nextCall = 1;
  const pending = new Map();
  let boot = null;
  let launchOptions = null;
  let enterOptions = null;
  const listeners = { appShow: [], appHide: [], error: [], pageNotFound: [], themeChange: [] };
  const storage = new Map();
  let storageBytes = 0;
  const performanceEntries = [];
  let pendingChannel = null;
  const channels = new Map(); // page id → EventChannel

  const KEY_LIMIT = 1024 * 1024;
  const TOTAL_LIMIT = 10 * 1024 * 1024;
  const encoder = new TextEncoder();

  function callHost(api, args) {
    const id = nextCall;
    nextCall += 1;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject, api });
      post({ t: "call", id, api, args: args || {} });
    });
  }

  function reply(m) {
    const entry = pending.get(m.id);
    if (!entry) return;
    pending.delete(m.id);
    if (m.ok) entry.resolve(m.result || {});
    else entry.reject({ errMsg: typeof m.errMsg === "string" ? m.errMsg : `${entry.api}:fail` });
  }

  function safeCall(fn, arg) {
    if (typeof fn !== "function") return;
    try {
      fn(arg);
    } catch (error) {
      state.report(error, "");
    }
  }

  // Wraps an implementation (options → Promise<result> or result) in WeChat's calling styles.
  function api(name, impl) {
    return function (options) {
      const opts = options && typeof options === "object" ? options : {};
      const promise = new Promise((resolve) => resolve(impl(opts))).then(
        (result) => ({ errMsg: `${name}:ok`, ...(result || {}) }),
        (error) => {
          const errMsg = error && typeof error.errMsg === "string" ? error.errMsg : `${name}:fail ${error && error.message ? error.message : String(error)}`;
          throw { errMsg: errMsg.startsWith(`${name}:`) ? errMsg : `${name}:fail ${errMsg.replace(/^[^:]*:fail ?/, "")}` };
        },
      );
      if (opts.success || opts.fail || opts.complete) {
        promise.then(
          (result) => {
            safeCall(opts.success, result);
            safeCall(opts.complete, result);
          },
          (error) => {
            safeCall(opts.fail, error);
            safeCall(opts.complete, error);
          },
        );
        return undefined;
      }
      return promise;
    };
  }

  function hostApi(name, pick) {
    return api(name, (opts) => callHost(name, pick ? pick(opts) : jsonOnly(opts)));
  }

  // Options minus callbacks, as JSON (what crosses the bridge).
  function jsonOnly(opts) {
    const out = {};
    for (const [k, v] of Object.entries(opts)) {
      if (typeof v === "function" || v === undefined) continue;
      out[k] = v;
    }
    return JSON.parse(JSON.stringify(out));
  }

  function notSupported(name) {
    return api(name, () => {
      throw { errMsg: `${name}:fail not supported` };
    });
  }

  // ---- storage --------------------------------------------------------------------------------

  function sizeOf(key, value) {
    let text;
    try {
      text = JSON.stringify(value === undefined ? null : value);
    } catch {
      text = "";
    }
    return encoder.encode(String(key)).length + encoder.encode(text === undefined ? "" : text).length;
  }

  function checkKey(name, key) {
    if (typeof key !== "string" || key === "") throw { errMsg: `${name}:fail parameter error: parameter.key should be String instead of ${typeof key};` };
  }

  function storageSet(name, key, data) {
    checkKey(name, key);
    // Stored as structured-cloneable data; functions cannot be stored.
    const value = data === undefined ? null : JSON.parse(JSON.stringify(data === undefined ? null : data) ?? "null");
    const size = sizeOf(key, value);
    if (size > KEY_LIMIT) throw { errMsg: `${name}:fail exceed storage item max length` };
    const old = storage.has(key) ? sizeOf(key, storage.get(key)) : 0;
    if (storageBytes - old + size > TOTAL_LIMIT) throw { errMsg: `${name}:fail exceed storage max size 10MB` };
    storage.set(key, value);
    storageBytes += size - old;
    post({ t: "storage", op: "set", key, value });
  }

  function storageGet(name, key) {
    checkKey(name, key);
    if (!storage.has(key)) throw { errMsg: `${name}:fail data not found` };
    const value = storage.get(key);
    return value === null || typeof value !== "object" ? value : JSON.parse(JSON.stringify(value));
  }

  function storageRemove(key) {
    if (!storage.has(key)) return;
    storageBytes -= sizeOf(key, storage.get(key));
    storage.delete(key);
    post({ t: "storage", op: "remove", key });
  }

  function storageClear() {
    storage.clear();
    storageBytes = 0;
    post({ t: "storage", op: "clear" });
  }

  function storageInfo() {
    return { keys: Array.from(storage.keys()), currentSize: Math.ceil(storageBytes / 1024), limitSize: TOTAL_LIMIT / 1024 };
  }

  // Sync variants throw a plain Error whose message is the errMsg, as WeChat's do.
  function syncly(fn) {
    return (...args) => {
      try {
        return fn(...args);
      } catch (error) {
        throw new Error(error && error.errMsg ? error.errMsg : String(error));
      }
    };
  }

  // ---- event channels ------------------------------------------------------------------------

  class EventChannel {
    constructor(listeners) {
      this.listeners = new Map();
      this.peer = null;
      for (const [name, fn] of Object.entries(listeners || {})) if (typeof fn === "function") this.on(name, fn);
    }
    on(name, fn) {
      if (!this.listeners.has(name)) this.listeners.set(name, []);
      this.listeners.get(name).push({ fn, once: false });
    }
    once(name, fn) {
      if (!this.listeners.has(name)) this.listeners.set(name, []);
      this.listeners.get(name).push({ fn, once: true });
    }
    off(name, fn) {
      const list = this.listeners.get(name) || [];
      this.listeners.set(name, fn ? list.filter((l) => l.fn !== fn) : []);
    }
    emit(name, ...args) {
      const target = this.peer;
      if (!target) return;
      const list = target.listeners.get(name) || [];
      target.listeners.set(name, list.filter((l) => !l.once));
      for (const l of list) {
        try {
          l.fn(...args);
        } catch (error) {
          state.report(error, "");
        }
      }
    }
  }

  // ---- navigation -----------------------------------------------------------------------------

  function currentRoute() {
    const pages = F.getCurrentPages();
    return pages.length ? pages[pages.length - 1].route : "";
  }

  function navApi(name) {
    return api(name, (opts) => {
      const url = opts.url;
      if (typeof url !== "string" || url === "") throw { errMsg: `${name}:fail parameter error: parameter.url should be String` };
      const args = { url, from: opts.__from || currentRoute() };
      if (name === "navigateTo") {
        const opener = new EventChannel(opts.events);
        const opened = new EventChannel();
        opener.peer = opened;
        opened.peer = opener;
        pendingChannel = opened;
        return callHost(name, args).then(
          (res) => ({ ...res, eventChannel: opener }),
          (error) => {
            pendingChannel = null;
            throw error;
          },
        );
      }
      return callHost(name, args);
    });
  }

  // ---- APIs ------------------------------------------------------------------------------------

  const wx = {
    // interaction
    showToast: hostApi("showToast"),
    hideToast: hostApi("hideToast"),
    showLoading: hostApi("showLoading"),
    hideLoading: hostApi("hideLoading"),
    showModal: hostApi("showModal"),
    showActionSheet: hostApi("showActionSheet"),
    // navigation bar and page
    setNavigationBarTitle: hostApi("setNavigationBarTitle"),
    setNavigationBarColor: hostApi("setNavigationBarColor"),
    showNavigationBarLoading: hostApi("showNavigationBarLoading"),
    hideNavigationBarLoading: hostApi("hideNavigationBarLoading"),
    startPullDownRefresh: hostApi("startPullDownRefresh"),
    stopPullDownRefresh: hostApi("stopPullDownRefresh"),
    pageScrollTo: hostApi("pageScrollTo"),
    // tab bar
    setTabBarBadge: hostApi("setTabBarBadge"),
    removeTabBarBadge: hostApi("removeTabBarBadge"),
    showTabBarRedDot: hostApi("showTabBarRedDot"),
    hideTabBarRedDot: hostApi("hideTabBarRedDot"),
    setTabBarItem: hostApi("setTabBarItem"),
    setTabBarStyle: hostApi("setTabBarStyle"),
    showTabBar: hostApi("showTabBar"),
    hideTabBar: hostApi("hideTabBar"),
    // routing
    navigateTo: navApi("navigateTo"),
    redirectTo: navApi("redirectTo"),
    switchTab: navApi("switchTab"),
    reLaunch: navApi("reLaunch"),
    navigateBack: api("navigateBack", (opts) => callHost("navigateBack", { delta: Math.max(1, Math.floor(Number(opts.delta) || 1)) })),
    exitMiniProgram: hostApi("exitMiniProgram"),
    // network
    request(options) {
      const opts = options && typeof options === "object" ? options : {};
      let aborted = false;
      const run = api("request", (o) => {
        let data = o.data;
        const method = String(o.method || "GET").toUpperCase();
        const header = { ...(o.header || {}) };
        let url = String(o.url || "");
        if (data !== undefined && data !== null) {
          if (method === "GET" && typeof data === "object") {
            const query = Object.entries(data).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(typeof v === "object" ? JSON.stringify(v) : String(v))}`).join("&");
            if (query) url += (url.includes("?") ? "&" : "?") + query;
            data = undefined;
          } else if (typeof data === "object" && !(data instanceof ArrayBuffer)) {
            const type = Object.keys(header).find((k) => k.toLowerCase() === "content-type");
            if (type && /x-www-form-urlencoded/i.test(header[type])) {
              data = Object.entries(data).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`).join("&");
            } else {
              if (!type) header["content-type"] = "application/json";
              data = JSON.stringify(data);
            }
          } else if (data instanceof ArrayBuffer) {
            data = { base64: btoa(String.fromCharCode(...new Uint8Array(data))) };
          } else {
            data = String(data);
          }
        }
        return callHost("request", { url, method, header, data, timeout: o.timeout, responseType: o.responseType || "text" }).then((res) => {
          if (aborted) throw { errMsg: "request:fail abort" };
          let body = res.data;
          if (res.dataEncoding === "base64") {
            const bin = atob(body || "");
            const bytes = new Uint8Array(bin.length);
            for (let i = 0; i < bin.length; i += 1) bytes[i] = bin.charCodeAt(i);
            body = bytes.buffer;
          } else if ((o.dataType || "json") === "json" && typeof body === "string") {
            try {
              body = JSON.parse(body);
            } catch {
              /* not JSON: the text is kept, as WeChat does */
            }
          }
          return { data: body, statusCode: res.statusCode, header: res.header || {}, cookies: res.cookies || [] };
        });
      });
      const result = run(opts);
      const task = {
        abort() {
          aborted = true;
        },
        onHeadersReceived() {},
        offHeadersReceived() {},
        onChunkReceived() {},
        offChunkReceived() {},
      };
      if (result && typeof result.then === "function") {
        // Promise style: the promise, with abort() as WeChat's RequestTask has it.
        result.abort = task.abort;
        return result;
      }
      return task;
    },
    // storage
    setStorage: api("setStorage", (o) => storageSet("setStorage", o.key, o.data)),
    getStorage: api("getStorage", (o) => ({ data: storageGet("getStorage", o.key) })),
    removeStorage: api("removeStorage", (o) => {
      checkKey("removeStorage", o.key);
      storageRemove(o.key);
    }),
    clearStorage: api("clearStorage", () => storageClear()),
    getStorageInfo: api("getStorageInfo", () => storageInfo()),
    setStorageSync: syncly((key, data) => storageSet("setStorageSync", key, data)),
    getStorageSync: syncly((key) => {
      checkKey("getStorageSync", key);
      return storage.has(key) ? storageGet("getStorageSync", key) : "";
    }),
    removeStorageSync: syncly((key) => {
      checkKey("removeStorageSync", key);
      storageRemove(key);
    }),
    clearStorageSync: () => storageClear(),
    getStorageInfoSync: () => storageInfo(),
    // system
    getSystemInfoSync: () => ({ ...boot.system }),
    getSystemInfo: api("getSystemInfo", () => ({ ...boot.system })),
    getSystemInfoAsync: api("getSystemInfoAsync", () => ({ ...boot.system })),
    getWindowInfo: () => pick(boot.system, ["pixelRatio", "screenWidth", "screenHeight", "windowWidth", "windowHeight", "statusBarHeight", "safeArea", "screenTop"]),
    getDeviceInfo: () => pick(boot.system, ["brand", "model", "system", "platform", "benchmarkLevel", "abi", "cpuType", "memorySize"]),
    getAppBaseInfo: () => pick(boot.system, ["SDKVersion", "enableDebug", "host", "language", "version", "theme", "fontSizeSetting"]),
    getMenuButtonBoundingClientRect: () => ({ ...(boot.menuButton || {}) }),
    getAccountInfoSync: () => ({ miniProgram: { appId: boot.appid, envVersion: boot.accountInfo.envVersion || "release", version: boot.accountInfo.version || "" }, plugin: {} }),
    getLaunchOptionsSync: () => JSON.parse(JSON.stringify(launchOptions)),
    getEnterOptionsSync: () => JSON.parse(JSON.stringify(enterOptions)),
    getPerformance: () => performanceObject,
    nextTick: (fn) => {
      Promise.resolve().then(() => safeCall(fn));
    },
    canIUse: (schema) => canIUse(schema),
    // app events
    onAppShow: (fn) => listeners.appShow.push(fn),
    offAppShow: (fn) => remove(listeners.appShow, fn),
    onAppHide: (fn) => listeners.appHide.push(fn),
    offAppHide: (fn) => remove(listeners.appHide, fn),
    onError: (fn) => listeners.error.push(fn),
    offError: (fn) => remove(listeners.error, fn),
    onPageNotFound: (fn) => listeners.pageNotFound.push(fn),
    offPageNotFound: (fn) => remove(listeners.pageNotFound, fn),
    onThemeChange: (fn) => listeners.themeChange.push(fn),
    offThemeChange: (fn) => remove(listeners.themeChange, fn),
    // consent (authorize, getSetting, openSetting, getLocation, getUserProfile): consent.js
  };

  // WeChat APIs this runtime does not provide yet: they exist (feature detection sees them), fail
  // with "not supported" and canIUse says false, never a silent no-op.
  const NOT_YET = [
    "login", "checkSession", "authorize", "getUserProfile", "getUserInfo", "requestPayment",
    "previewImage",
    "getLocation", "openLocation", "scanCode", "makePhoneCall", "setClipboardData",
    "getClipboardData", "uploadFile", "downloadFile", "connectSocket", "getNetworkType",
    "vibrateShort", "vibrateLong", "showShareMenu", "hideShareMenu", "updateShareMenu",
    "navigateToMiniProgram", "navigateBackMiniProgram", "getFileSystemManager", "createSelectorQuery",
    "createIntersectionObserver", "createAnimation", "getUpdateManager", "setKeepScreenOn",
    "getScreenBrightness", "setScreenBrightness", "chooseAddress", "openDocument",
    "setBackgroundColor", "setBackgroundTextStyle",
  ];
  const notYet = new Set();
  // Adds or replaces `wx` APIs (the API families in query.js, canvas.js, files.js, …): whatever
  // is extended is supported, so canIUse says true for it.
  function extend(apis) {
    for (const [name, impl] of Object.entries(apis)) {
      wx[name] = impl;
      notYet.delete(name);
    }
  }

  // Pushes from the host (`hostEvent`: network status, theme, socket frames, …), by name.
  const hostEventHandlers = Object.create(null);
  function onHostEvent(name, fn) {
    hostEventHandlers[name] = fn;
  }
  function hostEvent(name, payload) {
    const handler = hostEventHandlers[name];
    if (handler) handler(payload);
  }

  for (const name of NOT_YET) {
    if (Object.prototype.hasOwnProperty.call(wx, name)) continue;
    notYet.add(name);
    wx[name] = name.startsWith("create") || name.startsWith("get") && name.endsWith("Manager")
      ? () => {
          throw new Error(`${name}:fail not supported`);
        }
      : notSupported(name);
  }

  function pick(source, keys) {
    const out = {};
    for (const k of keys) if (source[k] !== undefined) out[k] = source[k];
    return out;
  }

  function remove(list, fn) {
    const i = list.indexOf(fn);
    if (i >= 0) list.splice(i, 1);
  }

  // Components the view implements.
  const COMPONENTS = new Set(
    (
      "view text image button input navigator scroll-view swiper swiper-item icon block textarea " +
      "checkbox checkbox-group radio radio-group switch slider picker picker-view picker-view-column " +
      "form label progress rich-text video canvas movable-area movable-view cover-view cover-image " +
      "page-meta navigation-bar web-view map"
    ).split(" "),
  );

  function canIUse(schema) {
    if (typeof schema !== "string" || schema === "") return false;
    const parts = schema.split(".");
    const head = parts[0];
    if (COMPONENTS.has(head)) return true;
    if (notYet.has(head)) return false;
    if (!Object.prototype.hasOwnProperty.call(wx, head)) return false;
    // `api.success.field`-style paths: the families that describe their APIs answer (device.js).
    const detail = parts.length > 1 ? self.MiniappWx.canIUseDetail : null;
    return detail ? detail(parts) !== false : true;
  }

  const performanceObject = {
    now: () => performance.timeOrigin + performance.now(),
    getEntries: () => performanceEntries.slice(),
    getEntriesByName: (name, type) => performanceEntries.filter((e) => e.name === name && (!type || e.entryType === type)),
    getEntriesByType: (type) => performanceEntries.filter((e) => e.entryType === type),
    createObserver: (cb) => ({
      observe: () => {
        if (performanceEntries.length) safeCall(cb, { getEntries: () => performanceEntries.slice() });
      },
      disconnect: () => {},
    }),
    setBufferSize: () => {},
  };

  // ---- hooks called by the worker and the framework -----------------------------------------

  function setStorage(snapshot) {
    storage.clear();
    storageBytes = 0;
    for (const [key, value] of Object.entries(snapshot)) {
      storage.set(key, value);
      storageBytes += sizeOf(key, value);
    }
  }

  function configure(m) {
    boot = m;
    if (m.timing) {
      performanceEntries.push({ entryType: "navigation", name: "appLaunch", startTime: m.timing.tap, duration: 0, path: m.launch.path, navigationType: "appLaunch" });
    }
  }

  function launch(options) {
    launchOptions = { ...options };
    enterOptions = { ...options };
    callAppHook("onLaunch", { ...launchOptions });
    appShow(launchOptions, true);
  }

  // Runs App's hook `name` if it has one; its error is reported (App.onError) and stops nothing.
  function callAppHook(name, ...args) {
    const app = state.app;
    if (!app || typeof app[name] !== "function") return false;
    try {
      app[name].apply(app, args);
    } catch (error) {
      state.report(error, "app.js");
    }
    return true;
  }

  function appShow(options, first) {
    if (!first) enterOptions = { ...enterOptions, ...options };
    const opts = { ...enterOptions };
    callAppHook("onShow", opts);
    for (const fn of listeners.appShow.slice()) safeCall(fn, opts);
  }

  function appHide() {
    callAppHook("onHide");
    for (const fn of listeners.appHide.slice()) safeCall(fn);
  }

  function pageNotFound(options) {
    const res = { path: String(options.path || ""), query: options.query || {}, isEntryPage: Boolean(options.isEntryPage) };
    const handled = callAppHook("onPageNotFound", res) || listeners.pageNotFound.length > 0;
    for (const fn of listeners.pageNotFound.slice()) safeCall(fn, res);
    if (!handled) {
      // WeChat opens the home page when nothing handles a missing entry page.
      wx.reLaunch({ url: `/${state.manifest.app.entryPagePath}` }).catch(() => {});
    }
  }

  function notifyError(text) {
    for (const fn of listeners.error.slice()) {
      try {
        fn(text);
      } catch {
        /* an error handler's own error is not reported again */
      }
    }
  }

  function beforePageCreate(m) {
    if (m.openType === "navigateTo" && pendingChannel) {
      channels.set(m.page, pendingChannel);
      pendingChannel = null;
    }
  }

  function eventChannelFor(pageId) {
    if (!channels.has(pageId)) channels.set(pageId, new EventChannel());
    return channels.get(pageId);
  }

  function shareFrom(page, options) {
    const pub = page.public;
    let content = {};
    if (typeof pub.onShareAppMessage === "function") {
      try {
        content = pub.onShareAppMessage.call(pub, options) || {};
      } catch (error) {
        state.report(error, page.route);
      }
    }
    const card = {
      title: typeof content.title === "string" ? content.title : String(state.manifest.app.window?.navigationBarTitleText || ""),
      path: typeof content.path === "string" ? content.path : `/${page.route}`,
      imageUrl: typeof content.imageUrl === "string" ? content.imageUrl : "",
      from: options.from,
    };
    callHost("shareAppMessage", card).catch(() => {});
  }

  function pageEvent(pageId, name, payload) {
    const page = state.pages.get(pageId);
    if (!page) return;
    switch (name) {
      case "pullDownRefresh":
        F.callPageHook(page, "onPullDownRefresh");
        break;
      case "reachBottom":
        F.callPageHook(page, "onReachBottom");
        break;
      case "pageScroll":
        F.callPageHook(page, "onPageScroll", { scrollTop: Number(payload && payload.scrollTop) || 0 });
        break;
      case "tabItemTap":
        F.callPageHook(page, "onTabItemTap", payload || {});
        break;
      case "resize":
        F.callPageHook(page, "onResize", payload || {});
        F.pageLifetime(page, "resize", payload || {});
        break;
      case "shareAppMessage":
        shareFrom(page, { from: "menu" });
        break;
      case "firstRender":
        performanceEntries.push({ entryType: "render", name: "firstRender", startTime: payload.start, duration: payload.duration, path: page.route });
        break;
      default:
        break;
    }
  }

  self.MiniappWx = {
    wx,
    setPost: (fn) => {
      post = fn;
    },
    callHost,
    reply,
    configure,
    setStorage,
    launch,
    appShow,
    appHide,
    pageNotFound,
    notifyError,
    beforePageCreate,
    eventChannelFor,
    shareFrom,
    pageEvent,
    // The framework's `this.createSelectorQuery()` / `this.createIntersectionObserver()`.
    createSelectorQuery: () => wx.createSelectorQuery(),
    createIntersectionObserver: (component, options) => wx.createIntersectionObserver(component, options),
    // For the API families (query.js, canvas.js, files.js, …).
    api,
    hostApi,
    jsonOnly,
    safeCall,
    syncly,
    extend,
    onHostEvent,
    hostEvent,
    listeners,
    boot: () => boot,
  };
})();
