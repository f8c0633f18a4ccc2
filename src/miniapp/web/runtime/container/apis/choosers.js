// Host side of wx.chooseImage, wx.chooseMedia, wx.chooseLocation and wx.saveImageToPhotosAlbum
// (docs/consent.md): part of MEDIA_APIS (media.js), so merged into the container's HOST_APIS
// (`this` is the MiniProgram; a handler takes the call's args and returns its result or throws
// {errMsg}). The logic layer (logic/media.js) checks the arguments and turns the files handed
// back here ({data: ArrayBuffer, ext, …}) into the app's temp files.
//
// - Album: a file input (the browser's chooser). The user's own pick is the consent; the pick is
//   recorded ("album") for Me → Privacy. A chooser opens only in answer to a user's tap (the
//   browser's rule): without one, a sheet "Choose from album" asks for it first.
// - Camera: `scope.camera` as wx.authorize asks it (once, remembered, revocable), then a camera
//   sheet over the app; a photo (JPEG) is taken only when the user taps the shutter. The camera
//   takes photos only: recording a video is not offered.
// - Both allowed: a sheet "Take photo / Choose from album", as WeChat shows.
// - chooseLocation: `scope.userLocation`, then a sheet where the user enters a place (name,
//   address, latitude, longitude) or takes their current position from the browser. There is no
//   map to pick on and no search of places: what the user enters is what the app gets.
// - saveImageToPhotosAlbum: `scope.writePhotosAlbum`, then the browser downloads the image (a
//   browser has no photo album to write to).
//
// Only the app on screen may ask (as scanCode): an app in the background (kept for a hot start)
// would otherwise put a chooser or a camera over Discover or another app. The camera sheet
// closes, and the camera stops, as soon as the app leaves the screen or is destroyed.

import { ensureScope, recordAccess } from "/static/runtime/container/apis/consent.js";
import { localizeAttribute, t } from "/static/shared/i18n.js";

const IMAGE_MAX = 9;
const MEDIA_MAX = 20;
// A picked file is read into memory (the app's temp files live there): a bound on one file.
const MAX_FILE_BYTES = 100 * 1024 * 1024;
const JPEG_QUALITY = 0.92;
const DOWNLOAD_URL_MS = 60_000;
const EXTENSIONS = {
  "image/jpeg": ".jpg", "image/png": ".png", "image/gif": ".gif", "image/webp": ".webp", "image/bmp": ".bmp",
  "image/avif": ".avif", "video/mp4": ".mp4", "video/webm": ".webm", "video/quicktime": ".mov", "video/ogg": ".ogv",
};

const fail = (name, reason) => ({ errMsg: `${name}:fail ${reason}` });

function element(tag, className, attributes = {}) {
  const node = document.createElement(tag);
  node.className = className;
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  return node;
}

function button(className, textKey) {
  const node = element("button", className, { type: "button" });
  node.textContent = t(textKey);
  return node;
}

/** Throws `<name>:fail app in background` unless the app is the one on screen. */
function checkForeground(program, name) {
  if (program.hiddenAt !== null || !program.alive) throw fail(name, "app in background");
}

/**
 * One of our sheets over the app (camera, location), one at a time. `build(layer, {finish,
 * abort, onClose})` fills the layer and returns what to focus; the promise settles with
 * finish(value) or abort(error). Escape cancels; the app leaving the screen (the root hidden) or
 * being destroyed aborts it with `<name>:fail app in background`.
 */
function openSheet(program, name, className, labelKey, build) {
  if (program.chooserAbort) program.chooserAbort(fail(name, "cancel"));
  return new Promise((resolve, reject) => {
    const layer = element("div", `mpc-chooser ${className}`, { role: "dialog", "aria-modal": "true", tabindex: "-1" });
    localizeAttribute(layer, "aria-label", labelKey);
    const cleanups = [];
    let open = true;
    const close = () => {
      if (!open) return false;
      open = false;
      if (program.chooserAbort === abort) program.chooserAbort = null;
      for (const fn of cleanups.splice(0)) fn();
      layer.remove();
      return true;
    };
    const finish = (value) => close() && resolve(value);
    const abort = (error) => close() && reject(error);
    program.chooserAbort = abort;
    if (!program.chooserCleanup) {
      program.chooserCleanup = true;
      program.onDestroy(() => program.chooserAbort && program.chooserAbort(fail(name, "app in background")));
    }
    const watcher = new MutationObserver(() => {
      if (program.root.hidden) abort(fail(name, "app in background"));
    });
    watcher.observe(program.root, { attributes: true, attributeFilter: ["hidden"] });
    cleanups.push(() => watcher.disconnect());
    const onKey = (event) => {
      if (event.key !== "Escape") return;
      event.preventDefault();
      event.stopPropagation();
      abort(fail(name, "cancel"));
    };
    document.addEventListener("keydown", onKey, true);
    cleanups.push(() => document.removeEventListener("keydown", onKey, true));
    const focus = build(layer, { finish, abort, onClose: (fn) => cleanups.push(fn) });
    program.chrome.el.append(layer);
    (focus || layer).focus();
  });
}

