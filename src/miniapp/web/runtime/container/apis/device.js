// Host side of the device and system wx APIs: merged into the container's HOST_APIS (`this` is the
// MiniProgram; a handler takes the call's args and returns its result or throws {errMsg}).
//
// Also the host's per-app device state, set up once per launch by installDevice(): the theme
// (app.json `darkmode` + theme.json: `@name` values in the window and tabBar config are resolved
// for the current theme and again when the system's colour scheme changes), the network status
// pushes, the clipboard, the keep-screen-on wake lock and the update check of getUpdateManager.
// Pushes to the logic layer are `hostEvent`s: "themeChange" {theme}, "networkStatusChange"
// {isConnected, networkType}, "updateStatus" {hasUpdate}, "updateReady", "updateFailed".

import { t } from "/static/shared/i18n.js";

const THEME_VAR = /^@([A-Za-z_][\w-]*)$/;
const HEX_COLOR = /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$/;
const PHONE = /^\+?[\d\s-]+$/;

// The system clipboard as the mini programs of this host session see it: the browser's
// clipboard is written when the browser allows it, and is never read (reading needs a
// permission prompt); getClipboardData answers from this copy.
let clipboard = "";

function typeName(value) {
  if (value === null) return "Null";
  if (Array.isArray(value)) return "Array";
  const type = typeof value;
  return type.charAt(0).toUpperCase() + type.slice(1);
}

/** WeChat's wording for a parameter of the wrong type. */
export function paramError(api, name, expected, value) {
  return { errMsg: `${api}:fail parameter error: parameter.${name} should be ${expected} instead of ${typeName(value)};` };
}

// ---- theme ------------------------------------------------------------------------------------

function darkQuery() {
  return typeof window.matchMedia === "function" ? window.matchMedia("(prefers-color-scheme: dark)") : null;
}

/** The app's theme now: "dark" only for an app with `darkmode: true` on a dark system. */
function systemTheme(program) {
  const query = darkQuery();
  return program.manifest.app.darkmode === true && query && query.matches ? "dark" : "light";
}

/**
 * A copy of a config object (window, a page's config, tabBar) with its `@name` values looked up
 * in theme.json for the program's current theme. A name the theme does not define is dropped, so
 * the default applies (rather than the raw "@name" reaching a colour).
 */
export function themed(program, value) {
  if (Array.isArray(value)) return value.map((item) => themed(program, item));
  if (value === null || typeof value !== "object") return value;
  const variables = (program.manifest.app.theme || {})[program.theme || "light"] || {};
  const out = {};
  for (const [key, item] of Object.entries(value)) {
    const match = typeof item === "string" ? THEME_VAR.exec(item) : null;
    if (!match) {
      out[key] = themed(program, item);
    } else if (Object.hasOwn(variables, match[1])) {
      out[key] = variables[match[1]];
    }
  }
  return out;
}

function usesTheme(value) {
  return typeof value === "string" && THEME_VAR.test(value);
}

/** The window settings a page's view applies: its config's, then setBackgroundColor's. */
export function viewWindowConfig(entry) {
  const c = entry.config || {};
  const out = {};
  for (const key of ["backgroundColor", "backgroundColorTop", "backgroundColorBottom", "backgroundTextStyle"]) {
    if (typeof c[key] === "string") out[key] = c[key];
  }
  return { ...out, ...(entry.background || {}) };
}

function applyTheme(program, theme) {
  if (!program.alive || program.theme === theme) return;
  program.theme = theme;
  if (program.system) program.system.theme = theme;
  if (program.chrome) program.chrome.el.dataset.theme = theme;
  for (const entry of program.pages.values()) {
    entry.config = themed(program, program.manifest.pages[entry.route].config || {});
    entry.view.ready.then(() => {
      if (program.alive) entry.view.post({ t: "config", config: viewWindowConfig(entry) });
    });
  }
  program.showTop();
  const raw = program.manifest.app.tabBar;
  const bar = program.tabBarConfig();
  if (raw && bar) {
    // The theme's colours replace the bar's (as a relaunch in that theme would show them);
    // badges and red dots stay.
    const style = {};
    for (const key of ["color", "selectedColor", "backgroundColor", "borderStyle"]) {
      if (usesTheme(raw[key]) && typeof bar[key] === "string") style[key] = bar[key];
    }
    program.chrome.setTabBarStyle(style);
    raw.list.forEach((item, index) => {
      const icons = {};
      if (usesTheme(item.iconPath)) icons.iconUrl = bar.list[index].iconUrl;
      if (usesTheme(item.selectedIconPath)) icons.selectedIconUrl = bar.list[index].selectedIconUrl;
      if (Object.keys(icons).length) program.chrome.setTabBarItem(index, icons);
    });
  }
  push(program, "themeChange", { theme });
}

