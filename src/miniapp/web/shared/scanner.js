// The scanner: a modal dialog that reads a QR code from the camera, frame by frame, or from a
// picture the user chooses (docs/entry-points.md "Scanning"). Used by the host's Discover → Scan
// (host/scan.js), wx.scanCode (runtime/container/apis/scan.js) and the long-press on an image in
// wx.previewImage (container/apis/media.js, through decodePicture).
//
// The decoder (jsQR, vendored under host/vendor/) and the dialog's styles load when a scanner is
// first needed, never with the page. Without a camera (none, refused, or a page that is not a
// secure context) the dialog says why and the picture choice still works.

import { localize, localizeAttribute } from "/static/shared/i18n.js";

const DECODER = "/static/host/vendor/jsqr/jsqr-module.js";
const STYLES = "/static/shared/scanner.css";
// Camera frames are scaled down to this many pixels on their longer side before decoding: a
// code held up to a camera is large, and a small image decodes fast enough for every frame.
const CAMERA_SIDE = 640;
// A picture is read at up to this size, then once more smaller (a big, noisy photo of a code
// often decodes better scaled down).
const PICTURE_SIDES = [1600, 800];

/** What scan() rejects with when the user closes the scanner (Cancel, Escape). */
export class ScanCancelled extends Error {
  constructor() {
    super("cancel");
    this.name = "ScanCancelled";
  }
}

let decoder = null;

/** jsQR, loaded on first use. */
function loadDecoder() {
  if (!decoder) {
    decoder = import(DECODER).then((module) => module.default);
    decoder.catch(() => {
      decoder = null; // offline for a moment: the next scanner tries again
    });
  }
  return decoder;
}

let styles = null;

function loadStyles() {
  if (!styles) {
    styles = new Promise((resolve) => {
      const link = document.createElement("link");
      link.rel = "stylesheet";
      link.href = STYLES;
      // Unstyled is still usable: the dialog shows either way.
      link.addEventListener("load", resolve, { once: true });
      link.addEventListener("error", resolve, { once: true });
      document.head.append(link);
    });
  }
  return styles;
}

/** The pixels of `source` (anything drawImage takes), scaled to at most `side` on its longer side. */
function pixels(canvas, source, width, height, side) {
  const scale = Math.min(1, side / Math.max(width, height));
  canvas.width = Math.max(1, Math.round(width * scale));
  canvas.height = Math.max(1, Math.round(height * scale));
  const context = canvas.getContext("2d", { willReadFrequently: true });
  context.drawImage(source, 0, 0, canvas.width, canvas.height);
  return context.getImageData(0, 0, canvas.width, canvas.height);
}

function decoded(jsQR, image, inversionAttempts) {
  const found = jsQR(image.data, image.width, image.height, { inversionAttempts });
  return found ? { text: found.data, bytes: Uint8Array.from(found.binaryData) } : null;
}

/**
 * Reads the first QR code in a picture: a Blob (a chosen file) or a loaded <img>. Resolves
 * {text, bytes} or null when it holds no code; rejects when the picture cannot be read (not an
 * image, or another origin's image whose pixels the page may not read).
 */
export async function decodePicture(source) {
  const [jsQR, bitmap] = await Promise.all([loadDecoder(), createImageBitmap(source)]);
  try {
    const canvas = document.createElement("canvas");
    const longer = Math.max(bitmap.width, bitmap.height);
    for (const side of PICTURE_SIDES) {
      const found = decoded(jsQR, pixels(canvas, bitmap, bitmap.width, bitmap.height, side), "attemptBoth");
      if (found) return found;
      if (longer <= side) break; // the smaller size would be the same picture
    }
    return null;
  } finally {
    bitmap.close();
  }
}

function element(tag, className, attributes = {}) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  return node;
}

// Why the camera could not be used, by the getUserMedia error's name.
function cameraProblem(error) {
  switch (error && error.name) {
    case "NotAllowedError":
    case "SecurityError":
      return "scanner.camera_denied";
    case "NotFoundError":
    case "OverconstrainedError":
      return "scanner.camera_missing";
    case "NotReadableError":
    case "AbortError":
      return "scanner.camera_busy";
    default:
      return "scanner.camera_failed";
  }
}

let nextId = 1;
let showing = null; // the scanner on screen: one at a time

/**
 * Opens the scanner over the page. Resolves {text, bytes (Uint8Array), source: "camera" |
 * "album"} with the first code read; rejects with ScanCancelled when the user closes it.
 * `onlyFromCamera` hides the picture choice (wx.scanCode's option). A scanner already open is
 * cancelled first.
 */
export function scan({ onlyFromCamera = false } = {}) {
  if (showing) showing.finish(new ScanCancelled());
  return new Promise((resolve, reject) => {
    showing = new Scanner({ onlyFromCamera, resolve, reject });
    showing.show();
  });
}

