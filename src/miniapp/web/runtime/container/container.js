// The container: runs one mini program inside the host page (docs/runtime.md). The host page is
// the only trusted party; this module makes the sandboxed frames, owns the MessagePorts, checks
// every message against the schema, keeps the page stack, and answers the `wx` calls that need
// the host (UI, navigation, storage, network).

import { api, ApiError } from "/static/shared/api.js";
import { language, t } from "/static/shared/i18n.js";
import { AppChrome } from "/static/runtime/container/chrome.js";
import { openAppStorage } from "/static/runtime/container/storage.js";
import { openAppFiles } from "/static/runtime/container/files.js";
import { CONSENT_APIS, openSettingsPage } from "/static/runtime/container/apis/consent.js";
import { DEVICE_APIS, installDevice, themed } from "/static/runtime/container/apis/device.js";
import { FILE_APIS } from "/static/runtime/container/apis/files.js";
import { LOGIN_APIS } from "/static/runtime/container/apis/login.js";
import { MEDIA_APIS } from "/static/runtime/container/apis/media.js";
import { NETWORK_APIS } from "/static/runtime/container/apis/network.js";
import { SCAN_APIS } from "/static/runtime/container/apis/scan.js";
import { SUBSCRIBE_APIS } from "/static/runtime/container/apis/subscribe.js";
import { WEBVIEW_VIEW_HANDLERS, closeWebView } from "/static/runtime/container/webview.js";

export const HOT_START_MS = 5 * 60 * 1000;
const MAX_STACK = 10;
const MAX_REQUESTS = 10;
const LOGIC_MESSAGES = new Set(["ready", "booted", "ops", "call", "storage", "log", "error", "pageReady", "inspected", "toView"]);
const VIEW_MESSAGES = new Set(["loaded", "applied", "event", "pageEvent", "error", "toLogic", "webview", "navigationBar"]);

// ---- frames ------------------------------------------------------------------------------------

const links = new Map(); // contentWindow → FrameLink
let rejected = 0;

window.addEventListener("message", (event) => {
  const link = links.get(event.source);
  if (!link) return;
  const m = event.data;
  if (m && m.t === "loaded") link.loaded(m);
  else if (m && m.t === "failed") link.failed(String(m.message));
});

/** A sandboxed frame and the one MessagePort the host talks to it through. */
class FrameLink {
  constructor(kind, parent) {
    this.kind = kind;
    this.port = null;
    this.handler = null;
    this.early = [];
    this.frame = document.createElement("iframe");
    this.frame.setAttribute("sandbox", "allow-scripts");
    this.frame.className = `miniapp-frame miniapp-${kind}-frame`;
    this.frame.title = kind === "logic" ? "logic layer" : "page";
    this.frame.src = `/runtime/${kind}.html`;
    this.failure = null;
    this.ready = new Promise((resolve, reject) => {
      this.resolveReady = resolve;
      this.rejectReady = reject;
    });
    // A spare's failure is handled when it is taken (takeSpare makes another), not here.
    this.ready.catch(() => {});
    parent.append(this.frame);
    // Kept: once the frame leaves the document its contentWindow is null.
    this.window = this.frame.contentWindow;
    links.set(this.window, this);
  }

  /** The logic layer could not load its runtime (offline): this frame is of no use. */
  failed(message) {
    this.failure = message;
    this.rejectReady(new Error(`the ${this.kind} layer failed to start: ${message}`));
  }

  loaded(message) {
    if (this.port) return;
    if (message.failed) {
      this.rejectReady(new Error(`the ${this.kind} layer failed to start: ${message.failed}`));
      return;
    }
    const channel = new MessageChannel();
    this.port = channel.port1;
    this.port.onmessage = (event) => this.receive(event.data);
    this.frame.contentWindow.postMessage({ t: "connect", v: 1 }, "*", [channel.port2]);
    if (this.kind === "view") this.resolveReady();
  }

  receive(message) {
    const allowed = this.kind === "logic" ? LOGIC_MESSAGES : VIEW_MESSAGES;
    if (!message || typeof message !== "object" || typeof message.t !== "string" || !allowed.has(message.t)) {
      rejected += 1;
      console.warn("bridge: rejected message from the %s layer", this.kind);
      return;
    }
    if (this.kind === "logic" && message.t === "ready") {
      this.resolveReady();
      return;
    }
    if (this.handler) this.handler(message);
    else this.early.push(message);
  }

  listen(handler) {
    this.handler = handler;
    for (const message of this.early.splice(0)) handler(message);
  }

  post(message, transfer) {
    this.port.postMessage(message, transfer || []);
  }

  destroy() {
    links.delete(this.window);
    if (this.port) this.port.close();
    this.frame.remove();
  }
}

/** How many bridge messages the host refused (shown by the simulator). */
export function rejectedMessages() {
  return rejected;
}

// What a launch needs before it knows which app it is for, made ahead of time (as WeChat
// pre-loads its runtime environment): an app root in the stage with the chrome, a logic frame
// whose worker has loaded the runtime, and the first page's view frame. A launch takes it and
// the next spare is made once the launch is done. Frames are never moved in the DOM (moving an
// iframe reloads it), so the spare is built where it will be shown.
let spare = null;

function makeSpare(stage) {
  const root = document.createElement("div");
  root.className = "miniapp-app";
  root.hidden = true;
  stage.append(root);
  const options = {};
  const chrome = new AppChrome(root, options);
  const logic = new FrameLink("logic", root);
  const view = new FrameLink("view", chrome.pagesEl);
  view.frame.classList.add("miniapp-page-frame");
  // Opening the storage database and reading it once makes the launch's own read fast (the
  // first transaction after a page load is slow).
  openAppStorage({ userKey: "prewarm", appid: "prewarm" })
    .then((storage) => storage.snapshot())
    .catch(() => {});
  return { stage, root, chrome, options, logic, view };
}

/** Prepares the next launch in `stage` (the element mini programs are shown in). */
export function prewarm(stage) {
  if (spare && spare.stage === stage) return;
  if (!navigator.onLine) {
    // Offline, the spare's frames could not load the runtime: made when the browser is back
    // online (a launch meanwhile makes its own frames).
    window.addEventListener("online", () => prewarm(stage), { once: true });
    return;
  }
  // The first localStorage access of a page loads its storage area, which blocks; done here, a
  // warm launch's read of its cached launch information is instant.
  try {
    void window.localStorage.length;
  } catch {
    /* no localStorage: launches fetch their information */
  }
  if (spare) discardSpare();
  spare = makeSpare(stage);
}