// ---- camera --------------------------------------------------------------------------------------

/** The camera sheet: resolves {blob (JPEG), width, height} when the user taps the shutter. */
async function takePhoto(program, name, camera) {
  if (!navigator.mediaDevices || typeof navigator.mediaDevices.getUserMedia !== "function") throw fail(name, "camera unavailable");
  let stream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: camera === "front" ? "user" : "environment" }, audio: false });
  } catch (error) {
    throw fail(name, error && error.name === "NotAllowedError" ? "system permission denied" : "camera unavailable");
  }
  const stop = () => {
    for (const track of stream.getTracks()) track.stop();
  };
  try {
    checkForeground(program, name);
  } catch (error) {
    stop();
    throw error;
  }
  recordAccess(program, "scope.camera").catch(() => {});
  return openSheet(program, name, "mpc-camera", "runtime.camera.title", (layer, { finish, abort, onClose }) => {
    const video = element("video", "mpc-camera-video", { playsinline: "" });
    video.muted = true;
    video.autoplay = true;
    video.srcObject = stream;
    onClose(() => {
      video.srcObject = null;
      stop();
    });
    const bar = element("div", "mpc-camera-bar");
    const cancel = button("mpc-camera-cancel", "common.cancel");
    const shutter = element("button", "mpc-camera-shutter", { type: "button" });
    localizeAttribute(shutter, "aria-label", "runtime.camera.shutter");
    shutter.disabled = true;
    video.addEventListener("loadeddata", () => (shutter.disabled = false), { once: true });
    cancel.addEventListener("click", () => abort(fail(name, "cancel")));
    shutter.addEventListener("click", () => {
      shutter.disabled = true;
      const canvas = document.createElement("canvas");
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      canvas.getContext("2d").drawImage(video, 0, 0);
      canvas.toBlob(
        (blob) => (blob ? finish({ blob, width: canvas.width, height: canvas.height }) : abort(fail(name, "camera unavailable"))),
        "image/jpeg",
        JPEG_QUALITY,
      );
    });
    bar.append(cancel, shutter, element("span", "mpc-camera-spacer"));
    layer.append(video, bar);
    return cancel;
  });
}

// ---- album ---------------------------------------------------------------------------------------

/** The browser's file chooser: resolves the picked files; `<name>:fail cancel` when closed. */
function pickFiles(program, name, { count, accept }) {
  return new Promise((resolve, reject) => {
    const input = element("input", "mpc-chooser-input", { type: "file", accept, hidden: "" });
    input.multiple = count > 1;
    input.addEventListener("change", () => {
      const files = [...input.files];
      input.remove();
      if (files.length) resolve(files);
      else reject(fail(name, "cancel"));
    }, { once: true });
    input.addEventListener("cancel", () => {
      input.remove();
      reject(fail(name, "cancel"));
    }, { once: true });
    program.chrome.el.append(input);
    input.click();
  });
}

function extensionOf(file) {
  if (EXTENSIONS[file.type]) return EXTENSIONS[file.type];
  const match = /\.([A-Za-z0-9]{1,8})$/.exec(file.name || "");
  return match ? `.${match[1].toLowerCase()}` : "";
}

async function imageSize(blob) {
  try {
    const bitmap = await createImageBitmap(blob);
    const size = { width: bitmap.width, height: bitmap.height };
    bitmap.close();
    return size;
  } catch {
    return { width: 0, height: 0 };
  }
}

