// <miniapp-launch appid="wx…" path="pages/x/x" query="a=1&b=2" env-version="release">: a button
// any web page can show to open a mini program in this platform's host, as WeChat's
// <wx-open-launch-weapp> does on a web page. The mini program starts at `path` (its home page
// without one) with `query`, and WeChat's scene 1167; env-version "trial" or "develop" opens that
// build (the app's members only, as every preview). Anything inside the element is the button's
// label; without it the button says "Open mini program".
//
//   <script type="module" src="https://<this platform>/static/host/launch-button.js"></script>
//   <miniapp-launch appid="wx0123456789abcdef" path="pages/item/item" query="id=42">
//     Open in the app
//   </miniapp-launch>
//
// The host is wherever this script came from (import.meta.url), so the page may be on any
// origin; the server sends this one file with CORS headers for that. It imports nothing. Before
// leaving the page the element fires a cancelable `launch` event whose detail.url is where it
// goes; target="_blank" opens the host in a new tab instead of this one.

export const LAUNCH_SCENE = 1167;
const HOST_ORIGIN = new URL(import.meta.url).origin;
const BUILDS = new Set(["trial", "develop"]);
// The platform's translation table is not loaded on a foreign page: the default label carries
// its own two languages, chosen by the page's language, else the browser's.
const DEFAULT_LABELS = { en: "Open mini program", zh: "打开小程序" };

const STYLE = `
:host { display: inline-block; }
:host([hidden]) { display: none; }
button {
  font: inherit;
  min-height: 40px;
  padding: 8px 20px;
  border: 0;
  border-radius: 8px;
  background: #07c160;
  color: #fff;
  cursor: pointer;
}
button:hover { background: #06ad56; }
button:focus-visible { outline: 2px solid #1a73e8; outline-offset: 2px; }
button:disabled { opacity: 0.5; cursor: default; }
`;

/** The host's route for a launch: `<origin>/#app/<appid>?path=…&query=…&scene=1167[&build=…]`.
 * A path may carry its own query (`pages/a/a?x=1`, as WeChat's open tag takes it), a leading
 * "/" and a trailing ".html"; both queries are kept. */
export function launchUrl({ appid, path = "", query = "", envVersion = "release" }, origin = HOST_ORIGIN) {
  let page = path.replace(/^\//, "");
  const queries = [];
  const mark = page.indexOf("?");
  if (mark >= 0) {
    queries.push(page.slice(mark + 1));
    page = page.slice(0, mark);
  }
  page = page.replace(/\.html$/, "");
  queries.push(query.replace(/^\?/, ""));
  const search = queries.filter(Boolean).join("&");
  const params = new URLSearchParams();
  if (page) params.set("path", page);
  if (search) params.set("query", search);
  params.set("scene", String(LAUNCH_SCENE));
  if (BUILDS.has(envVersion)) params.set("build", envVersion);
  return `${origin}/#app/${encodeURIComponent(appid)}?${params}`;
}

function defaultLabel() {
  const lang = document.documentElement.lang || navigator.language || "";
  return lang.toLowerCase().startsWith("zh") ? DEFAULT_LABELS.zh : DEFAULT_LABELS.en;
}

function styleSheet() {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(STYLE);
  return sheet;
}

export class MiniappLaunch extends HTMLElement {
  static observedAttributes = ["appid", "disabled"];

  constructor() {
    super();
    const root = this.attachShadow({ mode: "open" });
    root.adoptedStyleSheets = [styleSheet()];
    this.button = document.createElement("button");
    this.button.type = "button";
    this.button.setAttribute("part", "button");
    const label = document.createElement("slot");
    label.append(defaultLabel());
    this.button.append(label);
    this.button.addEventListener("click", () => this.launch());
    root.append(this.button);
  }

  connectedCallback() {
    this.update();
  }

  attributeChangedCallback() {
    this.update();
  }

  update() {
    this.button.disabled = !this.getAttribute("appid") || this.hasAttribute("disabled");
  }

  /** Where the button goes; null without an appid. */
  get url() {
    const appid = this.getAttribute("appid");
    if (!appid) return null;
    return launchUrl({
      appid,
      path: this.getAttribute("path") || "",
      query: this.getAttribute("query") || "",
      envVersion: this.getAttribute("env-version") || "release",
    });
  }

  launch() {
    const url = this.url;
    if (!url || this.hasAttribute("disabled")) return;
    const event = new CustomEvent("launch", { cancelable: true, detail: { url } });
    if (!this.dispatchEvent(event)) return;
    if (this.getAttribute("target") === "_blank") window.open(url, "_blank", "noopener");
    else window.location.assign(url);
  }
}

if (!customElements.get("miniapp-launch")) customElements.define("miniapp-launch", MiniappLaunch);
