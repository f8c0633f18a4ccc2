// Mini programs in the host: the Discover list, opening one full-screen in the container, and
// hot start (an app closed less than five minutes ago resumes with its state; after that it
// starts cold). The route `#app/<appid>` (optionally `?path=pages/x/y&query=a%3D1&scene=1001`)
// opens one; closing returns to where the user was. `&build=trial` or `&build=<version id>` (a
// preview link from the console) opens that build instead of the release, for the app's members.
// Every entry, cold or hot, is reported to the server with its scene (recents, analytics).

import { api } from "/static/shared/api.js";
import { currentUser } from "/static/shared/account.js";
import { HOT_START_MS, MiniProgram, prewarm } from "/static/runtime/container/container.js";
import { bindMyApps, favouriteMenu, refreshMyApps } from "/static/host/my-apps.js";
import { hostHash, parseQuery } from "/static/shared/code-urls.js";

const $ = (id) => document.getElementById(id);
const running = new Map(); // appid → MiniProgram
let current = null;
const starting = new WeakMap(); // MiniProgram → its start(), until it has started
let openedFromHost = false;

function stage() {
  return $("miniapp-stage");
}

/** Parses `#app/<appid>?path=…&query=…&scene=…&build=…`; null for other routes. */
export function appRoute(hash = window.location.hash) {
  const match = /^#app\/([^?]+)(?:\?(.*))?$/.exec(hash);
  if (!match) return null;
  let appid;
  try {
    appid = decodeURIComponent(match[1]);
  } catch {
    return null; // a malformed link names no app
  }
  const params = new URLSearchParams(match[2] || "");
  // The page gets the query's values as written, not URL-decoded, as WeChat hands them over
  // (and as wx.navigateTo's do): a B code's `scene` arrives encoded, for the page to decode.
  const query = parseQuery(params.get("query") || "");
  return { appid, path: params.get("path") || "", query, scene: Number(params.get("scene")) || 1001, build: params.get("build") || null };
}

function userKey() {
  const user = currentUser();
  return user ? `user:${user.id}` : "anonymous";
}

async function open(route, tap) {
  const root = stage();
  root.hidden = false;
  document.body.classList.add("miniapp-open");
  const existing = running.get(route.appid);
  const build = route.build || null;
  if (existing && existing.userKey === userKey() && existing.build === build && existing.canResume()) {
    current = existing;
    existing.resume({ scene: route.scene, path: route.path, query: route.query });
    recordLaunch(existing, { scene: route.scene, path: route.path, hot: true });
    return;
  }
  if (existing) {
    existing.destroy();
    existing.root.remove();
    running.delete(route.appid);
  }
  const program = new MiniProgram({
    appid: route.appid,
    build,
    stage: root,
    cachedLaunch: true,
    userKey: userKey(),
    onExit: () => exit(),
    onError: (error) => console.error(`[mini program ${route.appid}] ${error.file ? `${error.file}:${error.line} ` : ""}${error.message}`),
    onLog: () => {},
    // "Add to / Remove from My mini programs" in the capsule's menu: the release only.
    hostMenu: build ? null : favouriteMenu(route.appid),
    // A code recognised inside the app (long-press in wx.previewImage) opens through the route; a
    // "develop" code names no version, so its own URL is opened (the server resolves it).
    onOpenCode: (target) => {
      if (target.build === "develop") window.location.assign(target.url);
      else window.location.hash = hostHash(target);
    },
  });
  running.set(route.appid, program);
  current = program;
  // The capsule's "re-enter" replaces the program: the host follows it.
  program.onRestart = (next) => {
    next.onRestart = program.onRestart;
    running.set(route.appid, next);
    if (current === program) current = next;
    recordLaunch(next, { scene: 1001, path: "", hot: false });
  };
  const started = program.start({ path: route.path, query: route.query, scene: route.scene, timing: { tap } });
  starting.set(program, started);
  try {
    await started;
    recordLaunch(program, { scene: route.scene, path: route.path, hot: false });
  } catch (error) {
    running.delete(route.appid);
    program.destroy();
    program.root?.remove();
    if (current === program) {
      exit();
      showLaunchError(error);
    }
  } finally {
    starting.delete(program);
  }
}