/** A video's duration and size, and its first frame as a JPEG thumbnail (when it can be read). */
function videoInfo(blob) {
  return new Promise((resolve) => {
    const url = URL.createObjectURL(blob);
    const video = document.createElement("video");
    video.muted = true;
    video.preload = "auto";
    const done = (thumb) => {
      const info = { duration: Number.isFinite(video.duration) ? video.duration : 0, width: video.videoWidth, height: video.videoHeight, thumb };
      video.removeAttribute("src");
      URL.revokeObjectURL(url);
      resolve(info);
    };
    video.addEventListener("error", () => done(null), { once: true });
    video.addEventListener("loadeddata", () => {
      if (!video.videoWidth) return done(null);
      const canvas = document.createElement("canvas");
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      canvas.getContext("2d").drawImage(video, 0, 0);
      canvas.toBlob((thumb) => done(thumb), "image/jpeg", JPEG_QUALITY);
    }, { once: true });
    video.src = url;
  });
}

async function describe(file) {
  const data = await file.arrayBuffer();
  const ext = extensionOf(file);
  if (file.type.startsWith("video/")) {
    const info = await videoInfo(file);
    const out = { data, ext, fileType: "video", width: info.width, height: info.height, duration: info.duration };
    if (info.thumb) out.thumb = { data: await info.thumb.arrayBuffer(), ext: ".jpg" };
    return out;
  }
  return { data, ext, fileType: "image", ...(await imageSize(file)) };
}

// ---- chooseImage / chooseMedia --------------------------------------------------------------------

const userTapped = () => Boolean(navigator.userActivation && navigator.userActivation.isActive);

/** The flow both choosers share: {files: [{data, ext, fileType, width, height, duration?, thumb?}]}. */
async function choose(program, name, a, max) {
  checkForeground(program, name);
  const count = Math.min(Math.max(1, Math.floor(Number(a.count)) || max), max);
  const mediaType = Array.isArray(a.mediaType) ? a.mediaType.filter((m) => m === "image" || m === "video") : [];
  const kinds = mediaType.length ? mediaType : ["image"];
  const requested = Array.isArray(a.sourceType) ? a.sourceType.filter((s) => s === "album" || s === "camera") : [];
  // The camera takes photos only.
  const sources = (requested.length ? requested : ["album", "camera"]).filter((s) => s === "album" || kinds.includes("image"));
  if (!sources.length) throw fail(name, "recording a video is not supported");

  let source = sources[0];
  if (sources.length > 1 || (source === "album" && !userTapped())) {
    const itemList = sources.map((s) => t(s === "camera" ? "runtime.chooser.take_photo" : "runtime.chooser.from_album"));
    let choice;
    try {
      choice = await program.chrome.showActionSheet({ itemList });
    } catch {
      throw fail(name, "cancel");
    }
    checkForeground(program, name);
    source = sources[choice.tapIndex];
  }

  if (source === "camera") {
    await ensureScope(program, name, "scope.camera");
    checkForeground(program, name);
    const photo = await takePhoto(program, name, a.camera);
    return { files: [{ data: await photo.blob.arrayBuffer(), ext: ".jpg", fileType: "image", width: photo.width, height: photo.height }] };
  }

  const accept = kinds.map((kind) => `${kind}/*`).join(",");
  const picked = await pickFiles(program, name, { count, accept });
  const files = picked.filter((file) => kinds.some((kind) => file.type.startsWith(`${kind}/`))).slice(0, count);
  if (!files.length) throw fail(name, "file type not supported");
  if (files.some((file) => file.size > MAX_FILE_BYTES)) throw fail(name, "file too large");
  const described = [];
  for (const file of files) described.push(await describe(file));
  await recordAccess(program, "album");
  return { files: described };
}

// ---- chooseLocation ------------------------------------------------------------------------------