function discardSpare() {
  spare.logic.destroy();
  spare.view.destroy();
  spare.chrome.destroy();
  spare.root.remove();
  spare = null;
}

function takeSpare(stage) {
  if (!spare || spare.stage !== stage || spare.logic.failure) {
    if (spare) discardSpare();
    spare = makeSpare(stage);
  }
  const taken = spare;
  spare = null;
  return taken;
}

// Launch information (name, manifest) last seen per app, for warm launches: the cached copy
// starts the app at once while a fresh copy is fetched for the next launch, as WeChat does with
// app info ("fetched synchronously on the first visit, otherwise asynchronously from cache").
// A build other than the release (`build`: "trial" or a version's id, from a preview link) is
// cached under its own key, so a preview never becomes the cached release.
const LAUNCH_CACHE = "miniapp:launch:";

function launchCacheKey(appid, build) {
  return LAUNCH_CACHE + appid + (build ? `?build=${build}` : "");
}

function cachedLaunchInfo(appid, build) {
  try {
    const text = window.localStorage.getItem(launchCacheKey(appid, build));
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}

function rememberLaunchInfo(appid, build, info) {
  try {
    window.localStorage.setItem(launchCacheKey(appid, build), JSON.stringify(info));
  } catch {
    /* a full localStorage only costs the next launch its head start */
  }
}

function forgetLaunchInfo(appid, build) {
  try {
    window.localStorage.removeItem(launchCacheKey(appid, build));
  } catch {
    /* nothing cached */
  }
}

/**
 * `stored`: the launch information kept for this app and build, if any. The release's launch
 * says which bundle this browser started last (`ran`): someone who ran a grey release keeps it,
 * even when signing in moves them to another bucket.
 */
function fetchLaunchInfo(appid, build, stored) {
  const ran = !build && stored && typeof stored.bundle === "string" ? `?ran=${encodeURIComponent(stored.bundle)}` : "";
  const query = build ? `?build=${encodeURIComponent(build)}` : ran;
  return api.get(`/api/runtime/apps/${encodeURIComponent(appid)}/launch${query}`).then((info) => {
    rememberLaunchInfo(appid, build, info);
    return info;
  });
}

function whenIdle(fn) {
  if (typeof requestIdleCallback === "function") requestIdleCallback(fn, { timeout: 500 });
  else setTimeout(fn, 50);
}

// ---- bundle files (immutable, cached by content hash) -----------------------------------------

const fileCache = new Map();

function bundleUrl(file) {
  return `${window.location.origin}/bundles/${file}`;
}

function fetchFile(file, kind) {
  if (!fileCache.has(file)) {
    const promise = fetch(bundleUrl(file)).then((response) => {
      if (!response.ok) throw new Error(`${file}: HTTP ${response.status}`);
      return kind === "json" ? response.json() : response.text();
    });
    promise.catch(() => fileCache.delete(file));
    fileCache.set(file, promise);
  }
  return fileCache.get(file);
}

// A package's code as the logic layer takes it: {logic: {file, source}, wxs: {file, source} | null}.
async function packageCode(pkg) {
  const [logic, wxs] = await Promise.all([fetchFile(pkg.logic, "text"), pkg.wxs ? fetchFile(pkg.wxs, "text") : null]);
  return { logic: { file: pkg.logic, source: logic }, wxs: pkg.wxs ? { file: pkg.wxs, source: wxs } : null };
}

// ---- URLs and queries ------------------------------------------------------------------------

function resolveRoute(from, url) {
  const [pathPart, queryPart = ""] = String(url).split("?", 2);
  const parts = pathPart.startsWith("/") ? [] : from.split("/").slice(0, -1);
  for (const part of pathPart.replace(/^\//, "").split("/")) {
    if (part === "..") parts.pop();
    else if (part !== "." && part !== "") parts.push(part);
  }
  const route = parts.join("/").replace(/\.(js|wxml)$/, "");
  return { route, query: parseQuery(queryPart), hasQuery: queryPart !== "" };
}

// WeChat hands the query over as written (values are not URL-decoded).
export function parseQuery(text) {
  const query = {};
  for (const pair of String(text || "").split("&")) {
    if (!pair) continue;
    const i = pair.indexOf("=");
    const key = i < 0 ? pair : pair.slice(0, i);
    query[key] = i < 0 ? "" : pair.slice(i + 1);
  }
  return query;
}

// ---- the running mini program ----------------------------------------------------------------

let nextPageId = 1;

export class MiniProgram {
  /**
   * Launch (cold start) `appid` at `path` with `query` inside `root`, an element that fills the
   * phone screen. `onExit()` is called when the user closes it (the capsule's close button).
   * `timing.tap` is the moment of the tap (performance.now()), for getPerformance and benchmarks.
   */
  static async launch({ appid, path = "", query = {}, scene = 1001, root, stage, userKey, onExit, onError, onLog, onOpenCode, hostMenu, timing, cachedLaunch, envVersion, build }) {
    const program = new MiniProgram({ appid, root, stage, userKey, onExit, onError, onLog, onOpenCode, hostMenu, cachedLaunch, envVersion, build });
    await program.start({ path, query, scene, timing: timing || { tap: performance.now() } });
    return program;
  }

  /**
   * Either `stage` (the element mini programs are shown in: the launch takes the pre-warmed
   * spare made there) or `root` (an element to build everything in, e.g. the simulator's
   * screen). `cachedLaunch`: start from the launch information seen last time, if any.
   * `build`: "trial" or a version's id to open instead of the release (members' preview links).
   */
  constructor({ appid, root, stage, userKey, onExit, onError, onLog, onOpenCode = null, hostMenu = null, cachedLaunch = false, envVersion = "release", build = null }) {
    this.appid = appid;
    this.build = build || null;
    this.stage = stage || null;
    this.root = root || null;
    this.cachedLaunch = cachedLaunch;
    // wx.getAccountInfoSync: "develop" (the simulator), else what the launch answers: "release",
    // "trial" (the trial version) or "develop" (a preview build).
    this.envVersion = ["develop", "trial"].includes(envVersion) ? envVersion : "release";
    this.version = "";
    this.userKey = userKey || "anonymous";
    this.onExit = onExit || (() => {});
    this.onError = onError || (() => {});
    this.onLog = onLog || (() => {});
    // `onOpenCode({appid, path, query, scene, build, url})`: the host opens a mini-program code
    // recognised in the app (long-press in wx.previewImage); null where there is no host (simulator).
    this.onOpenCode = onOpenCode;
    // The host's own items in the capsule's ··· menu ("Add to My mini programs"):
    // `hostMenu.items()` → [{id, label}] (or a promise of them), shown after Share;
    // `hostMenu.choose(id, program)` when one is picked. Null: only the runtime's items.
    this.hostMenu = hostMenu;
    this.stack = [];
    this.tabPages = new Map();
    this.pages = new Map();
    this.sentViews = new Set();
    this.packageLoads = new Map();
    this.pageFilesByRoute = new Map();
    this.navQueue = Promise.resolve();
    this.requestsInFlight = 0;
    // Run by destroy(): what the API families opened for this app (sockets, listeners, overlays).
    this.cleanups = [];
    this.hiddenAt = null;
    this.alive = true;
    this.readyListeners = [];
    this.inspections = new Map();
    this.nextInspection = 1;
  }

  /** The current page's data and its components' (for the simulator): {page, components}. */
  inspect() {
    const top = this.top();
    if (!top) return Promise.resolve(null);
    const id = this.nextInspection;
    this.nextInspection += 1;
    return new Promise((resolve) => {
      this.inspections.set(id, resolve);
      this.logic.post({ t: "inspect", id, page: top.id });
    });
  }

  /** The current page's route and query. */
  currentPage() {
    const top = this.top();
    return top ? { route: top.route, query: { ...top.query } } : null;
  }

  async start({ path, query, scene, timing }) {
    performance.mark("miniapp:start");
    let firstView = null;
    if (this.stage) {
      const taken = takeSpare(this.stage);
      this.root = taken.root;
      this.root.hidden = false;
      this.chrome = taken.chrome;
      this.chromeOptions = taken.options;
      this.logic = taken.logic;
      firstView = taken.view;
    } else {
      this.chromeOptions = {};
      this.chrome = new AppChrome(this.root, this.chromeOptions);
      this.logic = new FrameLink("logic", this.root);
    }
    this.logic.frame.hidden = true;
    this.spareView = firstView;
    // The next launch's spare is made once the first page is on screen (see firstRender).
    this.prewarmNext = Boolean(this.stage);
    const kept = cachedLaunchInfo(this.appid, this.build);
    const cached = this.cachedLaunch ? kept : null;
    const fresh = fetchLaunchInfo(this.appid, this.build, kept);
    const launchInfo = cached ? Promise.resolve(cached) : fresh;
    if (cached) {
      fresh.catch((error) => {
        // Withdrawn (or never released): the cached copy must not launch it again.
        if (error instanceof ApiError && error.status === 404) forgetLaunchInfo(this.appid, this.build);
      });
    }
    const storage = openAppStorage({ userKey: this.userKey, appid: this.appid }).then(async (opened) => ({ opened, snapshot: await opened.snapshot() }));
    this.storageOpened = storage.then((stored) => stored.opened);
    // The user's files (wx.getFileSystemManager), read alongside storage: the Sync methods need
    // them in the logic layer before app.js runs. Unreadable: the app starts without them.
    const files = openAppFiles({ userKey: this.userKey, appid: this.appid }).then(async (opened) => ({ opened, snapshot: await opened.snapshot() }), () => ({ opened: null, snapshot: {} }));
    this.filesOpened = files.then((stored) => stored.opened);
    const info = await launchInfo;
    if (!this.alive) return;
    performance.mark("miniapp:launch-info");
    packageCode(info.manifest.packages.__APP__).catch(() => {});
    this.name = info.name;
    // web-view addresses: the registered domains; the simulator sends urlCheck false (webview.js).
    this.webviewDomains = Array.isArray(info.webviewDomains) ? info.webviewDomains.map(String) : [];
    this.webviewUrlCheck = info.urlCheck !== false;
    this.manifest = info.manifest;
    if (this.envVersion !== "develop" && ["release", "trial", "develop"].includes(info.envVersion)) this.envVersion = info.envVersion;
    this.version = typeof info.version === "string" ? info.version : "";
    installDevice(this, info, fresh); // theme, network status, update check (apis/device.js)
    this.timing = timing;
    const app = this.manifest.app;
    Object.assign(this.chromeOptions, {
      appName: info.name,
      onBack: () => this.serialNav(() => this.navigateBack({ delta: 1 })).catch(() => {}),
      onClose: () => this.close(),
      onMenu: () => this.openMenu(),
      onTabTap: (index) => this.tabTap(index),
    });
    this.chrome.el.setAttribute("aria-label", info.name);
    let route = String(path || "").replace(/^\//, "").replace(/\.html$/, "");
    const entry = app.entryPagePath;
    const found = route === "" || this.hasPage(route);
    if (route === "") route = entry;
    // Start fetching the first page's files while the logic layer boots.
    const firstFiles = found ? this.pageFiles(route) : null;
    await this.logic.ready;
    if (!this.alive) return;
    performance.mark("miniapp:logic-ready");
    this.logic.listen((message) => this.fromLogic(message));
    const main = this.manifest.packages.__APP__;
    const mainCode = await packageCode(main);
    await this.chrome.ready; // the status bar's height and the capsule's box need chrome.css
    this.system = this.systemInfo();
    const menu = this.chrome.menuButtonRect();
    const menuButton = Object.fromEntries(Object.entries(menu).map(([k, v]) => [k, Math.round(v)]));
    this.launchOptions = { path: found ? route : String(path), query: { ...query }, scene, referrerInfo: {}, apiCategory: "default" };
    this.logic.post({
      t: "boot",
      appid: this.appid,
      origin: window.location.origin,
      manifest: this.manifest,
      logic: mainCode.logic,
      wxs: mainCode.wxs,
      launch: this.launchOptions,
      system: this.system,
      accountInfo: { envVersion: this.envVersion, version: this.version },
      menuButton,
      timing: { tap: timing.tap },
    });
    // Built after boot is on its way (the logic layer is busy with the code meanwhile); hidden
    // until a tab page shows.
    this.chrome.setTabBar(this.tabBarConfig(), -1);
    this.chrome.hideTabBar();
    // The logic layer runs the bundle's code while storage is read, and the first page is
    // created meanwhile: app.js waits for `start`, which brings the storage copy (onLaunch may
    // read storage synchronously), and the logic layer holds the page until then.
    const firstPage = found
      ? firstFiles.then(() => {
          performance.mark("miniapp:first-files");
          return this.alive ? this.openPage(route, query, "appLaunch") : null;
        })
      : null;
    const stored = await storage;
    if (!this.alive) return;
    performance.mark("miniapp:storage");
    this.storage = stored.opened;
    const filed = await files;
    if (!this.alive) return;
    this.logic.post({ t: "start", storage: stored.snapshot, files: filed.snapshot });
    if (!found) {
      this.logic.post({ t: "app", op: "pageNotFound", options: { path: String(path), query, isEntryPage: true } });
      return;
    }
    await firstPage;
  }

  tabBarConfig() {
    const tabBar = themed(this, this.manifest.app.tabBar); // @theme values resolved
    if (!tabBar || !Array.isArray(tabBar.list)) return null;
    const asset = (p) => this.assetUrl(p);
    return {
      ...tabBar,
      list: tabBar.list.map((item) => ({ ...item, iconUrl: asset(item.iconPath), selectedIconUrl: asset(item.selectedIconPath) })),
    };
  }

  tabIndex(route) {
    const tabBar = this.manifest.app.tabBar;
    if (!tabBar || !Array.isArray(tabBar.list)) return -1;
    return tabBar.list.findIndex((item) => String(item.pagePath).replace(/^\//, "") === route);
  }

  systemInfo() {
    const pages = this.chrome.pagesEl;
    const width = pages.clientWidth || this.root.clientWidth || window.innerWidth;
    const height = pages.clientHeight || this.root.clientHeight || window.innerHeight;
    const screenWidth = this.root.clientWidth || window.innerWidth;
    const screenHeight = this.root.clientHeight || window.innerHeight;
    // As the chrome draws it: the device's safe area at the top (0 in a desktop browser).
    const statusBarHeight = Math.round(parseFloat(getComputedStyle(this.chrome.navEl).paddingTop)) || 0;
    return {
      brand: "Miniapp",
      model: "Web",
      pixelRatio: window.devicePixelRatio || 1,
      screenWidth,
      screenHeight,
      windowWidth: width,
      windowHeight: height,
      statusBarHeight,
      safeArea: { left: 0, right: screenWidth, top: statusBarHeight, bottom: screenHeight, width: screenWidth, height: screenHeight - statusBarHeight },
      screenTop: screenHeight - height,
      language: language() === "zh" ? "zh_CN" : "en",
      version: "8.0.50",
      system: "Web",
      platform: "web",
      fontSizeSetting: 16,
      SDKVersion: "3.4.0",
      benchmarkLevel: 1,
      // WeChat gives the theme only to apps with `darkmode: true` (apis/device.js follows it).
      theme: this.manifest.app.darkmode === true ? this.theme : undefined,
      enableDebug: false,
      host: { appId: "" },
    };
  }

  // Every view file and style sheet a page needs: its own, and its components' (transitively).
  // Asked for by the launch, preparePage, openPage and preloads: worked out once per page.
  pageFiles(route) {
    let files = this.pageFilesByRoute.get(route);
    if (!files) {
      files = this.loadPageFiles(route);
      files.catch(() => this.pageFilesByRoute.delete(route));
      this.pageFilesByRoute.set(route, files);
    }
    return files;
  }

  loadPageFiles(route) {
    const m = this.manifest;
    const page = m.pages[route];
    const components = [];
    const seen = new Set();
    const visit = (table) => {
      for (const path of Object.values(table || {})) {
        if (seen.has(path) || !m.components[path]) continue;
        seen.add(path);
        components.push(path);
        visit(m.components[path].components);
      }
    };
    visit(page.components);
    const pkg = m.packages[page.package];
    const cssFiles = [];
    if (!pkg.independent && m.packages.__APP__.css) cssFiles.push(m.packages.__APP__.css);
    if (pkg.css && page.package !== "__APP__") cssFiles.push(pkg.css);
    for (const path of components) if (m.components[path].css) cssFiles.push(m.components[path].css);
    if (page.css) cssFiles.push(page.css);
    const viewFiles = [page.view, ...components.map((p) => m.components[p].view)];
    return Promise.all([
      Promise.all(viewFiles.map((f) => fetchFile(f, "json"))),
      Promise.all(cssFiles.map((f) => fetchFile(f, "text"))),
    ]).then(([views, css]) => ({ views: viewFiles.map((file, i) => [file, views[i]]), css }));
  }

  ensurePackage(route) {
    return this.loadPackage(this.manifest.pages[route].package);
  }

  // One load per package: navigations and preloads wait on the same promise, and a failed
  // fetch is forgotten so the next navigation tries again.
  loadPackage(name) {
    if (name === "__APP__") return Promise.resolve();
    let loading = this.packageLoads.get(name);
    if (!loading) {
      loading = packageCode(this.manifest.packages[name]).then((code) => {
        if (this.alive) this.logic.post({ t: "package", name, ...code });
      });
      loading.catch(() => this.packageLoads.delete(name));
      this.packageLoads.set(name, loading);
    }
    return loading;
  }

  preload(route) {
    const rules = this.manifest.app.preloadRule || {};
    const rule = rules[route];
    if (!rule || !Array.isArray(rule.packages)) return;
    for (const name of rule.packages) {
      const key = Object.keys(this.manifest.packages).find((k) => k === name || this.manifest.packages[k].root === name || this.manifest.packages[k].root === `${name}/`);
      if (!key || this.packageLoads.has(key)) continue;
      this.loadPackage(key).catch(() => {});
      for (const pageRoute of this.manifest.packages[key].pages) this.pageFiles(pageRoute).catch(() => {});
    }
  }

  /** Creates a page: its view frame, its instance in the logic layer. Resolves when created. */
  async openPage(route, query, openType) {
    await this.ensurePackage(route);
    const files = await this.pageFiles(route);
    if (!this.alive) return null;
    const id = nextPageId;
    nextPageId += 1;
    const config = themed(this, this.manifest.pages[route].config || {}); // @theme values resolved
    const view = this.takeView();
    const entry = { id, route, query, view, config, title: config.navigationBarTitleText || "", isTab: this.tabIndex(route) >= 0, ready: false };
    this.pages.set(id, entry);
    if (entry.isTab) this.tabPages.set(route, entry);
    this.stack.push(entry);
    this.showTop();
    const views = {};
    for (const [file, ir] of files.views) {
      if (this.sentViews.has(file)) continue;
      this.sentViews.add(file);
      views[file] = ir;
    }
    await view.ready;
    if (!this.alive) return null;
    performance.mark("miniapp:view-ready");
    view.listen((message) => this.fromView(entry, message));
    // The view draws built-ins in app.json's "style" ("v2": WeChat's newer look).
    const viewConfig = this.manifest.app.style === undefined ? config : { ...config, style: this.manifest.app.style };
    view.post({ t: "init", css: files.css, config: viewConfig, system: { windowWidth: this.system.windowWidth, windowHeight: this.system.windowHeight, pixelRatio: this.system.pixelRatio, language: this.system.language } });
    this.postStack();
    this.logic.post({ t: "page", op: "create", page: id, route, query, openType, views });
    this.preload(route);
    // The next page's frame loads while the user reads this one.
    entry.afterRender = () => {
      if (this.alive && !this.spareView) this.spareView = this.newView();
    };
    return entry;
  }

  newView() {
    const view = new FrameLink("view", this.chrome.pagesEl);
    view.frame.classList.add("miniapp-page-frame");
    return view;
  }

  takeView() {
    const view = this.spareView || this.newView();
    this.spareView = null;
    return view;
  }

  postStack() {
    this.logic.post({ t: "stack", pages: this.stack.map((p) => p.id) });
  }

  top() {
    return this.stack[this.stack.length - 1];
  }

  showTop() {
    const top = this.top();
    for (const entry of this.pages.values()) entry.view.frame.classList.toggle("is-current", entry === top);
    if (!top) return;
    const c = top.config;
    this.chrome.setNavigationBar({
      title: top.title,
      frontColor: c.navigationBarTextStyle === "white" ? "#ffffff" : "#000000",
      backgroundColor: c.navigationBarBackgroundColor || "#000000",
      showBack: this.stack.length > 1,
      custom: c.navigationStyle === "custom",
      loading: Boolean(top.navLoading),
    });
    if (top.frontColor) this.chrome.setNavigationBar({ frontColor: top.frontColor, backgroundColor: top.backgroundColor });
    const index = this.tabIndex(top.route);
    if (index >= 0) {
      this.chrome.selectTab(index);
      if (!this.tabBarHidden) this.chrome.showTabBar();
    } else {
      this.chrome.hideTabBar();
    }
  }

  unload(entry) {
    closeWebView(this, entry); // bindmessage first: the page is still alive in the logic layer
    this.logic.post({ t: "page", op: "unload", page: entry.id });
    // Out of sight now, out of the DOM a moment later: the tap that closed the page may still be
    // on its way through the browser's input pipeline, and removing its frame under it can stall
    // the pipeline (Chromium then never acknowledges the event; automation waits for it).
    const { view } = entry;
    view.frame.classList.remove("is-current");
    view.frame.hidden = true;
    setTimeout(() => view.destroy(), 300);
    this.pages.delete(entry.id);
    if (this.tabPages.get(entry.route) === entry) this.tabPages.delete(entry.route);
  }

  hide(entry) {
    if (entry) this.logic.post({ t: "page", op: "hide", page: entry.id });
  }

  // ---- navigation ---------------------------------------------------------------------------

  hasPage(route) {
    return Object.hasOwn(this.manifest.pages, route);
  }

  assetUrl(path) {
    const key = String(path || "").replace(/^\//, "");
    return key && Object.hasOwn(this.manifest.assets, key) ? bundleUrl(this.manifest.assets[key]) : "";
  }

  /** Navigations run one after another: a double tap cannot pass the stack limit. */
  serialNav(fn) {
    const run = this.navQueue.then(fn, fn);
    this.navQueue = run.catch(() => {});
    return run;
  }

  /** Loads what a page needs before anything on screen changes, so a failure changes nothing. */
  async preparePage(route) {
    await this.ensurePackage(route);
    await this.pageFiles(route);
  }

  checkTarget(api, from, url) {
    const target = resolveRoute(from, url);
    if (!this.hasPage(target.route)) throw { errMsg: `${api}:fail page "${target.route}" is not found` };
    return target;
  }

  async navigateTo({ url, from }) {
    const target = this.checkTarget("navigateTo", from, url);
    if (this.tabIndex(target.route) >= 0) throw { errMsg: "navigateTo:fail can not navigateTo a tabbar page" };
    if (this.stack.length >= MAX_STACK) throw { errMsg: "navigateTo:fail webview count limit exceed" };
    await this.preparePage(target.route);
    this.hide(this.top());
    await this.openPage(target.route, target.query, "navigateTo");
    return {};
  }

  async redirectTo({ url, from }) {
    const target = this.checkTarget("redirectTo", from, url);
    if (this.tabIndex(target.route) >= 0) throw { errMsg: "redirectTo:fail can not redirectTo a tabbar page" };
    await this.preparePage(target.route);
    const top = this.stack.pop();
    if (top) this.unload(top);
    await this.openPage(target.route, target.query, "redirectTo");
    return {};
  }

  async navigateBack({ delta }) {
    if (this.stack.length <= 1) throw { errMsg: "navigateBack:fail cannot navigate back at first page." };
    const count = Math.min(Math.max(1, delta || 1), this.stack.length - 1);
    for (let i = 0; i < count; i += 1) {
      const entry = this.stack.pop();
      if (entry.isTab) {
        this.hide(entry);
        this.tabPages.delete(entry.route);
      }
      this.unload(entry);
    }
    this.postStack();
    this.showTop();
    this.logic.post({ t: "page", op: "show", page: this.top().id });
    return {};
  }

  async switchTab({ url, from }) {
    const target = resolveRoute(from, url);
    if (!this.hasPage(target.route)) throw { errMsg: `switchTab:fail page "${target.route}" is not found` };
    if (this.tabIndex(target.route) < 0) throw { errMsg: "switchTab:fail can not switch to no-tabBar page" };
    if (!this.tabPages.has(target.route)) await this.preparePage(target.route);
    const current = this.top();
    // Every non-tab page closes; tab pages stay alive.
    while (this.stack.length > 0 && !this.top().isTab) this.unload(this.stack.pop());
    const base = this.stack.pop();
    if (base && base.route !== target.route) this.hide(base);
    if (current && current !== base && current.isTab) this.hide(current);
    const alive = this.tabPages.get(target.route);
    if (alive) {
      this.stack = [alive];
      this.postStack();
      this.showTop();
      if (alive !== base) this.logic.post({ t: "page", op: "show", page: alive.id });
      return {};
    }
    this.stack = [];
    await this.openPage(target.route, {}, "switchTab");
    return {};
  }

  async reLaunch({ url, from }) {
    const target = this.checkTarget("reLaunch", from, url);
    return this.replaceStack(target);
  }

  /** Every page closes (the kept tab pages too) and target ({route, query}) opens alone. */
  async replaceStack(target) {
    await this.preparePage(target.route);
    for (const entry of [...this.stack].reverse()) this.unload(entry);
    for (const entry of [...this.tabPages.values()]) if (this.pages.has(entry.id)) this.unload(entry);
    this.stack = [];
    this.tabPages.clear();
    await this.openPage(target.route, target.query, "reLaunch");
    return {};
  }

  tabTap(index) {
    const item = this.manifest.app.tabBar.list[index];
    const route = String(item.pagePath).replace(/^\//, "");
    const top = this.top();
    if (top && top.route === route) {
      this.logic.post({ t: "pageEvent", page: top.id, name: "tabItemTap", payload: { index, pagePath: route, text: item.text } });
      return;
    }
    this.serialNav(() => this.switchTab({ url: `/${route}`, from: "" })).then(() => {
      const now = this.top();
      if (now) this.logic.post({ t: "pageEvent", page: now.id, name: "tabItemTap", payload: { index, pagePath: route, text: item.text } });
    }, () => {});
  }

  async openMenu() {
    const hosted = await this.hostMenuItems();
    const choice = await this.chrome.showMenu([
      { id: "share", label: t("runtime.menu.share") },
      ...hosted,
      { id: "settings", label: t("runtime.menu.settings") },
      { id: "reenter", label: t("runtime.menu.reenter") },
    ]);
    const top = this.top();
    if (choice === "share" && top) this.logic.post({ t: "pageEvent", page: top.id, name: "shareAppMessage", payload: {} });
    if (choice === "reenter") this.restart();
    if (choice === "settings") openSettingsPage(this).catch((error) => this.onError({ message: `settings: ${error && error.errMsg ? error.errMsg : error}` }));
    if (choice !== null && hosted.some((item) => item.id === choice)) this.hostMenu.choose(choice, this);
  }

  /** The host's items for the ··· menu; none without a host menu, or if it fails to say. */
  async hostMenuItems() {
    if (!this.hostMenu) return [];
    try {
      const items = await this.hostMenu.items();
      return Array.isArray(items) ? items : [];
    } catch (error) {
      this.onError({ message: `host menu: ${error && error.message ? error.message : error}` });
      return [];
    }
  }

  // ---- lifecycle: background and hot start --------------------------------------------------

  /** The capsule's close: the app goes to the background (kept for a hot start). */
  close() {
    if (this.hiddenAt !== null) return;
    const top = this.top();
    if (top) this.hide(top);
    this.logic.post({ t: "app", op: "hide" });
    this.hiddenAt = Date.now();
    this.root.hidden = true;
    this.onExit();
  }

  /** Whether reopening now would be a hot start (left for under five minutes). */
  canResume(now = Date.now()) {
    return this.alive && this.hiddenAt !== null && now - this.hiddenAt < HOT_START_MS;
  }

  /**
   * Hot start. Opened without a path (WeChat's "A" scenes: Discover, recent apps) the app shows
   * the page it was left on; with a path ("B" scenes: a link, a shared card) the stack is
   * replaced by that page, as wx.reLaunch would.
   */
  resume({ scene = 1001, path, query } = {}) {
    this.hiddenAt = null;
    this.root.hidden = false;
    const route = String(path || "").replace(/^\//, "").replace(/\.html$/, "");
    const target = route && this.hasPage(route) ? { route, query: { ...(query || {}) } } : null;
    this.logic.post({ t: "app", op: "show", options: { scene, path: route || this.top()?.route || "", query: query || {} } });
    const top = this.top();
    if (target) this.serialNav(() => this.replaceStack(target)).catch(() => {});
    else if (top) this.logic.post({ t: "page", op: "show", page: top.id });
  }

  restart() {
    const options = { appid: this.appid, build: this.build, userKey: this.userKey, onExit: this.onExit, onError: this.onError, onLog: this.onLog, onOpenCode: this.onOpenCode, hostMenu: this.hostMenu, envVersion: this.envVersion };
    if (this.stage) options.stage = this.stage;
    else options.root = this.root;
    const root = this.root;
    this.destroy();
    if (!this.stage) root.hidden = false;
    else root.remove();
    return MiniProgram.launch({ ...options, path: "", query: {}, scene: 1001 }).then((program) => {
      this.onRestart && this.onRestart(program);
      return program;
    });
  }

  /** Runs `fn` when the app is destroyed (an API family's sockets, listeners, overlays). */
  onDestroy(fn) {
    this.cleanups.push(fn);
  }

  /** A push to the logic layer (`hostEvent`: network status, theme, socket frames, …). */
  pushEvent(name, payload) {
    if (this.alive && this.logic) this.logic.post({ t: "hostEvent", name, payload: payload || {} });
  }

  destroy() {
    if (!this.alive) return;
    this.alive = false;
    for (const fn of this.cleanups.splice(0)) {
      try {
        fn();
      } catch (error) {
        console.error(error);
      }
    }
    for (const entry of this.pages.values()) entry.view.destroy();
    if (this.spareView) this.spareView.destroy();
    this.spareView = null;
    this.pages.clear();
    this.stack = [];
    this.logic.destroy();
    this.chrome?.destroy();
    this.root.replaceChildren();
  }

  // ---- messages ----------------------------------------------------------------------------

  fromLogic(m) {
    switch (m.t) {
      case "ops": {
        const entry = this.pages.get(m.page);
        if (m.seq === 1) performance.mark("miniapp:first-ops");
        if (!entry || !Number.isInteger(m.seq) || !Array.isArray(m.ops)) return this.reject("ops");
        entry.view.post({ t: "ops", seq: m.seq, ops: m.ops });
        return undefined;
      }
      case "call":
        if (!Number.isInteger(m.id) || typeof m.api !== "string" || !m.args || typeof m.args !== "object") return this.reject("call");
        this.answer(m.id, m.api, m.args);
        return undefined;
      case "storage":
        this.persist(m);
        return undefined;
      case "log":
        this.onLog({ level: String(m.level), args: Array.isArray(m.args) ? m.args.map(String) : [] , layer: "logic" });
        return undefined;
      case "error":
        this.onError({ layer: "logic", kind: String(m.kind), message: String(m.message), stack: String(m.stack || ""), file: String(m.file || ""), line: Number(m.line) || 0 });
        return undefined;
      case "booted":
        return undefined;
      case "toView": {
        // The page channel: the app's logic layer to one of the app's own page views, in order
        // with the render ops (docs/runtime.md "Logic ⇄ view").
        const entry = this.pages.get(m.page);
        const transfer = tunnelTransfer(m.transfer);
        if (!entry || !m.msg || typeof m.msg !== "object" || typeof m.msg.k !== "string" || transfer === null) return this.reject("toView");
        entry.view.post({ t: "fromLogic", msg: m.msg, transfer }, transfer);
        return undefined;
      }
      case "inspected": {
        const waiting = this.inspections.get(m.id);
        if (waiting) {
          this.inspections.delete(m.id);
          waiting(m.data ?? null);
        }
        return undefined;
      }
      case "pageReady": {
        const entry = this.pages.get(m.page);
        if (entry) {
          this.root.dispatchEvent(new CustomEvent("miniapp:ready", { bubbles: true, detail: { route: entry.route, at: performance.now(), tap: this.timing.tap } }));
        }
        return undefined;
      }
      default:
        return this.reject(m.t);
    }
  }

  reject(what) {
    rejected += 1;
    console.warn(`bridge: rejected message (${what})`);
  }

  fromView(entry, m) {
    switch (m.t) {
      case "applied":
        if (!Number.isInteger(m.seq)) return this.reject("applied");
        this.logic.post({ t: "applied", page: entry.id, seq: m.seq });
        if (!entry.ready) {
          entry.ready = true;
          this.firstRender(entry);
        }
        return undefined;
      case "event":
        if (!Number.isInteger(m.id) || typeof m.type !== "string") return this.reject("event");
        this.logic.post({
          t: "event",
          page: entry.id,
          id: m.id,
          type: m.type,
          detail: m.detail === undefined ? {} : m.detail,
          touches: Array.isArray(m.touches) ? m.touches : [],
          changedTouches: Array.isArray(m.changedTouches) ? m.changedTouches : [],
          timeStamp: Number(m.timeStamp) || 0,
          offset: m.offset && typeof m.offset === "object" ? m.offset : { left: 0, top: 0 },
        });
        return undefined;
      case "pageEvent":
        if (!["pullDownRefresh", "reachBottom", "pageScroll"].includes(m.name)) return this.reject("pageEvent");
        this.logic.post({ t: "pageEvent", page: entry.id, name: m.name, payload: m.payload && typeof m.payload === "object" ? m.payload : {} });
        return undefined;
      case "toLogic": {
        const transfer = tunnelTransfer(m.transfer);
        if (!m.msg || typeof m.msg !== "object" || typeof m.msg.k !== "string" || transfer === null) return this.reject("toLogic");
        this.logic.post({ t: "fromView", page: entry.id, msg: m.msg, transfer }, transfer);
        return undefined;
      }
      case "error":
        this.onError({ layer: "view", kind: "script", message: String(m.message), stack: String(m.stack || ""), file: entry.route, line: 0 });
        return undefined;
      default:
        // Page-level components the host draws (container/webview.js: web-view, navigation-bar).
        if (Object.hasOwn(WEBVIEW_VIEW_HANDLERS, m.t)) return WEBVIEW_VIEW_HANDLERS[m.t].call(this, entry, m);
        return undefined;
    }
  }

  firstRender(entry) {
    // Frames for later (the next page's, the next launch's) load only now, when the browser is
    // idle: made during the launch they would compete with it for the CPU.
    whenIdle(() => {
      if (entry.afterRender) entry.afterRender();
      if (this.prewarmNext && this.alive) {
        this.prewarmNext = false;
        prewarm(this.stage);
      }
    });
    performance.mark("miniapp:first-applied");
    const now = performance.now();
    this.logic.post({ t: "pageEvent", page: entry.id, name: "firstRender", payload: { start: this.timing.tap, duration: now - this.timing.tap } });
    for (const listener of this.readyListeners.splice(0)) listener(entry, now);
    this.root.dispatchEvent(new CustomEvent("miniapp:pagerender", { detail: { route: entry.route, at: now, tap: this.timing.tap } }));
  }

  persist(m) {
    if (!["set", "remove", "clear"].includes(m.op) || (m.op !== "clear" && typeof m.key !== "string")) return this.reject("storage");
    // Writes go in order, after the storage is open (a write may come before the launch is done).
    const done = this.storageOpened.then((storage) =>
      m.op === "set" ? storage.set(m.key, m.value) : m.op === "remove" ? storage.remove(m.key) : storage.clear(),
    );
    done.catch((error) => this.onError({ layer: "host", kind: "storage", message: String(error && error.message), stack: "", file: "", line: 0 }));
    return undefined;
  }

  async answer(id, name, args) {
    let reply;
    try {
      const handler = Object.hasOwn(HOST_APIS, name) ? HOST_APIS[name] : null;
      if (!handler) throw { errMsg: `${name}:fail not supported` };
      const result = await handler.call(this, args);
      reply = { t: "reply", id, ok: true, result: result || {} };
    } catch (error) {
      const errMsg = error && typeof error.errMsg === "string" ? error.errMsg : `${name}:fail ${error && error.message ? error.message : String(error)}`;
      reply = { t: "reply", id, ok: false, errMsg };
    }
    if (this.alive) this.logic.post(reply);
  }
}

// What a page-channel message may transfer: pixels and bytes, nothing that opens a channel.
function tunnelTransfer(list) {
  if (list === undefined) return [];
  if (!Array.isArray(list) || list.length > 16) return null;
  for (const item of list) {
    if (!(item instanceof ImageBitmap) && !(item instanceof ArrayBuffer)) return null;
  }
  return list;
}

function str(value, fallback = "") {
  return typeof value === "string" ? value : fallback;
}

function requireTabBar(self, api, index) {
  const tabBar = self.manifest.app.tabBar;
  // As WeChat: only while a tab page is on top (not in App.onLaunch, not on other pages).
  if (!tabBar || !self.top() || !self.top().isTab) throw { errMsg: `${api}:fail not TabBar page` };
  if (index !== undefined && (!Number.isInteger(index) || index < 0 || index >= tabBar.list.length)) {
    throw { errMsg: `${api}:fail tabbar item not found` };
  }
}

// The wx APIs the host answers. `this` is the MiniProgram.
const HOST_APIS = {
  showToast(a) {
    this.chrome.showToast({ title: str(a.title), icon: str(a.icon, "success"), image: this.assetUrl(a.image), duration: Number(a.duration) || 1500, mask: Boolean(a.mask) });
  },
  hideToast() {
    this.chrome.hideToast();
  },
  showLoading(a) {
    this.chrome.showLoading({ title: str(a.title), mask: Boolean(a.mask) });
  },
  hideLoading() {
    this.chrome.hideLoading();
  },
  showModal(a) {
    return this.chrome.showModal({
      title: str(a.title),
      content: str(a.content),
      showCancel: a.showCancel !== false,
      cancelText: a.cancelText === undefined ? undefined : str(a.cancelText),
      cancelColor: a.cancelColor === undefined ? undefined : str(a.cancelColor),
      confirmText: a.confirmText === undefined ? undefined : str(a.confirmText),
      confirmColor: a.confirmColor === undefined ? undefined : str(a.confirmColor),
      editable: Boolean(a.editable),
      placeholderText: str(a.placeholderText),
    });
  },
  async showActionSheet(a) {
    if (!Array.isArray(a.itemList) || a.itemList.length === 0 || a.itemList.length > 6) {
      throw { errMsg: "showActionSheet:fail parameter error: itemList should have 1 to 6 items" };
    }
    try {
      return await this.chrome.showActionSheet({ itemList: a.itemList.map(String), itemColor: str(a.itemColor), alertText: str(a.alertText) });
    } catch {
      throw { errMsg: "showActionSheet:fail cancel" };
    }
  },
  setNavigationBarTitle(a) {
    const top = this.top();
    if (top) top.title = str(a.title);
    this.showTop();
  },
  setNavigationBarColor(a) {
    if (a.frontColor !== "#ffffff" && a.frontColor !== "#000000") {
      throw { errMsg: "setNavigationBarColor:fail invalid frontColor" };
    }
    const top = this.top();
    if (top) {
      top.frontColor = a.frontColor;
      top.backgroundColor = str(a.backgroundColor, top.config.navigationBarBackgroundColor || "#000000");
    }
    this.showTop();
  },
  showNavigationBarLoading() {
    const top = this.top();
    if (top) top.navLoading = true;
    this.showTop();
  },
  hideNavigationBarLoading() {
    const top = this.top();
    if (top) top.navLoading = false;
    this.showTop();
  },
  startPullDownRefresh() {
    const top = this.top();
    if (top) top.view.post({ t: "pullDownRefresh", active: true });
  },
  stopPullDownRefresh() {
    for (const entry of this.stack) entry.view.post({ t: "pullDownRefresh", active: false });
  },
  pageScrollTo(a) {
    const top = this.top();
    if (top) top.view.post({ t: "scrollTo", scrollTop: Number(a.scrollTop) || 0, duration: Number(a.duration ?? 300) || 0 });
  },
  setTabBarBadge(a) {
    requireTabBar(this, "setTabBarBadge", a.index);
    this.chrome.setTabBarBadge(a.index, str(a.text));
  },
  removeTabBarBadge(a) {
    requireTabBar(this, "removeTabBarBadge", a.index);
    this.chrome.removeTabBarBadge(a.index);
  },
  showTabBarRedDot(a) {
    requireTabBar(this, "showTabBarRedDot", a.index);
    this.chrome.showTabBarRedDot(a.index);
  },
  hideTabBarRedDot(a) {
    requireTabBar(this, "hideTabBarRedDot", a.index);
    this.chrome.hideTabBarRedDot(a.index);
  },
  setTabBarItem(a) {
    requireTabBar(this, "setTabBarItem", a.index);
    const asset = (p) => this.assetUrl(p) || undefined;
    this.chrome.setTabBarItem(a.index, { text: a.text === undefined ? undefined : str(a.text), iconUrl: asset(a.iconPath), selectedIconUrl: asset(a.selectedIconPath) });
  },
  setTabBarStyle(a) {
    requireTabBar(this, "setTabBarStyle");
    this.chrome.setTabBarStyle({ color: a.color, selectedColor: a.selectedColor, backgroundColor: a.backgroundColor, borderStyle: a.borderStyle });
  },
  showTabBar(a) {
    requireTabBar(this, "showTabBar");
    this.tabBarHidden = false;
    this.chrome.showTabBar({ animation: Boolean(a.animation) });
  },
  hideTabBar() {
    requireTabBar(this, "hideTabBar");
    this.tabBarHidden = true;
    this.chrome.hideTabBar();
  },
  navigateTo(a) {
    return this.serialNav(() => this.navigateTo({ url: str(a.url), from: str(a.from) }));
  },
  redirectTo(a) {
    return this.serialNav(() => this.redirectTo({ url: str(a.url), from: str(a.from) }));
  },
  switchTab(a) {
    return this.serialNav(() => this.switchTab({ url: str(a.url), from: str(a.from) }));
  },
  reLaunch(a) {
    return this.serialNav(() => this.reLaunch({ url: str(a.url), from: str(a.from) }));
  },
  navigateBack(a) {
    return this.serialNav(() => this.navigateBack({ delta: Number(a.delta) || 1 }));
  },
  exitMiniProgram() {
    setTimeout(() => this.close(), 0);
  },
  async request(a) {
    // WeChat runs at most 10 requests of an app at once.
    if (this.requestsInFlight >= MAX_REQUESTS) throw { errMsg: "request:fail exceed max task count" };
    this.requestsInFlight += 1;
    try {
      const data = a.data && typeof a.data === "object" && typeof a.data.base64 === "string" ? a.data.base64 : a.data;
      return await api.post(`/api/runtime/apps/${encodeURIComponent(this.appid)}/request`, {
        url: str(a.url),
        method: str(a.method, "GET"),
        header: a.header && typeof a.header === "object" ? Object.fromEntries(Object.entries(a.header).map(([k, v]) => [k, String(v)])) : {},
        data: data === undefined || data === null ? null : String(data),
        dataEncoding: a.data && typeof a.data === "object" && a.data.base64 ? "base64" : "text",
        responseType: a.responseType === "arraybuffer" ? "arraybuffer" : "text",
        timeout: Number.isFinite(a.timeout) ? a.timeout : null,
      });
    } catch (error) {
      if (error instanceof ApiError) {
        // The proxy's refusals carry WeChat's text for `fail` as params.errMsg.
        const errMsg = error.params ? error.params.errMsg : undefined;
        throw { errMsg: typeof errMsg === "string" ? errMsg : `request:fail ${error.code || error.message}` };
      }
      throw error;
    } finally {
      this.requestsInFlight -= 1;
    }
  },
  async shareAppMessage(a) {
    await this.chrome.showModal({
      title: t("runtime.share.title"),
      content: `${str(a.title)}\n${str(a.path)}`,
      showCancel: false,
    });
  },
};

// The API families' host sides (container/apis/*.js), each an object of the same shape.
for (const family of [CONSENT_APIS, DEVICE_APIS, FILE_APIS, LOGIN_APIS, MEDIA_APIS, NETWORK_APIS, SCAN_APIS, SUBSCRIBE_APIS]) {
  for (const [name, handler] of Object.entries(family)) {
    if (Object.hasOwn(HOST_APIS, name)) throw new Error(`host API ${name} is defined twice`);
    HOST_APIS[name] = handler;
  }
}
