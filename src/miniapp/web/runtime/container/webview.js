// The host's side of the page-level components a view cannot draw itself: web-view (a web page
// over the whole mini-program page, as WeChat shows it) and navigation-bar (page-meta's child,
// which sets the host's navigation bar). The view reports them (docs/runtime.md, "Host ⇄ view":
// `webview` and `navigationBar`); the container hands those messages to VIEW_HANDLERS here, with
// `this` the MiniProgram and `entry` the page the message's port belongs to.
//
// web-view:
//  - the address must be https and on one of the app's registered web-view domains (exact host
//    and port, as request domains match), never this server's own host; the simulator (launch
//    information `urlCheck: false`, dev mode) skips the list and also allows plain http, as
//    WeChat's devtools with "do not verify domains" do. A refused address shows WeChat's "cannot
//    open this page" notice and fires binderror {src};
//  - the frame is `<iframe sandbox="allow-scripts allow-same-origin allow-forms">`: the site runs at
//    its own origin (never ours: same-host addresses are refused), may run scripts and submit
//    forms, and cannot open popups, navigate the host or reach it (no allow-top-navigation);
//  - it covers the page's frame while that page is current, and goes with the page;
//  - bindload {src} on each load of the frame;
//  - the page talks to the mini program through /static/runtime/jssdk/jweixin.js:
//    `window.parent.postMessage({t: "miniprogram", v: 1, id, api, args})`, accepted only from the
//    frame's own window. postMessage({data}) messages are kept and delivered to bindmessage
//    {data: [every message so far]} at WeChat's moments: when the page goes back (the web-view's
//    page is closed) and when the web-view is removed. navigateTo / redirectTo / switchTab /
//    reLaunch / navigateBack({delta}) navigate the mini program (while its page is on top);
//    getEnv answers {miniprogram: true} after the host's hello.

import { t } from "/static/shared/i18n.js";

const SANDBOX = "allow-scripts allow-same-origin allow-forms";
const MAX_MESSAGES = 100;
const MAX_MESSAGE_BYTES = 64 * 1024;
const MAX_TITLE = 200;
const HEX = /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/;
const NAV_APIS = new Set(["navigateTo", "redirectTo", "switchTab", "reLaunch", "navigateBack"]);

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/**
 * Whether a web-view may show `src`: null when it may, else the reason (for the console).
 * `domains`: the app's registered web-view domains (host or host:port); `urlCheck`: false in the
 * simulator (skips the list, allows http); `hostOrigin`: this server's origin, never allowed.
 */