class Scanner {
  constructor({ onlyFromCamera, resolve, reject }) {
    this.resolve = resolve;
    this.reject = reject;
    this.done = false;
    this.stream = null;
    this.frameRequest = null;
    this.returnFocus = document.activeElement;
    this.canvas = document.createElement("canvas");
    const id = `scanner-${nextId}`;
    nextId += 1;

    const dialog = element("dialog", "scanner", { "aria-labelledby": `${id}-title`, "aria-describedby": `${id}-message` });
    const title = element("h2", "scanner-title", { id: `${id}-title` });
    localize(title, "scanner.title");
    const viewfinder = element("div", "scanner-viewfinder");
    const video = element("video", "scanner-video", { "aria-hidden": "true" });
    video.muted = true;
    video.playsInline = true;
    viewfinder.append(video, element("div", "scanner-aim", { "aria-hidden": "true" }));
    const message = element("p", "scanner-message", { id: `${id}-message`, role: "status" });
    const actions = element("div", "scanner-actions");
    const picture = element("button", "scanner-button scanner-picture", { type: "button" });
    localize(picture, "scanner.choose_picture");
    const input = element("input", "scanner-file", { type: "file", accept: "image/*", tabindex: "-1" });
    localizeAttribute(input, "aria-label", "scanner.choose_picture");
    input.hidden = true;
    const cancel = element("button", "scanner-button scanner-cancel", { type: "button" });
    localize(cancel, "common.cancel");
    picture.hidden = onlyFromCamera;
    actions.append(picture, input, cancel);
    dialog.append(title, viewfinder, message, actions);

    picture.addEventListener("click", () => input.click());
    input.addEventListener("change", () => {
      const file = input.files && input.files[0];
      input.value = ""; // the same picture chosen again is a new choice
      if (file) this.readPicture(file);
    });
    cancel.addEventListener("click", () => this.finish(new ScanCancelled()));
    // Escape: the dialog's own cancel, turned into ours (the dialog is removed, not just closed).
    dialog.addEventListener("cancel", (event) => {
      event.preventDefault();
      this.finish(new ScanCancelled());
    });

    Object.assign(this, { dialog, video, viewfinder, message, picture, cancel });
  }

  async show() {
    loadDecoder().catch(() => {});
    await loadStyles();
    if (this.done) return;
    document.body.append(this.dialog);
    this.dialog.showModal();
    (this.picture.hidden ? this.cancel : this.picture).focus();
    this.startCamera();
  }

  say(key, problem = false) {
    localize(this.message, key);
    this.message.classList.toggle("is-problem", problem);
  }

  async startCamera() {
    if (!window.isSecureContext) return this.noCamera("scanner.insecure");
    if (!navigator.mediaDevices || typeof navigator.mediaDevices.getUserMedia !== "function") return this.noCamera("scanner.no_camera");
    this.say("scanner.starting");
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
    } catch (error) {
      return this.noCamera(cameraProblem(error));
    }
    if (this.done) {
      for (const track of stream.getTracks()) track.stop();
      return undefined;
    }
    this.stream = stream;
    this.video.srcObject = stream;
    let jsQR;
    try {
      await this.video.play();
    } catch {
      this.stopCamera();
      return this.noCamera("scanner.camera_failed");
    }
    try {
      jsQR = await loadDecoder();
    } catch {
      this.stopCamera();
      return this.noCamera("scanner.decoder_failed");
    }
    if (this.done) return undefined;
    this.viewfinder.classList.add("is-live");
    this.say("scanner.aim");
    this.nextFrame(jsQR);
    return undefined;
  }

  noCamera(key) {
    if (this.done) return;
    this.viewfinder.classList.add("is-off");
    this.say(key, true);
  }

  nextFrame(jsQR) {
    if (this.done) return;
    const video = this.video;
    // A new camera frame when the browser can say so; else every animation frame.
    if (typeof video.requestVideoFrameCallback === "function") {
      this.frameRequest = { video: video.requestVideoFrameCallback(() => this.readFrame(jsQR)) };
    } else {
      this.frameRequest = { animation: requestAnimationFrame(() => this.readFrame(jsQR)) };
    }
  }

  readFrame(jsQR) {
    this.frameRequest = null;
    if (this.done) return;
    const video = this.video;
    if (video.videoWidth > 0 && video.readyState >= video.HAVE_CURRENT_DATA) {
      const found = decoded(jsQR, pixels(this.canvas, video, video.videoWidth, video.videoHeight, CAMERA_SIDE), "dontInvert");
      if (found) {
        this.finish(null, { ...found, source: "camera" });
        return;
      }
    }
    this.nextFrame(jsQR);
  }

  async readPicture(file) {
    this.say("scanner.reading");
    let found;
    try {
      found = await decodePicture(file);
    } catch {
      if (!this.done) this.say("scanner.picture_failed", true);
      return;
    }
    if (this.done) return;
    if (found) this.finish(null, { ...found, source: "album" });
    else this.say("scanner.no_code", true);
  }

  stopCamera() {
    if (this.frameRequest) {
      if (this.frameRequest.video !== undefined) this.video.cancelVideoFrameCallback(this.frameRequest.video);
      else cancelAnimationFrame(this.frameRequest.animation);
      this.frameRequest = null;
    }
    if (this.stream) {
      for (const track of this.stream.getTracks()) track.stop();
      this.stream = null;
    }
    this.video.srcObject = null;
  }

  /** Closes the scanner: rejects with `error`, or resolves with `result`. */
  finish(error, result) {
    if (this.done) return;
    this.done = true;
    if (showing === this) showing = null;
    this.stopCamera();
    if (this.dialog.open) this.dialog.close();
    this.dialog.remove();
    const back = this.returnFocus;
    if (back && back.isConnected && typeof back.focus === "function") back.focus();
    if (error) this.reject(error);
    else this.resolve(result);
  }
}