/**
 * Tells the server about an entry into `program`, cold or hot, once it shows (its recents and
 * analytics). Never awaited, so it cannot delay the app; `keepalive` lets it finish even if the
 * page is left right away. The rows on Discover are refreshed once it is recorded.
 */
function recordLaunch(program, { scene, path, hot }) {
  if (!program.alive) return; // closed before it showed: no entry
  const body = { appid: program.appid, scene, path: path || program.currentPage()?.route || "", hot };
  if (program.build) body.build = program.build;
  api.post("/api/discovery/launches", body, { keepalive: true }).then(
    () => refreshMyApps(),
    (error) => console.warn(`[mini program ${program.appid}] launch not recorded: ${error.code || error}`),
  );
}

function showLaunchError(error) {
  const box = $("discover-error");
  if (!box) return;
  box.hidden = false;
  box.textContent = error && error.message ? error.message : String(error);
}

let switching = false;

// An app in the background is kept for a hot start, then let go.
const expiry = new Map(); // appid → timer

function expireLater(program) {
  clearTimeout(expiry.get(program.appid));
  expiry.set(
    program.appid,
    setTimeout(() => {
      expiry.delete(program.appid);
      if (running.get(program.appid) !== program || current === program) return;
      running.delete(program.appid);
      program.destroy();
      program.root?.remove();
    }, HOT_START_MS),
  );
}

function exit() {
  if (current) expireLater(current);
  if (switching) return;
  const root = stage();
  for (const child of root.children) child.hidden = true;
  prewarm(root);
  root.hidden = true;
  document.body.classList.remove("miniapp-open");
  current = null;
  if (appRoute()) {
    if (openedFromHost) {
      openedFromHost = false;
      window.history.back();
    } else {
      window.location.hash = "#discover";
    }
  }
}

/** Opens a mini program from a tap in the host (keeps the host page to come back to), at `path`
 * (its home page when empty) with `query` (as the page gets it) and the entry's WeChat scene;
 * `build` ("trial" or a version's id) opens that build instead of the release. */
export function launchFromHost(appid, tap, { path = "", scene = 1001, query = {}, build = null } = {}) {
  openedFromHost = true;
  window.history.pushState(null, "", hostHash({ appid, path, query, scene, build }));
  return open({ appid, path, query: { ...query }, scene, build: build || null }, tap);
}

/** Handles the current URL: opens the app the hash names (a direct link), if any. */
export function routeChanged() {
  const route = appRoute();
  if (route && current && current.appid === route.appid && current.build === (route.build || null) && route.path) {
    // A link to a page of the app already open: WeChat relaunches it there; an app still
    // starting (its pages not known yet) once it has started.
    const program = current;
    const relaunch = () => {
      if (current !== program || !program.alive) return;
      program.resume({ scene: route.scene, path: route.path, query: route.query });
      recordLaunch(program, { scene: route.scene, path: route.path, hot: true });
    };
    const started = starting.get(program);
    if (started) started.then(relaunch, () => {});
    else relaunch();
    return null;
  }
  if (route && current && (current.appid !== route.appid || current.build !== (route.build || null))) {
    // A link to another mini program (or another build of this one): this one goes to the
    // background (kept for a hot start).
    switching = true;
    try {
      current.close();
    } finally {
      switching = false;
    }
    current = null;
  }
  if (route && !current) return open(route, performance.now());
  if (!route && current) current.close();
  return null;
}

export async function loadDiscover() {
  const list = $("app-list");
  if (!list) return;
  bindMyApps({ open: launchFromHost });
  const data = await api.get("/api/runtime/apps");
  list.replaceChildren();
  for (const app of data.apps) {
    const item = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "app-entry";
    button.dataset.appid = app.appid;
    const icon = document.createElement("span");
    icon.className = "app-entry-icon";
    icon.setAttribute("aria-hidden", "true");
    icon.textContent = Array.from(app.name.trim())[0] ?? "";
    const name = document.createElement("span");
    name.className = "app-entry-name";
    name.textContent = app.name;
    button.append(icon, name);
    button.addEventListener("click", (event) => launchFromHost(app.appid, event.timeStamp));
    item.append(button);
    list.append(item);
  }
  $("discover-empty").hidden = data.apps.length > 0;
  list.hidden = data.apps.length === 0;
  $("app-list-heading").hidden = data.apps.length === 0;
  // The runtime starts while the user looks at the list, so a tap does not wait for it.
  prewarm(stage());
}
