// The simulator (`miniapp dev`, page /dev). The project's latest good build runs in a phone-sized
// screen, mounted exactly as the host mounts a mini program; whenever the server publishes a new
// build (GET /api/dev/build long-polls), a good one is relaunched at the page the developer is
// on, and a broken one leaves the last good app running while its errors go to the Console.
// Beside the phone: Console (compile diagnostics, runtime errors of both layers with file and
// line, the app's console output), AppData (the current page's data and its components') and
// Storage (what the app stored for the simulator's user).
//
// `/dev?path=pages/x/y&query=a%3D1` opens that page at launch (scene 1001).

import { api } from "/static/shared/api.js";
import { localize, t, translateTree } from "/static/shared/i18n.js";
import { MiniProgram, parseQuery, prewarm } from "/static/runtime/container/container.js";
import { openAppStorage } from "/static/runtime/container/storage.js";

const USER_KEY = "dev"; // the simulator's user: its storage is kept apart from the host's users
const SCENE = 1001;
const REFRESH_MS = 500;
const INSPECT_TIMEOUT_MS = 2000;
const MAX_ENTRIES = 1000;
const RETRY_MS = [500, 1000, 2000, 5000];
const LEVELS = new Set(["log", "info", "warn", "error", "debug"]);
const SOURCES = {
  compile: "dev.source.compile",
  logic: "dev.source.logic",
  view: "dev.source.view",
  host: "dev.source.host",
  simulator: "dev.source.simulator",
};
const PANELS = ["console", "appdata", "storage"];

const $ = (id) => document.getElementById(id);

const state = {
  build: null, // the latest build the server published
  target: { path: "", query: {} }, // where a launch without a running app opens
  running: null, // {program}
  queue: Promise.resolve(), // launches, one after another
  panel: "console",
  unread: 0,
  shownData: null,
  shownStorage: null,
  inspecting: null, // the running app an AppData request is out for
};

// ---- helpers -----------------------------------------------------------------------------------

