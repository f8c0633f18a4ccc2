// Our mini-program codes, read back in the browser (docs/entry-points.md "Mini-program codes" and
// "Scanning"). A code holds a URL on our public origin,
//   <origin>/mp/<appid>?k=<a|b|c>&p=<page>&q=<query string>&s=<scene>&v=<trial|develop>
// (`p` omitted for the home page, `q` only for A and C, `s` only for B, `v` omitted for the
// release). discovery/code_urls.py builds the same URL and answers `GET /mp/...` with the host
// route; this module is what the host's scanner and wx.scanCode make of a scanned text.

const APPID = /^[A-Za-z0-9_-]{1,32}$/;
const KINDS = ["a", "b", "c"];
const BUILDS = ["trial", "develop"];

// WeChat's scenes by how a code was read: a mini-program code (A, B) or a plain QR code (C).
const SCENES = {
  camera: { code: 1047, qr: 1011 },
  album: { code: 1049, qr: 1013 },
  longpress: { code: 1048, qr: 1012 },
};

/** A query string as WeChat hands it to a page: split on & and =, values not URL-decoded. */
export function parseQuery(text) {
  const query = {};
  for (const pair of String(text || "").split("&")) {
    if (!pair) continue;
    const i = pair.indexOf("=");
    query[i < 0 ? pair : pair.slice(0, i)] = i < 0 ? "" : pair.slice(i + 1);
  }
  return query;
}

/** The inverse of parseQuery: `a=1&b=2`, values as they are. */
export function queryString(query) {
  return Object.entries(query || {})
    .map(([key, value]) => `${key}=${value}`)
    .join("&");
}

/**
 * What a scanned text says if it is one of our codes, else null: {appid, kind ("a" | "b" | "c"),
 * page ("" for the home page), query (the object the page gets), scene (a B code's raw scene;
 * "" for A and C), build (null for the release, "trial" or "develop"), url}.
 * Only a URL on `origin` (the page's own) counts: a code naming another server is just a link.
 * As the server's parse_code_params, a URL we would not make is none of ours: an appid of another
 * shape, an unknown kind or version, a page with a query, a B code without a scene or with a
 * query, an A or C code with a scene, a repeated parameter. Unknown parameters are ignored.
 */
export function parseCodeUrl(text, origin = window.location.origin) {
  let url;
  try {
    url = new URL(String(text).trim());
  } catch {
    return null;
  }
  if (url.origin !== origin || url.username || url.password) return null;
  const match = /^\/mp\/([^/]+)$/.exec(url.pathname);
  const params = url.searchParams;
  const names = [...params.keys()];
  if (!match || new Set(names).size !== names.length) return null;
  const appid = match[1];
  const kind = params.get("k");
  const build = params.get("v");
  if (!APPID.test(appid) || !KINDS.includes(kind) || (build !== null && !BUILDS.includes(build))) return null;
  const page = (params.get("p") || "").replace(/^\/+/, "");
  const search = params.get("q") || "";
  const scene = params.get("s") || "";
  if (/[?#]/.test(page) || (kind === "b" && (search || !scene)) || (kind !== "b" && scene)) return null;
  // A B code's page gets `scene` URI-encoded, exactly as WeChat gives it, so the page's
  // decodeURIComponent(options.scene) is the scene the back end asked for.
  const query = kind === "b" ? { scene: encodeURIComponent(scene) } : parseQuery(search);
  return { appid, kind, page, query, scene, build, url: url.href };
}

/** The scene a code opens with, by how it was read: "camera", "album" or "longpress". */
export function codeScene(code, how) {
  const scenes = SCENES[how] || SCENES.camera;
  return code.kind === "c" ? scenes.qr : scenes.code;
}

/**
 * Where a code leads in the host: {appid, path, query, scene, build, url}. A "develop" code
 * names no version (the server resolves it to the newest upload when its URL is opened).
 */
export function codeRoute(code, how) {
  return { appid: code.appid, path: code.page, query: { ...code.query }, scene: codeScene(code, how), build: code.build, url: code.url };
}

/** The host's hash route for a launch (web/host/miniprograms.js `appRoute` reads it). */
export function hostHash({ appid, path = "", query = {}, scene = 1001, build = null }) {
  const params = new URLSearchParams();
  if (path) params.set("path", path);
  const search = queryString(query);
  if (search) params.set("query", search);
  if (scene !== 1001) params.set("scene", String(scene));
  if (build) params.set("build", build);
  const text = params.toString();
  return `#app/${encodeURIComponent(appid)}${text ? `?${text}` : ""}`;
}

/** A code's page and query as wx.scanCode's `path` gives it ("pages/a/a?scene=…"). */
export function codePath(code, entryPage) {
  const search = queryString(code.query);
  return `${code.page || entryPage}${search ? `?${search}` : ""}`;
}