// ---- network ----------------------------------------------------------------------------------

/** WeChat's networkType from what the browser knows (navigator.onLine, the Network Information API). */
export function networkType() {
  if (!navigator.onLine) return "none";
  const connection = navigator.connection;
  if (!connection) return "unknown";
  const type = connection.type;
  if (type === "none") return "none";
  if (type === "wifi" || type === "ethernet" || type === "wimax") return "wifi";
  const effective = String(connection.effectiveType || "");
  if (type === "cellular" || type === undefined) {
    // A desktop browser tells only the effective type: a fast one is a wired or Wi-Fi link.
    if (effective === "4g") return type === "cellular" ? "4g" : "wifi";
    if (effective === "3g") return "3g";
    if (effective === "2g" || effective === "slow-2g") return "2g";
  }
  return "unknown";
}

function weakNet() {
  const effective = navigator.connection ? String(navigator.connection.effectiveType || "") : "";
  return navigator.onLine && (effective === "2g" || effective === "slow-2g");
}

// ---- pushes -----------------------------------------------------------------------------------

/** A hostEvent once the logic frame is connected (the worker holds it until app.js has run). */
function push(program, name, payload) {
  program.logic.ready.then(() => program.pushEvent(name, payload), () => {});
}

// ---- updates ----------------------------------------------------------------------------------

// getUpdateManager: a launch from cached launch information may run an older release than the
// one now released. The fresh launch information tells: another bundle means an update, whose
// files are fetched (into the browser's cache: bundle files are immutable) before it is "ready".
async function checkForUpdate(program, info, fresh) {
  let latest;
  try {
    latest = await fresh;
  } catch {
    push(program, "updateStatus", { hasUpdate: false });
    return;
  }
  const hasUpdate = Boolean(latest && latest.bundle && info.bundle && latest.bundle !== info.bundle);
  push(program, "updateStatus", { hasUpdate });
  if (!hasUpdate) return;
  try {
    const main = latest.manifest.packages.__APP__;
    const files = [main.logic, main.wxs, main.css].filter((file) => typeof file === "string" && file);
    await Promise.all(
      files.map((file) =>
        fetch(`${window.location.origin}/bundles/${file}`).then((response) => {
          if (!response.ok) throw new Error(`HTTP ${response.status}`);
          return response.arrayBuffer();
        }),
      ),
    );
    program.updateReady = true;
    push(program, "updateReady", {});
  } catch {
    push(program, "updateFailed", {});
  }
}

/**
 * Called by the container once the launch information is known (before the logic layer boots):
 * `info` is what the app starts from, `fresh` the launch information fetched now.
 */
export function installDevice(program, info, fresh) {
  program.theme = systemTheme(program);
  program.updateReady = false;
  if (program.chrome) program.chrome.el.dataset.theme = program.theme;

  const query = darkQuery();
  if (query && program.manifest.app.darkmode === true) {
    const onScheme = () => applyTheme(program, systemTheme(program));
    query.addEventListener("change", onScheme);
    program.onDestroy(() => query.removeEventListener("change", onScheme));
  }

  // The browser may tell one change twice (online, then the connection's change): each status
  // is pushed once.
  let last = `${navigator.onLine}/${networkType()}`;
  const onNetwork = () => {
    const now = `${navigator.onLine}/${networkType()}`;
    if (now === last) return;
    last = now;
    push(program, "networkStatusChange", { isConnected: navigator.onLine, networkType: networkType() });
  };
  window.addEventListener("online", onNetwork);
  window.addEventListener("offline", onNetwork);
  const connection = navigator.connection;
  if (connection && typeof connection.addEventListener === "function") connection.addEventListener("change", onNetwork);
  program.onDestroy(() => {
    window.removeEventListener("online", onNetwork);
    window.removeEventListener("offline", onNetwork);
    if (connection && typeof connection.removeEventListener === "function") connection.removeEventListener("change", onNetwork);
  });

  program.onDestroy(() => releaseWakeLock(program));
  checkForUpdate(program, info, fresh);
}