function delay(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function withTimeout(promise, ms) {
  return Promise.race([promise, delay(ms).then(() => undefined)]);
}

function position(file, line, column) {
  if (!file) return "";
  if (!line) return file;
  return column ? `${file}:${line}:${column}` : `${file}:${line}`;
}

function queryText(query) {
  return Object.entries(query || {})
    .map(([key, value]) => (value === "" ? key : `${key}=${value}`))
    .join("&");
}

function json(value) {
  return JSON.stringify(value === undefined ? null : value, null, 2);
}

// ---- console -----------------------------------------------------------------------------------

function addEntry({ level, source, where = "", code = "", message = "", stack = "" }) {
  const list = $("console-list");
  const panel = $("panel-console");
  const atBottom = panel.scrollTop + panel.clientHeight >= panel.scrollHeight - 8;
  const item = document.createElement("li");
  item.className = "dev-log";
  item.dataset.level = level;
  item.dataset.source = source;
  const tag = document.createElement("span");
  tag.className = "dev-log-source";
  localize(tag, SOURCES[source] || SOURCES.simulator);
  item.append(tag);
  for (const [text, name] of [[where, "dev-log-where"], [code, "dev-log-code"], [message, "dev-log-message"]]) {
    if (!text) continue;
    const span = document.createElement("span");
    span.className = name;
    span.textContent = text;
    item.append(span);
  }
  if (stack) {
    const details = document.createElement("details");
    details.className = "dev-log-stack";
    const summary = document.createElement("summary");
    localize(summary, "dev.console.stack");
    const pre = document.createElement("pre");
    pre.textContent = stack;
    details.append(summary, pre);
    item.append(details);
  }
  list.append(item);
  while (list.childElementCount > MAX_ENTRIES) list.firstElementChild.remove();
  $("console-empty").hidden = true;
  if (atBottom) panel.scrollTop = panel.scrollHeight;
  if (level === "error" && state.panel !== "console") {
    state.unread += 1;
    showUnread();
  }
}

function showUnread() {
  const badge = $("console-unread");
  badge.hidden = state.unread === 0;
  if (state.unread) {
    badge.textContent = String(state.unread);
    badge.setAttribute("aria-label", t("dev.console.unread", { count: state.unread }));
  }
}

function clearConsole() {
  $("console-list").replaceChildren();
  $("console-empty").hidden = false;
}

function runtimeError(error) {
  const layer = SOURCES[error.layer] ? error.layer : "host";
  const where = position(error.file, error.line);
  const kind = error.kind && error.kind !== "script" ? `${error.kind}: ` : "";
  addEntry({ level: "error", source: layer, where, message: `${kind}${error.message}`, stack: error.stack || "" });
  console.error(`[${layer}] ${where ? `${where} ` : ""}${kind}${error.message}`);
}

function runtimeLog(entry) {
  const level = LEVELS.has(entry.level) ? entry.level : "log";
  const source = SOURCES[entry.layer] ? entry.layer : "logic";
  addEntry({ level, source, message: (entry.args || []).join(" ") });
}

function reportBuild(build) {
  if (build.ok) {
    addEntry({ level: "info", source: "compile", message: t("dev.console.build_ok", { rev: build.rev, ms: build.durationMs }) });
    return;
  }
  const key = build.bundle ? "dev.console.build_failed" : "dev.console.build_failed_none";
  addEntry({ level: "error", source: "compile", message: t(key, { rev: build.rev, count: build.diagnostics.length }) });
  for (const item of build.diagnostics) {
    const where = position(item.file, item.line, item.line ? item.column || 1 : 0);
    addEntry({ level: "error", source: "compile", where, code: item.code, message: item.message });
    console.error(`${where ? `${where} ` : ""}${item.code} ${item.message}`);
  }
}

// ---- the phone ---------------------------------------------------------------------------------

function showScreenMessage(key, { reopen = false } = {}) {
  localize($("screen-message-text"), key);
  $("reopen-button").hidden = !reopen;
  $("screen-message").hidden = false;
}

function hideScreenMessage() {
  $("screen-message").hidden = true;
}

function stopApp() {
  const running = state.running;
  if (!running) return;
  state.running = null;
  running.program.destroy();
  if (running.program.root) running.program.root.remove();
}

/** The page to relaunch at: the running app's current page, else the launch target. */
function currentTarget() {
  const page = state.running && state.running.program.alive ? state.running.program.currentPage() : null;
  return page ? { path: page.route, query: page.query } : state.target;
}

/** The capsule menu's "re-enter" replaces the program: the panels follow the new one. */
function follow(program) {
  program.onRestart = (next) => {
    if (!state.running || state.running.program !== program) return;
    state.running = { program: next };
    follow(next);
    refreshPanel();
  };
}

/** Relaunch at `target` ({path, query}), or, when null, at the page the app is on by the time
 * the launches queued before this one are done. */
function launch(target) {
  state.queue = state.queue
    .then(() => relaunch(target || currentTarget()))
    .catch((error) => console.error(`the simulator failed to relaunch: ${error && error.message}`));
  return state.queue;
}

async function relaunch({ path, query }) {
  const build = state.build;
  if (!build || !build.bundle) return;
  stopApp();
  hideScreenMessage();
  // As the host does: the launch takes the pre-warmed app root and frames made in the stage.
  // Never from cached launch information: every build brings a new manifest.
  const program = new MiniProgram({
    appid: build.appid,
    stage: $("stage"),
    userKey: USER_KEY,
    onExit: () => showScreenMessage("dev.screen.closed", { reopen: true }),
    onError: runtimeError,
    onLog: runtimeLog,
    // wx.getAccountInfoSync().miniProgram.envVersion, as in WeChat's devtools.
    envVersion: "develop",
  });
  const running = { program };
  state.running = running;
  follow(program);
  state.shownData = null;
  try {
    await program.start({ path, query: { ...query }, scene: SCENE, timing: { tap: performance.now() } });
  } catch (error) {
    if (state.running === running) stopApp();
    const message = error && error.message ? error.message : String(error);
    addEntry({ level: "error", source: "simulator", message: t("dev.console.launch_failed", { message }) });
    console.error(`the mini program could not start: ${message}`);
    showScreenMessage("dev.screen.launch_failed");
    return;
  }
  fillPageList(program.manifest);
  const wanted = String(path || "").replace(/^\//, "").replace(/\.html$/, "");
  if (wanted && !program.manifest.pages[wanted]) {
    addEntry({ level: "warn", source: "simulator", message: t("dev.console.page_not_found", { path: wanted }) });
  }
  refreshPanel();
}

function fillPageList(manifest) {
  const list = $("page-list");
  list.replaceChildren();
  for (const route of Object.keys((manifest && manifest.pages) || {})) {
    const option = document.createElement("option");
    option.value = route;
    list.append(option);
  }
}

// ---- builds ------------------------------------------------------------------------------------

function showStatus(build) {
  const status = $("build-status");
  if (build.rev === 0) {
    status.dataset.state = "building";
    localize(status, "dev.status.building");
  } else if (build.ok) {
    status.dataset.state = "ok";
    localize(status, "dev.status.ok", { rev: build.rev, ms: build.durationMs });
  } else {
    status.dataset.state = "failed";
    localize(status, "dev.status.failed", { rev: build.rev, count: build.diagnostics.length });
  }
  localize(document.querySelector("title"), "dev.title_app", { name: build.name });
  $("app-name").textContent = [build.name, build.appid].join(" · ");
}

function newBuild(build) {
  const first = state.build === null;
  state.build = build;
  if (build.rev === 0) return;
  reportBuild(build);
  if (build.ok) {
    launch(first ? state.target : null);
  } else if (!state.running && build.bundle) {
    launch(state.target); // the page opened while the build is broken: run the last good one
  } else if (!build.bundle) {
    showScreenMessage("dev.screen.no_build");
  }
}

async function followBuilds() {
  let after = -1;
  let failures = 0;
  for (;;) {
    let build;
    try {
      build = await api.get(`/api/dev/build?after=${after}`);
    } catch {
      const status = $("build-status");
      status.dataset.state = "offline";
      localize(status, "dev.status.offline");
      await delay(RETRY_MS[Math.min(failures, RETRY_MS.length - 1)]);
      failures += 1;
      after = -1; // the server may have restarted: take whatever it has now
      continue;
    }
    failures = 0;
    const known = state.build;
    showStatus(build);
    if (!known || build.rev !== known.rev || build.bundle !== known.bundle) newBuild(build);
    after = build.rev;
  }
}

// ---- AppData -----------------------------------------------------------------------------------

function renderAppData(page, data) {
  const key = data ? JSON.stringify([page, data]) : "";
  if (key === state.shownData) return;
  state.shownData = key;
  $("appdata-empty").hidden = Boolean(data);
  $("appdata-content").hidden = !data;
  const caption = $("appdata-route");
  if (!data || !page) {
    caption.replaceChildren();
    return;
  }
  const query = queryText(page.query);
  localize(caption, "dev.appdata.route", { route: query ? `${page.route}?${query}` : page.route });
  $("appdata-page").textContent = json(data.page);
  const components = Array.isArray(data.components) ? data.components : [];
  localize($("appdata-components-title"), "dev.appdata.components", { count: components.length });
  const box = $("appdata-components");
  const closed = new Set([...box.querySelectorAll("details:not([open])")].map((node) => node.dataset.key));
  box.replaceChildren();
  components.forEach((component, index) => {
    const label = `${component.is}${component.id ? `#${component.id}` : ""}`;
    const details = document.createElement("details");
    details.className = "dev-component";
    details.dataset.key = `${index}:${label}`;
    details.open = !closed.has(details.dataset.key);
    const summary = document.createElement("summary");
    summary.textContent = label;
    const pre = document.createElement("pre");
    pre.className = "dev-json";
    pre.textContent = json(component.data);
    details.append(summary, pre);
    box.append(details);
  });
}

async function refreshAppData() {
  const running = state.running;
  if (!running || !running.program.alive) {
    renderAppData(null, null);
    return;
  }
  if (state.inspecting === running) return;
  state.inspecting = running;
  try {
    const data = await withTimeout(running.program.inspect(), INSPECT_TIMEOUT_MS);
    if (state.running !== running || data === undefined) return;
    renderAppData(running.program.currentPage(), data);
  } finally {
    if (state.inspecting === running) state.inspecting = null;
  }
}

// ---- Storage -----------------------------------------------------------------------------------

async function appStorage() {
  return state.build ? openAppStorage({ userKey: USER_KEY, appid: state.build.appid }) : null;
}

async function refreshStorage() {
  const storage = await appStorage();
  if (!storage) return;
  const [entries, info] = await Promise.all([storage.snapshot(), storage.info()]);
  const keys = Object.keys(entries).sort();
  const shown = JSON.stringify([entries, info]);
  if (shown === state.shownStorage) return;
  state.shownStorage = shown;
  localize($("storage-summary"), "dev.storage.summary", {
    count: keys.length,
    size: info.currentSize,
    limit: info.limitSize,
    user: USER_KEY,
  });
  $("storage-empty").hidden = keys.length > 0;
  $("storage-table").hidden = keys.length === 0;
  const rows = keys.map((key) => {
    const row = document.createElement("tr");
    const name = document.createElement("td");
    name.textContent = key;
    const value = document.createElement("td");
    value.textContent = json(entries[key]);
    row.append(name, value);
    return row;
  });
  $("storage-rows").replaceChildren(...rows);
}

async function clearStorage() {
  const storage = await appStorage();
  if (!storage) return;
  await storage.clear();
  addEntry({ level: "info", source: "simulator", message: t("dev.console.storage_cleared") });
  // The running app keeps its own copy of its storage: it starts again from the empty one.
  if (state.running) await launch(null);
  await refreshStorage();
}

// ---- panels ------------------------------------------------------------------------------------

function refreshPanel() {
  const work = state.panel === "appdata" ? refreshAppData() : state.panel === "storage" ? refreshStorage() : null;
  if (work) {
    work.catch((error) => {
      console.error(`the ${state.panel} panel could not be refreshed: ${error && error.message}`);
    });
  }
}

function selectPanel(name, { focus = false } = {}) {
  state.panel = name;
  for (const panel of PANELS) {
    const tab = $(`tab-${panel}`);
    const selected = panel === name;
    tab.setAttribute("aria-selected", String(selected));
    tab.tabIndex = selected ? 0 : -1;
    $(`panel-${panel}`).hidden = !selected;
    if (selected && focus) tab.focus();
  }
  if (name === "console") {
    state.unread = 0;
    showUnread();
  }
  refreshPanel();
}

function bindTabs() {
  const tabs = $("tab-console").parentElement;
  tabs.addEventListener("click", (event) => {
    const tab = event.target.closest("[role=tab]");
    if (tab) selectPanel(tab.id.replace("tab-", ""));
  });
  tabs.addEventListener("keydown", (event) => {
    const moves = { ArrowRight: 1, ArrowLeft: -1, Home: -PANELS.length, End: PANELS.length };
    if (!(event.key in moves)) return;
    event.preventDefault();
    const index = PANELS.indexOf(state.panel) + moves[event.key];
    selectPanel(PANELS[Math.max(0, Math.min(PANELS.length - 1, index))], { focus: true });
  });
}

// ---- toolbar -----------------------------------------------------------------------------------

function readTargetFromUrl() {
  const params = new URLSearchParams(window.location.search);
  const path = params.get("path") || "";
  const query = params.get("query") || "";
  $("path-input").value = path;
  $("query-input").value = query;
  state.target = { path, query: parseQuery(query) };
}

function bindToolbar() {
  $("open-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const path = $("path-input").value.trim();
    const query = $("query-input").value.trim().replace(/^\?/, "");
    state.target = { path, query: parseQuery(query) };
    const params = new URLSearchParams();
    if (path) params.set("path", path);
    if (query) params.set("query", query);
    const search = params.toString();
    window.history.replaceState(null, "", `${window.location.pathname}${search ? `?${search}` : ""}`);
    launch(state.target);
  });
  $("reload-button").addEventListener("click", () => launch(null));
  $("reopen-button").addEventListener("click", () => {
    if (!state.running) return;
    hideScreenMessage();
    state.running.program.resume({ scene: SCENE });
  });
  $("console-clear").addEventListener("click", clearConsole);
  $("appdata-refresh").addEventListener("click", () => refreshAppData());
  $("storage-refresh").addEventListener("click", () => {
    state.shownStorage = null;
    refreshStorage();
  });
  $("storage-clear").addEventListener("click", () => {
    clearStorage().catch((error) => console.error(`the storage could not be cleared: ${error && error.message}`));
  });
}

function start() {
  translateTree(document);
  readTargetFromUrl();
  bindTabs();
  bindToolbar();
  prewarm($("stage")); // the runtime loads while the first build status is fetched
  setInterval(() => {
    if (!document.hidden) refreshPanel();
  }, REFRESH_MS);
  followBuilds();
}

start();
