// Host side of the media wx APIs: merged into the container's HOST_APIS (`this` is the MiniProgram;
// a handler takes the call's args and returns its result or throws {errMsg}).
//
// previewImage: WeChat opens a full-screen viewer over the mini program. Here it is an overlay in
// the app's chrome (black, the image fitted, "n / N", previous / next by swipe, buttons or arrow
// keys, a tap or Escape closes it). The app's URLs are untrusted: only its package's files (as
// bundle URLs) and https: / data:image URLs are shown, set as <img src> (never as HTML).

import { paramError } from "/static/runtime/container/apis/device.js";
import { localizeAttribute } from "/static/shared/i18n.js";

const MAX_URLS = 1000;
const SWIPE_PX = 40;

/** An image URL the host may show, or "" (package paths become bundle URLs). */
function imageUrl(program, raw) {
  const value = String(raw).trim();
  if (/^data:image\/(?:png|jpe?g|gif|webp|avif|bmp);base64,[A-Za-z0-9+/=\s]*$/i.test(value)) return value;
  if (/^https:\/\//i.test(value)) {
    try {
      const url = new URL(value);
      return url.protocol === "https:" && !url.username && !url.password ? url.href : "";
    } catch {
      return "";
    }
  }
  if (/^[a-z][a-z0-9+.-]*:/i.test(value)) return "";
  return program.assetUrl(value);
}

function element(tag, className, attributes = {}) {
  const node = document.createElement(tag);
  node.className = className;
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  return node;
}

/** The viewer; one per app at a time (a second previewImage replaces the first). */
function openViewer(program, urls, index) {
  closeViewer(program);
  const layer = element("div", "mpc-preview", { role: "dialog", "aria-modal": "true", tabindex: "-1" });
  localizeAttribute(layer, "aria-label", "runtime.preview.title");
  const stage = element("div", "mpc-preview-stage");
  const image = element("img", "mpc-preview-image", { alt: "", draggable: "false", referrerpolicy: "no-referrer" });
  stage.append(image);
  const counter = element("div", "mpc-preview-counter", { "aria-live": "polite" });
  const previous = element("button", "mpc-preview-button mpc-preview-previous", { type: "button" });
  localizeAttribute(previous, "aria-label", "runtime.preview.previous");
  const next = element("button", "mpc-preview-button mpc-preview-next", { type: "button" });
  localizeAttribute(next, "aria-label", "runtime.preview.next");
  const close = element("button", "mpc-preview-button mpc-preview-close", { type: "button" });
  localizeAttribute(close, "aria-label", "runtime.preview.close");
  layer.append(stage, counter, previous, next, close);

  let current = index;
  const show = (i) => {
    current = Math.max(0, Math.min(urls.length - 1, i));
    image.classList.remove("is-broken");
    image.src = urls[current] || "";
    image.dataset.index = String(current);
    counter.textContent = [current + 1, urls.length].join(" / "); // numbers, not words
    counter.hidden = urls.length < 2;
    previous.hidden = current === 0;
    next.hidden = current === urls.length - 1;
  };
  image.addEventListener("error", () => image.classList.add("is-broken"));

  // A tap closes the viewer (as in WeChat); a horizontal swipe pages instead.
  let start = null;
  stage.addEventListener("pointerdown", (event) => {
    start = { x: event.clientX, y: event.clientY };
  });
  stage.addEventListener("pointerup", (event) => {
    if (!start) return;
    const dx = event.clientX - start.x;
    const dy = event.clientY - start.y;
    start = null;
    if (Math.abs(dx) >= SWIPE_PX && Math.abs(dx) > Math.abs(dy)) show(current + (dx < 0 ? 1 : -1));
    else if (Math.abs(dx) < 10 && Math.abs(dy) < 10) closeViewer(program);
  });
  stage.addEventListener("pointercancel", () => {
    start = null;
  });
  previous.addEventListener("click", () => show(current - 1));
  next.addEventListener("click", () => show(current + 1));
  close.addEventListener("click", () => closeViewer(program));
  // On the document: a paging button the user just pressed may have hidden itself (at either
  // end), taking the focus out of the viewer.
  const onKey = (event) => {
    if (event.key === "ArrowLeft") show(current - 1);
    else if (event.key === "ArrowRight") show(current + 1);
    else if (event.key === "Escape") closeViewer(program);
    else return;
    event.preventDefault();
    event.stopPropagation();
  };
  document.addEventListener("keydown", onKey, true);

  show(index);
  const returnFocus = document.activeElement;
  program.previewViewer = { layer, returnFocus, onKey };
  program.chrome.el.append(layer);
  layer.focus();
}

function closeViewer(program) {
  const viewer = program.previewViewer;
  if (!viewer) return;
  program.previewViewer = null;
  document.removeEventListener("keydown", viewer.onKey, true);
  viewer.layer.remove();
  if (viewer.returnFocus && viewer.returnFocus.isConnected && typeof viewer.returnFocus.focus === "function") viewer.returnFocus.focus();
}

export const MEDIA_APIS = {
  previewImage(a) {
    if (!Array.isArray(a.urls)) throw paramError("previewImage", "urls", "Array", a.urls);
    if (a.urls.length === 0 || a.urls.length > MAX_URLS) throw { errMsg: "previewImage:fail parameter error: parameter.urls should not be empty;" };
    if (!a.urls.every((url) => typeof url === "string")) throw { errMsg: "previewImage:fail parameter error: parameter.urls should be Array of String;" };
    if (a.current !== undefined && typeof a.current !== "string" && typeof a.current !== "number") {
      throw paramError("previewImage", "current", "String", a.current);
    }
    const urls = a.urls.map((url) => imageUrl(this, url));
    // `current` is one of the urls (WeChat); a number is taken as an index, as some apps pass.
    let index = typeof a.current === "number" ? Math.floor(a.current) : a.urls.indexOf(a.current);
    if (!(index >= 0 && index < urls.length)) index = 0;
    if (!this.previewCleanup) {
      this.previewCleanup = true;
      this.onDestroy(() => closeViewer(this));
    }
    openViewer(this, urls, index);
  },
};
