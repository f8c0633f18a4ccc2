// The logic frame: a sandboxed iframe (opaque origin) whose only job is to start the worker that
// runs the mini program's JavaScript, and to hand it the host's MessagePort. Nothing of the app
// runs here: the worker has no DOM at all.
//
// The worker is made from a blob URL (an opaque-origin document may only start a worker of its
// own origin) whose one line importScripts the runtime from our server; the frame's
// Content-Security-Policy (inherited by the blob worker) allows scripts only from the runtime's
// and the bundles' folders and forbids every connection.
(function () {
  "use strict";
  const base = new URL("/static/runtime/logic/", self.location.href).href;
  const scripts = [
    "expressions.js",
    "framework.js",
    "wx.js",
    // wx APIs by family; each extends MiniappWx (see wx.js `extend`).
    "query.js",
    "animation.js",
    "canvas.js",
    "media.js",
    "files.js",
    "socket.js",
    "device.js",
    "identity.js",
    "consent.js",
    "subscribe.js",
    "worker.js",
  ].map((n) => base + n);
  // A runtime that cannot load (the browser went offline while a spare was being made) says so
  // instead of throwing in the worker: the host then makes another.
  const source =
    `try { importScripts(${scripts.map((s) => JSON.stringify(s)).join(",")}); } catch (error) {` +
    ` self.postMessage({ t: "failed", message: String((error && error.message) || error) }); }`;
  const worker = new Worker(URL.createObjectURL(new Blob([source], { type: "text/javascript" })));
  let connected = false;
  self.addEventListener("message", (event) => {
    // Only the first connect (from the host, our parent) counts; the port it carries is the
    // one channel to the host from then on.
    if (connected || event.source !== self.parent) return;
    const message = event.data;
    if (!message || message.t !== "connect" || message.v !== 1 || event.ports.length !== 1) return;
    connected = true;
    worker.postMessage({ t: "connect", v: 1 }, [event.ports[0]]);
  });
  worker.addEventListener("message", (event) => {
    const message = event.data;
    if (!connected && message && message.t === "failed") {
      self.parent.postMessage({ t: "failed", message: String(message.message) }, "*");
    }
  });
  worker.addEventListener("error", (event) => {
    // A worker that fails to start (a network error loading the runtime) would otherwise be
    // silent: tell the host through the window channel, the only one there is before connect.
    self.parent.postMessage({ t: "loaded", failed: String(event.message || "worker error") }, "*");
  });
  self.parent.postMessage({ t: "loaded" }, "*");
})();
