// wx APIs: device and system (see wx.js `extend`). A classic script loaded by the worker after
// wx.js. System information is answered here from what the host measured at boot (kept up to
// date by its pushes); the clipboard, phone call, network type, image preview, code scanning,
// window background, vibration, wake lock and tab bar go to the host (container/apis/device.js,
// media.js, scan.js), which pushes `hostEvent`s back: "themeChange", "networkStatusChange",
// "updateStatus", "updateReady", "updateFailed".
(function () {
  "use strict";
  const W = self.MiniappWx;
  const F = self.MiniappFramework;
  const { api, callHost, safeCall } = W;

  function typeName(value) {
    if (value === null) return "Null";
    if (Array.isArray(value)) return "Array";
    const type = typeof value;
    return type.charAt(0).toUpperCase() + type.slice(1);
  }

  // WeChat's wording for a parameter of the wrong type.
  function paramError(name, param, expected, value) {
    return { errMsg: `${name}:fail parameter error: parameter.${param} should be ${expected} instead of ${typeName(value)};` };
  }

  function listenerSet() {
    const list = [];
    return {
      add(fn) {
        if (typeof fn === "function") list.push(fn);
      },
      // Without a function every listener goes, as WeChat's off* do.
      remove(fn) {
        if (typeof fn !== "function") list.length = 0;
        const i = list.indexOf(fn);
        if (i >= 0) list.splice(i, 1);
      },
      emit(arg) {
        for (const fn of list.slice()) safeCall(fn, arg);
      },
    };
  }

  // ---- system information ----------------------------------------------------------------------

  const WINDOW_KEYS = ["pixelRatio", "screenWidth", "screenHeight", "windowWidth", "windowHeight", "statusBarHeight", "safeArea", "screenTop"];
  const DEVICE_KEYS = ["abi", "deviceAbi", "benchmarkLevel", "brand", "model", "system", "platform", "cpuType", "memorySize"];
  const APP_BASE_KEYS = ["SDKVersion", "enableDebug", "host", "language", "version", "theme", "fontSizeSetting", "fontSizeScaleFactor"];
  const SETTING_KEYS = ["bluetoothEnabled", "locationEnabled", "wifiEnabled", "deviceOrientation"];
  // What the user let WeChat do on the phone: nothing here (a browser grants no such permission).
  const AUTHORIZE_KEYS = [
    "albumAuthorized", "bluetoothAuthorized", "cameraAuthorized", "locationAuthorized", "microphoneAuthorized",
    "notificationAuthorized", "notificationAlertAuthorized", "notificationBadgeAuthorized",
    "notificationSoundAuthorized", "phoneCalendarAuthorized",
  ];
  const SAFE_AREA_KEYS = ["left", "right", "top", "bottom", "width", "height"];

  // Everything getSystemInfo gives: the host's measurements plus the fields a browser answers the
  // same way on every device.
  function systemInfo() {
    const s = W.boot().system;
    const memory = typeof navigator !== "undefined" && Number(navigator.deviceMemory) > 0 ? Number(navigator.deviceMemory) * 1024 : 0;
    const info = {
      abi: "web",
      deviceAbi: "web",
      cpuType: "unknown",
      memorySize: memory,
      fontSizeScaleFactor: 1,
      bluetoothEnabled: false,
      locationEnabled: false,
      wifiEnabled: true,
      deviceOrientation: s.screenWidth > s.screenHeight ? "landscape" : "portrait",
      locationReducedAccuracy: false,
      ...JSON.parse(JSON.stringify(s)),
    };
    for (const key of AUTHORIZE_KEYS) info[key] = false;
    // Only an app with `darkmode: true` is told the theme (the host leaves it out otherwise).
    if (info.theme === undefined || info.theme === null) delete info.theme;
    return info;
  }

  function pick(keys) {
    const all = systemInfo();
    const out = {};
    for (const key of keys) if (all[key] !== undefined) out[key] = all[key];
    return out;
  }

  function authorizeSetting() {
    const out = {};
    for (const key of AUTHORIZE_KEYS) out[key] = "not determined";
    out.locationReducedAccuracy = false;
    return out;
  }

  // ---- theme -------------------------------------------------------------------------------------

  W.onHostEvent("themeChange", (payload) => {
    const theme = payload.theme === "dark" ? "dark" : "light";
    W.boot().system.theme = theme;
    const res = { theme };
    const app = F.state.app;
    if (app && typeof app.onThemeChange === "function") {
      try {
        app.onThemeChange.call(app, { ...res });
      } catch (error) {
        F.state.report(error, "app.js");
      }
    }
    for (const fn of W.listeners.themeChange.slice()) safeCall(fn, { ...res });
  });

  // ---- network -----------------------------------------------------------------------------------

  const networkListeners = listenerSet();
  W.onHostEvent("networkStatusChange", (payload) => {
    networkListeners.emit({ isConnected: Boolean(payload.isConnected), networkType: String(payload.networkType || "unknown") });
  });

  // ---- update manager ----------------------------------------------------------------------------

  const update = { status: null, ready: false, failed: false, check: listenerSet(), onReady: listenerSet(), onFailed: listenerSet() };
  // Listeners registered after the event still hear it (the check runs at launch, usually before
  // the page asks for the manager), once, on a later tick.
  const later = (fn, arg) => Promise.resolve().then(() => safeCall(fn, arg));
  const updateManager = Object.freeze({
    onCheckForUpdate(fn) {
      update.check.add(fn);
      if (update.status && typeof fn === "function") later(fn, { ...update.status });
    },
    onUpdateReady(fn) {
      update.onReady.add(fn);
      if (update.ready && typeof fn === "function") later(fn, {});
    },
    onUpdateFailed(fn) {
      update.onFailed.add(fn);
      if (update.failed && typeof fn === "function") later(fn, {});
    },
    applyUpdate() {
      // No callbacks in WeChat's API: a call before onUpdateReady is reported, not silent.
      callHost("applyUpdate", {}).catch((error) => console.warn(`UpdateManager.applyUpdate: ${error.errMsg}`));
    },
  });
  W.onHostEvent("updateStatus", (payload) => {
    update.status = { hasUpdate: Boolean(payload.hasUpdate) };
    update.check.emit({ ...update.status });
  });
  W.onHostEvent("updateReady", () => {
    update.ready = true;
    update.onReady.emit({});
  });
  W.onHostEvent("updateFailed", () => {
    update.failed = true;
    update.onFailed.emit({});
  });

  // ---- helpers -------------------------------------------------------------------------------------

  // A package path as the app wrote it, relative to the current page (WeChat resolves image
  // paths that way); URLs and absolute paths are kept.
  function resolvePath(path) {
    if (typeof path !== "string" || path.startsWith("/") || /^[a-z][a-z0-9+.-]*:/i.test(path)) return path;
    const pages = F.getCurrentPages();
    const route = pages.length ? pages[pages.length - 1].route : "";
    const parts = route.split("/").slice(0, -1);
    for (const part of path.split("/")) {
      if (part === "..") parts.pop();
      else if (part !== "." && part !== "") parts.push(part);
    }
    return `/${parts.join("/")}`;
  }

  function checkIndex(name, o) {
    if (typeof o.index !== "number") throw paramError(name, "index", "Number", o.index);
  }

  function tabApi(name, check) {
    return api(name, (o) => {
      const args = W.jsonOnly(o);
      if (check) check(args);
      return callHost(name, args).then(() => ({}));
    });
  }

  // ---- the APIs ------------------------------------------------------------------------------------

  W.extend({
    getSystemInfoSync: () => systemInfo(),
    getSystemInfo: api("getSystemInfo", () => systemInfo()),
    getSystemInfoAsync: api("getSystemInfoAsync", () => systemInfo()),
    getWindowInfo: () => pick(WINDOW_KEYS),
    getDeviceInfo: () => pick(DEVICE_KEYS),
    getAppBaseInfo: () => pick(APP_BASE_KEYS),
    getSystemSetting: () => pick(SETTING_KEYS),
    getAppAuthorizeSetting: () => authorizeSetting(),

    setClipboardData: api("setClipboardData", (o) => {
      if (typeof o.data !== "string") throw paramError("setClipboardData", "data", "String", o.data);
      return callHost("setClipboardData", { data: o.data }).then(() => ({}));
    }),
    getClipboardData: api("getClipboardData", () => callHost("getClipboardData", {}).then((res) => ({ data: String(res.data ?? "") }))),

    makePhoneCall: api("makePhoneCall", (o) => {
      if (typeof o.phoneNumber !== "string") throw paramError("makePhoneCall", "phoneNumber", "String", o.phoneNumber);
      return callHost("makePhoneCall", { phoneNumber: o.phoneNumber }).then(() => ({}));
    }),

    getNetworkType: api("getNetworkType", () => callHost("getNetworkType", {})),
    onNetworkStatusChange: (fn) => networkListeners.add(fn),
    offNetworkStatusChange: (fn) => networkListeners.remove(fn),

    previewImage: api("previewImage", (o) => {
      if (!Array.isArray(o.urls)) throw paramError("previewImage", "urls", "Array", o.urls);
      const args = { urls: o.urls.map(resolvePath) };
      if (o.current !== undefined) args.current = typeof o.current === "string" ? resolvePath(o.current) : o.current;
      return callHost("previewImage", JSON.parse(JSON.stringify(args))).then(() => ({}));
    }),

    // The host's scanner over the app (container/apis/scan.js); only QR codes are read.
    scanCode: api("scanCode", (o) => {
      if (o.onlyFromCamera !== undefined && typeof o.onlyFromCamera !== "boolean") throw paramError("scanCode", "onlyFromCamera", "Boolean", o.onlyFromCamera);
      return callHost("scanCode", { onlyFromCamera: o.onlyFromCamera === true });
    }),

    setBackgroundColor: api("setBackgroundColor", (o) => {
      const args = {};
      for (const key of ["backgroundColor", "backgroundColorTop", "backgroundColorBottom"]) if (o[key] !== undefined) args[key] = o[key];
      return callHost("setBackgroundColor", JSON.parse(JSON.stringify(args))).then(() => ({}));
    }),
    setBackgroundTextStyle: api("setBackgroundTextStyle", (o) => callHost("setBackgroundTextStyle", { textStyle: o.textStyle ?? null }).then(() => ({}))),

    vibrateShort: api("vibrateShort", (o) => callHost("vibrateShort", o.type === undefined ? {} : { type: o.type }).then(() => ({}))),
    vibrateLong: api("vibrateLong", () => callHost("vibrateLong", {}).then(() => ({}))),
    setKeepScreenOn: api("setKeepScreenOn", (o) => {
      if (typeof o.keepScreenOn !== "boolean") throw paramError("setKeepScreenOn", "keepScreenOn", "Boolean", o.keepScreenOn);
      return callHost("setKeepScreenOn", { keepScreenOn: o.keepScreenOn }).then(() => ({}));
    }),

    getUpdateManager: () => updateManager,

    // The tab bar: WeChat's parameter checks, then the host (which checks the page and index).
    setTabBarBadge: tabApi("setTabBarBadge", (o) => {
      checkIndex("setTabBarBadge", o);
      if (typeof o.text !== "string") throw paramError("setTabBarBadge", "text", "String", o.text);
    }),
    removeTabBarBadge: tabApi("removeTabBarBadge", (o) => checkIndex("removeTabBarBadge", o)),
    showTabBarRedDot: tabApi("showTabBarRedDot", (o) => checkIndex("showTabBarRedDot", o)),
    hideTabBarRedDot: tabApi("hideTabBarRedDot", (o) => checkIndex("hideTabBarRedDot", o)),
    setTabBarItem: tabApi("setTabBarItem", (o) => {
      checkIndex("setTabBarItem", o);
      if (o.iconPath !== undefined) o.iconPath = resolvePath(o.iconPath);
      if (o.selectedIconPath !== undefined) o.selectedIconPath = resolvePath(o.selectedIconPath);
    }),
    setTabBarStyle: tabApi("setTabBarStyle"),
    showTabBar: tabApi("showTabBar"),
    hideTabBar: tabApi("hideTabBar"),
  });

  // ---- canIUse details -------------------------------------------------------------------------------

  // `api.success.field` / `api.return.field.sub` / `api.object.param.value` /
  // `api.callback.field` for the APIs of this family: true only for what is really given or
  // taken. Other families' APIs are not described here (undefined: wx.js says true).
  const PARAMS = {
    setClipboardData: { data: null },
    makePhoneCall: { phoneNumber: null },
    previewImage: { urls: null, current: null },
    scanCode: { onlyFromCamera: null, scanType: ["qrCode"] },
    setBackgroundColor: { backgroundColor: null, backgroundColorTop: null, backgroundColorBottom: null },
    setBackgroundTextStyle: { textStyle: ["dark", "light"] },
    vibrateShort: { type: ["heavy", "medium", "light"] },
    setKeepScreenOn: { keepScreenOn: null },
    setTabBarBadge: { index: null, text: null },
    removeTabBarBadge: { index: null },
    showTabBarRedDot: { index: null },
    hideTabBarRedDot: { index: null },
    setTabBarItem: { index: null, text: null, iconPath: null, selectedIconPath: null },
    setTabBarStyle: { color: null, selectedColor: null, backgroundColor: null, borderStyle: ["black", "white"] },
    showTabBar: { animation: null },
    hideTabBar: { animation: null },
  };
  const RESULTS = {
    getSystemInfo: () => systemInfo(),
    getSystemInfoSync: () => systemInfo(),
    getSystemInfoAsync: () => systemInfo(),
    getWindowInfo: () => pick(WINDOW_KEYS),
    getDeviceInfo: () => pick(DEVICE_KEYS),
    getAppBaseInfo: () => pick(APP_BASE_KEYS),
    getSystemSetting: () => pick(SETTING_KEYS),
    getAppAuthorizeSetting: () => authorizeSetting(),
    getClipboardData: () => ({ data: "" }),
    getNetworkType: () => ({ networkType: "", signalStrength: 0, hasSystemProxy: false, weakNet: false }),
    getAccountInfoSync: () => ({ miniProgram: { appId: "", envVersion: "", version: "" }, plugin: {} }),
  };
  const CALLBACKS = {
    onThemeChange: { theme: ["light", "dark"] },
    onNetworkStatusChange: { isConnected: null, networkType: ["wifi", "2g", "3g", "4g", "5g", "unknown", "none"] },
    getUpdateManager: {},
  };

  W.canIUseDetail = (parts) => {
    const [name, kind, field, option, extra] = parts;
    if (Object.prototype.hasOwnProperty.call(RESULTS, name)) {
      if (kind !== "success" && kind !== "return") return false;
      let value = RESULTS[name]();
      for (const key of parts.slice(2)) {
        if (value === null || typeof value !== "object" || !Object.prototype.hasOwnProperty.call(value, key)) {
          // safeArea's fields are numbers filled in by the host: known even when not measured.
          return key !== undefined && parts[2] === "safeArea" && parts.length === 4 && SAFE_AREA_KEYS.includes(key);
        }
        value = value[key];
      }
      return true;
    }
    if (Object.prototype.hasOwnProperty.call(PARAMS, name)) {
      const params = PARAMS[name];
      if (kind !== "object" || field === undefined) return false;
      if (!Object.prototype.hasOwnProperty.call(params, field)) return false;
      if (option === undefined) return true;
      return Array.isArray(params[field]) && params[field].includes(option) && extra === undefined;
    }
    if (Object.prototype.hasOwnProperty.call(CALLBACKS, name)) {
      const fields = CALLBACKS[name];
      if (kind !== "callback" || field === undefined || !Object.prototype.hasOwnProperty.call(fields, field)) return false;
      return option === undefined || (Array.isArray(fields[field]) && fields[field].includes(option) && extra === undefined);
    }
    return undefined;
  };
})();