export function webviewRefusal(src, { domains = [], urlCheck = true, hostOrigin = "" } = {}) {
  if (typeof src !== "string" || src === "" || src.length > 4096) return "invalid url";
  let url;
  try {
    url = new URL(src);
  } catch {
    return "invalid url";
  }
  const schemes = urlCheck ? ["https:"] : ["https:", "http:"];
  if (!schemes.includes(url.protocol)) return "scheme not allowed";
  if (url.username || url.password) return "credentials in url";
  let host;
  try {
    host = new URL(hostOrigin);
  } catch {
    host = null;
  }
  // Our own origin, framed with allow-same-origin, could reach into the host: never.
  if (host && url.origin === host.origin) return "host origin";
  if (urlCheck) {
    if (host && url.hostname === host.hostname) return "host origin";
    if (LOOPBACK.test(url.hostname) || /^[\d.]+$/.test(url.hostname) || url.hostname.startsWith("[")) {
      return "address not allowed";
    }
    const port = url.port || "443";
    const listed = (domains || []).some((entry) => {
      const text = String(entry).trim().toLowerCase().replace(/^https:\/\//, "").replace(/\/$/, "");
      const i = text.lastIndexOf(":");
      const name = i > 0 ? text.slice(0, i) : text;
      const entryPort = i > 0 ? text.slice(i + 1) : "443";
      return name === url.hostname && entryPort === port;
    });
    if (!listed) return "url not in domain list";
  }
  return null;
}

// ---- the frames ------------------------------------------------------------------------------

function postEvent(program, entry, id, type, detail) {
  if (!program.alive || !program.pages.has(entry.id)) return;
  program.logic.post({
    t: "event",
    page: entry.id,
    id,
    type,
    detail,
    touches: [],
    changedTouches: [],
    timeStamp: Math.round(performance.now()),
    offset: { left: 0, top: 0 },
  });
}

function listen(program) {
  if (program.webviewListener) return;
  const onMessage = (event) => {
    for (const entry of program.pages.values()) {
      const web = entry.webview;
      if (web && web.frame && event.source === web.frame.contentWindow && event.source !== null) {
        fromPage(program, entry, web, event);
        return;
      }
    }
  };
  window.addEventListener("message", onMessage);
  program.webviewListener = onMessage;
  program.onDestroy(() => {
    window.removeEventListener("message", onMessage);
    program.webviewListener = null;
  });
}

function reply(web, event, message) {
  const target = event.origin && event.origin !== "null" ? event.origin : "*";
  try {
    event.source.postMessage({ t: "miniprogram", v: 1, ...message }, target);
  } catch {
    /* the frame navigated away meanwhile */
  }
}

// A message from the web page (jweixin.js). Only shapes we know; nothing else is read.
function fromPage(program, entry, web, event) {
  const m = event.data;
  if (!m || typeof m !== "object" || m.t !== "miniprogram" || m.v !== 1 || typeof m.api !== "string") return;
  const args = m.args && typeof m.args === "object" ? m.args : {};
  const id = Number.isInteger(m.id) ? m.id : null;
  const answer = (ok, errMsg) => id !== null && reply(web, event, { id, ok, errMsg });
  if (m.api === "hello") {
    reply(web, event, { env: "miniprogram" });
    return;
  }
  if (m.api === "postMessage") {
    let text;
    try {
      text = JSON.stringify(args.data === undefined ? null : args.data);
    } catch {
      text = undefined;
    }
    if (text === undefined || text.length > MAX_MESSAGE_BYTES || web.messages.length >= MAX_MESSAGES) {
      answer(false, "postMessage:fail invalid data");
      return;
    }
    web.messages.push(JSON.parse(text));
    answer(true, "postMessage:ok");
    return;
  }
  if (NAV_APIS.has(m.api)) {
    const name = m.api;
    if (program.top() !== entry) {
      answer(false, `${name}:fail the web-view's page is not shown`);
      return;
    }
    const url = typeof args.url === "string" ? args.url : "";
    const run =
      name === "navigateBack"
        ? () => program.navigateBack({ delta: Number(args.delta) || 1 })
        : () => program[name]({ url, from: entry.route });
    program.serialNav(run).then(
      () => answer(true, `${name}:ok`),
      (error) => answer(false, error && typeof error.errMsg === "string" ? error.errMsg : `${name}:fail`),
    );
    return;
  }
  answer(false, `${m.api.slice(0, 40)}:fail not supported`);
}

function removeWebView(program, entry, deliver) {
  const web = entry.webview;
  if (!web) return;
  entry.webview = null;
  // "When the page goes back or the component is destroyed": every message posted so far.
  if (deliver && web.messages.length > 0) postEvent(program, entry, web.id, "message", { data: web.messages.slice() });
  web.wrap.remove();
}

function showWebView(program, entry, id, src) {
  let web = entry.webview;
  if (web && web.id !== id) {
    console.warn("web-view: a page can have only one web-view; this one is not shown");
    return;
  }
  if (!web) {
    const wrap = document.createElement("div");
    wrap.className = "miniapp-webview";
    entry.view.frame.after(wrap);
    web = { id, src: "", wrap, frame: null, messages: [] };
    entry.webview = web;
    listen(program);
  }
  if (src === web.src) return;
  web.src = src;
  const refusal = webviewRefusal(src, {
    domains: program.webviewDomains || [],
    urlCheck: program.webviewUrlCheck !== false,
    hostOrigin: window.location.origin,
  });
  if (refusal !== null) {
    web.frame = null;
    const notice = document.createElement("div");
    notice.className = "miniapp-webview-refused";
    notice.setAttribute("role", "alert");
    const title = document.createElement("p");
    title.className = "miniapp-webview-refused-title";
    title.textContent = t("runtime.webview.refused");
    const detail = document.createElement("p");
    detail.className = "miniapp-webview-refused-url";
    detail.textContent = t("runtime.webview.refused_url", { url: src.slice(0, 300) });
    notice.append(title, detail);
    web.wrap.replaceChildren(notice);
    console.warn(`web-view: cannot open ${src.slice(0, 200)}: ${refusal}`);
    postEvent(program, entry, id, "error", { src });
    return;
  }
  const frame = document.createElement("iframe");
  frame.className = "miniapp-webview-frame";
  frame.setAttribute("sandbox", SANDBOX);
  frame.setAttribute("referrerpolicy", "strict-origin-when-cross-origin");
  frame.setAttribute("allow", "");
  frame.title = "web-view";
  frame.addEventListener("load", () => {
    if (entry.webview === web && web.frame === frame) postEvent(program, entry, id, "load", { src: web.src });
  });
  frame.src = src;
  web.frame = frame;
  web.wrap.replaceChildren(frame);
}

/** The page `entry` is closing (navigated back from, redirected, relaunched). */
export function closeWebView(program, entry) {
  removeWebView(program, entry, true);
}

function str(value, max) {
  return typeof value === "string" ? value.slice(0, max) : undefined;
}

/** View → host messages of these components; `this` is the MiniProgram. */
export const WEBVIEW_VIEW_HANDLERS = {
  webview(entry, m) {
    if (!Number.isInteger(m.id) || (m.src !== null && typeof m.src !== "string")) return this.reject("webview");
    if (m.src === null || m.src === "") {
      if (entry.webview && entry.webview.id === m.id) removeWebView(this, entry, true);
      return undefined;
    }
    showWebView(this, entry, m.id, m.src);
    return undefined;
  },

  // navigation-bar: as setNavigationBarTitle / setNavigationBarColor / show|hideNavigationBarLoading
  // for the page the view belongs to.
  navigationBar(entry, m) {
    const title = str(m.title, MAX_TITLE);
    const front = m.frontColor === "#ffffff" || m.frontColor === "#000000" ? m.frontColor : undefined;
    const background = typeof m.backgroundColor === "string" && HEX.test(m.backgroundColor) ? m.backgroundColor : undefined;
    if (title !== undefined) entry.title = title;
    if (typeof m.loading === "boolean") entry.navLoading = m.loading;
    if (front !== undefined || background !== undefined) {
      entry.frontColor = front || entry.frontColor || (entry.config.navigationBarTextStyle === "white" ? "#ffffff" : "#000000");
      entry.backgroundColor = background || entry.backgroundColor || entry.config.navigationBarBackgroundColor || "#000000";
    }
    if (this.top() !== entry) return undefined;
    const a = m.animation && typeof m.animation === "object" ? m.animation : null;
    const duration = a && Number.isFinite(a.duration) ? Math.max(0, Math.min(a.duration, 10000)) : 0;
    if (duration > 0 && (front !== undefined || background !== undefined)) {
      // showTop() would first put the page config's colours back (no transition): only what changed.
      this.chrome.setNavigationBar({
        title: entry.title,
        loading: Boolean(entry.navLoading),
        frontColor: entry.frontColor,
        backgroundColor: entry.backgroundColor,
        animation: { duration, timingFunc: String(a.timingFunc) },
      });
    } else this.showTop();
    return undefined;
  },
};