// ---- wake lock --------------------------------------------------------------------------------

function releaseWakeLock(program) {
  const lock = program.wakeLock;
  program.wakeLock = null;
  if (lock) lock.then((sentinel) => sentinel && sentinel.release()).catch(() => {});
}

// ---- the APIs ---------------------------------------------------------------------------------

function vibrate(ms) {
  // Browsers refuse (and complain) before the user has interacted with the page.
  const active = !navigator.userActivation || navigator.userActivation.hasBeenActive;
  if (active && typeof navigator.vibrate === "function") navigator.vibrate(ms);
}

export const DEVICE_APIS = {
  setClipboardData(a) {
    if (typeof a.data !== "string") throw paramError("setClipboardData", "data", "String", a.data);
    clipboard = a.data;
    if (navigator.clipboard && typeof navigator.clipboard.writeText === "function") {
      // Refused without focus or permission: the session's copy still holds the text.
      navigator.clipboard.writeText(a.data).catch(() => {});
    }
    this.chrome.showToast({ title: t("runtime.clipboard.copied"), icon: "success", duration: 1500 });
  },
  getClipboardData() {
    return { data: clipboard };
  },
  async makePhoneCall(a) {
    const number = a.phoneNumber;
    if (typeof number !== "string") throw paramError("makePhoneCall", "phoneNumber", "String", number);
    const trimmed = number.trim();
    if (!PHONE.test(trimmed) || !/\d/.test(trimmed) || trimmed.length > 32) {
      throw { errMsg: "makePhoneCall:fail invalid phone number" };
    }
    const called = await this.chrome.showPhoneCall(trimmed);
    if (!called) throw { errMsg: "makePhoneCall:fail cancel" };
  },
  getNetworkType() {
    return { networkType: networkType(), signalStrength: 0, hasSystemProxy: false, weakNet: weakNet() };
  },
  setBackgroundColor(a) {
    const colors = {};
    for (const key of ["backgroundColor", "backgroundColorTop", "backgroundColorBottom"]) {
      if (a[key] === undefined) continue;
      if (typeof a[key] !== "string" || !HEX_COLOR.test(a[key])) {
        throw { errMsg: `setBackgroundColor:fail invalid ${key} "${String(a[key]).slice(0, 40)}"` };
      }
      colors[key] = a[key];
    }
    const top = this.top();
    if (!top) return;
    top.background = { ...(top.background || {}), ...colors };
    top.view.post({ t: "config", config: viewWindowConfig(top) });
  },
  setBackgroundTextStyle(a) {
    if (a.textStyle !== "dark" && a.textStyle !== "light") {
      throw { errMsg: `setBackgroundTextStyle:fail invalid textStyle "${String(a.textStyle).slice(0, 40)}"` };
    }
    const top = this.top();
    if (!top) return;
    top.background = { ...(top.background || {}), backgroundTextStyle: a.textStyle };
    top.view.post({ t: "config", config: viewWindowConfig(top) });
  },
  vibrateShort(a) {
    if (a.type !== undefined && !["heavy", "medium", "light"].includes(a.type)) {
      throw { errMsg: `vibrateShort:fail invalid type "${String(a.type).slice(0, 40)}"` };
    }
    vibrate(a.type === "heavy" ? 30 : a.type === "light" ? 10 : 15);
  },
  vibrateLong() {
    vibrate(400);
  },
  setKeepScreenOn(a) {
    if (typeof a.keepScreenOn !== "boolean") throw paramError("setKeepScreenOn", "keepScreenOn", "Boolean", a.keepScreenOn);
    releaseWakeLock(this);
    // The Screen Wake Lock API where the browser has it (a secure context, the page visible);
    // elsewhere the screen simply follows the system's settings.
    if (a.keepScreenOn && navigator.wakeLock && typeof navigator.wakeLock.request === "function") {
      const lock = navigator.wakeLock.request("screen");
      lock.catch(() => {});
      this.wakeLock = lock;
    }
  },
  applyUpdate() {
    if (!this.updateReady) throw { errMsg: "applyUpdate:fail update is not ready" };
    setTimeout(() => {
      if (this.alive) this.restart();
    }, 0);
  },
};
