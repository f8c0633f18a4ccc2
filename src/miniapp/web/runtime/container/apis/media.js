// Host side of the media wx APIs: merged into the container's HOST_APIS (`this` is the MiniProgram;
// a handler takes the call's args and returns its result or throws {errMsg}).
//
// previewImage: WeChat opens a full-screen viewer over the mini program. Here it is an overlay in
// the app's chrome (black, the image fitted, "n / N", previous / next by swipe, buttons or arrow
// keys, a tap or Escape closes it). The app's URLs are untrusted: only its package's files (as
// bundle URLs) and https: / data:image URLs are shown, set as <img src> (never as HTML).
//
// A long press on the image (held 600 ms, or the context menu: a right click, the menu key)
// offers "Recognise code", as WeChat's viewer does: one of our mini-program codes opens its
// mini program through the host (`MiniProgram.onOpenCode`) with scene 1048 (A, B) or 1012 (C);
// other codes show their text. The decoder loads only then (shared/scanner.js).
//
// The choosers (chooseImage, chooseMedia, chooseLocation, saveImageToPhotosAlbum) are in
// choosers.js, part of this family.

import { CHOOSER_APIS } from "/static/runtime/container/apis/choosers.js";
import { paramError } from "/static/runtime/container/apis/device.js";
import { localizeAttribute, t } from "/static/shared/i18n.js";

const MAX_URLS = 1000;
const SWIPE_PX = 40;
const LONG_PRESS_MS = 600;
const TAP_PX = 10;

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

  // A tap closes the viewer (as in WeChat); a horizontal swipe pages instead; a press held still
  // offers to recognise a code in the image.
  let start = null;
  let pressTimer = null;
  const endPress = () => {
    clearTimeout(pressTimer);
    pressTimer = null;
  };
  const longPress = () => {
    endPress();
    start = null; // the finger lifting afterwards is not a tap
    offerRecognise(program, image);
  };
  stage.addEventListener("pointerdown", (event) => {
    if (event.button !== 0) return; // a right click is the context menu's, below
    start = { x: event.clientX, y: event.clientY };
    endPress();
    pressTimer = setTimeout(longPress, LONG_PRESS_MS);
  });
  stage.addEventListener("pointermove", (event) => {
    if (start && Math.hypot(event.clientX - start.x, event.clientY - start.y) >= TAP_PX) endPress();
  });
  stage.addEventListener("pointerup", (event) => {
    endPress();
    if (!start) return;
    const dx = event.clientX - start.x;
    const dy = event.clientY - start.y;
    start = null;
    if (Math.abs(dx) >= SWIPE_PX && Math.abs(dx) > Math.abs(dy)) show(current + (dx < 0 ? 1 : -1));
    else if (Math.abs(dx) < TAP_PX && Math.abs(dy) < TAP_PX) closeViewer(program);
  });
  stage.addEventListener("pointercancel", () => {
    endPress();
    start = null;
  });
  layer.addEventListener("contextmenu", (event) => {
    event.preventDefault();
    longPress();
  });
  previous.addEventListener("click", () => show(current - 1));
  next.addEventListener("click", () => show(current + 1));
  close.addEventListener("click", () => closeViewer(program));
  // On the document: a paging button the user just pressed may have hidden itself (at either
  // end), taking the focus out of the viewer.
  const onKey = (event) => {
    // While the recognise sheet (or its answer) is up, the keys are the sheet's.
    if (program.previewViewer && program.previewViewer.asking) return;
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
  program.previewViewer = { layer, returnFocus, onKey, asking: false, endPress };
  program.chrome.el.append(layer);
  layer.focus();
}

function closeViewer(program) {
  const viewer = program.previewViewer;
  if (!viewer) return;
  program.previewViewer = null;
  viewer.endPress();
  document.removeEventListener("keydown", viewer.onKey, true);
  viewer.layer.remove();
  if (viewer.returnFocus && viewer.returnFocus.isConnected && typeof viewer.returnFocus.focus === "function") viewer.returnFocus.focus();
}

/**
 * The long press: a sheet offering "Recognise code", then what the image holds. The sheet and
 * the answers are the chrome's dialogs, drawn over the viewer meanwhile (`is-asking`).
 */
async function offerRecognise(program, image) {
  const viewer = program.previewViewer;
  if (!viewer || viewer.asking) return;
  viewer.asking = true;
  viewer.layer.classList.add("is-asking");
  try {
    const choice = await program.chrome.showActionSheet({ itemList: [t("runtime.preview.recognise")] }).catch(() => null);
    if (choice && program.previewViewer === viewer) await recognise(program, viewer, image);
  } finally {
    viewer.asking = false;
    viewer.layer.classList.remove("is-asking");
  }
}

async function recognise(program, viewer, image) {
  let found;
  try {
    await image.decode();
    const { decodePicture } = await import("/static/shared/scanner.js");
    found = await decodePicture(image);
  } catch {
    // Not loaded, or another origin's image whose pixels the page may not read.
    found = undefined;
  }
  if (program.previewViewer !== viewer || !program.alive) return;
  if (!found) {
    const key = found === null ? "runtime.preview.no_code" : "runtime.preview.unreadable";
    await program.chrome.showModal({ title: "", content: t(key), showCancel: false });
    return;
  }
  const { codeRoute, parseCodeUrl } = await import("/static/shared/code-urls.js");
  const code = parseCodeUrl(found.text);
  if (code && program.onOpenCode) {
    const target = codeRoute(code, "longpress");
    // This app's own home page: named, so the host relaunches the app there.
    if (code.appid === program.appid && !target.path) target.path = program.manifest.app.entryPagePath;
    closeViewer(program);
    program.onOpenCode(target);
    return;
  }
  await program.chrome.showModal({ title: t("runtime.preview.code_title"), content: found.text, showCancel: false });
}

export const MEDIA_APIS = {
  ...CHOOSER_APIS,
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