/** The place sheet: resolves {name, address, latitude, longitude}; Cancel is `fail cancel`. */
function pickPlace(program, start) {
  const name = "chooseLocation";
  return openSheet(program, name, "mpc-location", "runtime.location.title", (layer, { finish, abort }) => {
    const form = element("form", "mpc-location-form", { novalidate: "" });
    const heading = element("h2", "mpc-location-title");
    heading.textContent = t("runtime.location.title");
    const field = (key, attributes) => {
      const label = element("label", "mpc-location-field");
      const caption = element("span", "mpc-location-label");
      caption.textContent = t(`runtime.location.${key}`);
      const input = element("input", `mpc-location-input mpc-location-${key}`, { name: key, autocomplete: "off", ...attributes });
      label.append(caption, input);
      form.append(label);
      return input;
    };
    form.append(heading);
    const nameInput = field("name", { type: "text", maxlength: "100" });
    const address = field("address", { type: "text", maxlength: "200" });
    const latitude = field("latitude", { type: "text", inputmode: "decimal" });
    const longitude = field("longitude", { type: "text", inputmode: "decimal" });
    if (start.latitude !== undefined && start.longitude !== undefined) {
      latitude.value = String(start.latitude);
      longitude.value = String(start.longitude);
    }
    const current = button("mpc-location-current", "runtime.location.current");
    const message = element("p", "mpc-location-message", { role: "alert" });
    current.addEventListener("click", () => {
      message.textContent = "";
      if (!navigator.geolocation) {
        message.textContent = t("runtime.location.unavailable");
        return;
      }
      current.disabled = true;
      navigator.geolocation.getCurrentPosition(
        (position) => {
          current.disabled = false;
          latitude.value = String(position.coords.latitude);
          longitude.value = String(position.coords.longitude);
          if (!nameInput.value.trim()) nameInput.value = t("runtime.location.current_name");
        },
        () => {
          current.disabled = false;
          message.textContent = t("runtime.location.unavailable");
        },
        { maximumAge: 0, timeout: 30000 },
      );
    });
    const footer = element("div", "mpc-location-footer");
    const cancel = button("mpc-location-cancel", "common.cancel");
    const done = element("button", "mpc-location-done", { type: "submit" });
    done.textContent = t("runtime.location.done");
    cancel.addEventListener("click", () => abort(fail(name, "cancel")));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const lat = Number(latitude.value.trim());
      const lng = Number(longitude.value.trim());
      if (!latitude.value.trim() || !longitude.value.trim() || !(Math.abs(lat) <= 90) || !(Math.abs(lng) <= 180)) {
        message.textContent = t("runtime.location.invalid");
        return;
      }
      finish({ name: nameInput.value.trim(), address: address.value.trim(), latitude: lat, longitude: lng });
    });
    footer.append(cancel, done);
    form.append(current, message, footer);
    layer.append(element("div", "mpc-mask"), form);
    return nameInput;
  });
}

// ---- saveImageToPhotosAlbum ----------------------------------------------------------------------

/** The image type of `bytes` by their signature, or "" when they are no image we save. */
function imageType(bytes) {
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return "image/png";
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return "image/jpeg";
  if (bytes[0] === 0x47 && bytes[1] === 0x49 && bytes[2] === 0x46) return "image/gif";
  if (bytes[0] === 0x52 && bytes[1] === 0x49 && bytes[8] === 0x57 && bytes[9] === 0x45) return "image/webp";
  if (bytes[0] === 0x42 && bytes[1] === 0x4d) return "image/bmp";
  return "";
}

function downloadName(raw, type) {
  const ext = EXTENSIONS[type];
  const base = typeof raw === "string" ? raw.replace(/\.[A-Za-z0-9]{1,8}$/, "") : "";
  return `${/^[A-Za-z0-9_-]{1,100}$/.test(base) ? base : "image"}${ext}`;
}

function download(blob, filename) {
  const url = URL.createObjectURL(blob);
  const link = element("a", "mpc-chooser-download", { href: url, download: filename, hidden: "" });
  document.body.append(link);
  link.click();
  link.remove();
  // Not at once: the download reads the URL after the click.
  setTimeout(() => URL.revokeObjectURL(url), DOWNLOAD_URL_MS);
}

export const CHOOSER_APIS = {
  chooseImage(a) {
    return choose(this, "chooseImage", { ...a, mediaType: ["image"] }, IMAGE_MAX);
  },
  chooseMedia(a) {
    return choose(this, "chooseMedia", a, MEDIA_MAX);
  },
  async chooseLocation(a) {
    const name = "chooseLocation";
    checkForeground(this, name);
    await ensureScope(this, name, "scope.userLocation");
    checkForeground(this, name);
    const start = Number.isFinite(a.latitude) && Number.isFinite(a.longitude) ? { latitude: a.latitude, longitude: a.longitude } : {};
    const place = await pickPlace(this, start);
    await recordAccess(this, "scope.userLocation");
    return place;
  },
  async saveImageToPhotosAlbum(a) {
    const name = "saveImageToPhotosAlbum";
    checkForeground(this, name);
    if (!(a.data instanceof ArrayBuffer)) throw fail(name, "file not found");
    const type = imageType(new Uint8Array(a.data));
    if (!type) throw fail(name, "invalid file type");
    await ensureScope(this, name, "scope.writePhotosAlbum");
    checkForeground(this, name);
    download(new Blob([a.data], { type }), downloadName(a.name, type));
    await recordAccess(this, "scope.writePhotosAlbum");
    return {};
  },
};
