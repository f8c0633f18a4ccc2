// Host side of the network wx APIs: merged into the container's HOST_APIS (`this` is the MiniProgram;
// a handler takes the call's args and returns its result or throws {errMsg}).
//
// wx.downloadFile, wx.uploadFile and wx.connectSocket go through our server's proxies
// (netproxy/transfer_routes.py), which check the target against the app's domain lists: the logic
// layer cannot connect anywhere itself (its CSP forbids it). Progress, headers and socket frames
// reach the logic layer as `hostEvent` pushes: "transfer" {task, kind, …} and "socket" {task,
// event, …}, `task` being the id the logic layer gave the task.

import { api } from "/static/shared/api.js";

const MAX_SOCKETS = 5; // WeChat's limit per mini program
const MAX_TRANSFERS = 10; // downloads and uploads at once, as WeChat's
const CSRF_COOKIES = ["__Host-miniapp_csrf", "miniapp_csrf"];
const SOCKET_OPEN_TIMEOUT_MS = 60000;

function str(value, fallback = "") {
  return typeof value === "string" ? value : fallback;
}

function taskId(a, name) {
  if (!Number.isInteger(a.task) || a.task <= 0) throw { errMsg: `${name}:fail invalid task` };
  return a.task;
}

function stringMap(value) {
  if (!value || typeof value !== "object" || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [String(k), typeof v === "string" ? v : JSON.stringify(v) ?? ""]));
}

function timeoutOf(value) {
  return Number.isFinite(value) && value > 0 ? Math.floor(value) : null;
}

function readCookie() {
  for (const name of CSRF_COOKIES) {
    for (const part of document.cookie.split(";")) {
      const [key, ...rest] = part.trim().split("=");
      if (key === name) return decodeURIComponent(rest.join("="));
    }
  }
  return null;
}

// The CSRF token our unsafe requests carry (api.js does the same for JSON calls).
async function csrfToken() {
  const token = readCookie();
  if (token) return token;
  const data = await api.get("/api/accounts/csrf");
  return readCookie() || data.csrf_token;
}

async function errorOf(response, name) {
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  const params = data && data.error && data.error.params;
  return { errMsg: params && typeof params.errMsg === "string" ? params.errMsg : `${name}:fail ${(data && data.error && data.error.code) || response.status}` };
}

function transfers(program) {
  if (!program.transfers) {
    program.transfers = new Map();
    program.onDestroy(() => {
      for (const abort of program.transfers.values()) abort();
      program.transfers.clear();
    });
  }
  return program.transfers;
}

function sockets(program) {
  if (!program.sockets) {
    program.sockets = new Map();
    program.onDestroy(() => {
      for (const ws of program.sockets.values()) ws.close(1000, "");
      program.sockets.clear();
    });
  }
  return program.sockets;
}

export const NETWORK_APIS = {
  async downloadFile(a) {
    const task = taskId(a, "downloadFile");
    const running = transfers(this);
    // A task id already running would replace its entry: the cap and the abort-on-exit would miss one.
    if (running.size >= MAX_TRANSFERS || running.has(task)) throw { errMsg: "downloadFile:fail exceed max task count" };
    const controller = new AbortController();
    running.set(task, () => controller.abort());
    try {
      let response;
      try {
        response = await fetch(`/api/runtime/apps/${encodeURIComponent(this.appid)}/download`, {
          method: "POST",
          headers: { "Content-Type": "application/json", Accept: "application/octet-stream", "X-CSRF-Token": await csrfToken() },
          body: JSON.stringify({ url: str(a.url), header: stringMap(a.header), timeout: timeoutOf(a.timeout) }),
          credentials: "same-origin",
          signal: controller.signal,
        });
      } catch {
        throw { errMsg: controller.signal.aborted ? "downloadFile:fail abort" : "downloadFile:fail network error" };
      }
      if (!response.ok) throw await errorOf(response, "downloadFile");
      let header = {};
      try {
        header = JSON.parse(response.headers.get("X-Miniapp-Headers") || "{}");
      } catch {
        header = {};
      }
      this.pushEvent("transfer", { task, kind: "headers", header });
      const expected = Number(response.headers.get("X-Miniapp-Length")) || 0;
      const chunks = [];
      let written = 0;
      let lastProgress = -1;
      const reader = response.body.getReader();
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          chunks.push(value);
          written += value.byteLength;
          const progress = expected ? Math.min(100, Math.floor((written / expected) * 100)) : 0;
          if (progress !== lastProgress || !expected) {
            lastProgress = progress;
            this.pushEvent("transfer", { task, kind: "progress", progress, totalBytesWritten: written, totalBytesExpectedToWrite: expected || written });
          }
        }
      } catch {
        throw { errMsg: controller.signal.aborted ? "downloadFile:fail abort" : "downloadFile:fail network error" };
      }
      if (expected && written !== expected) throw { errMsg: "downloadFile:fail network error" };
      const data = new Uint8Array(written);
      let offset = 0;
      for (const chunk of chunks) {
        data.set(chunk, offset);
        offset += chunk.byteLength;
      }
      return { statusCode: Number(response.headers.get("X-Miniapp-Status")) || 0, header, data: data.buffer, contentType: str(header["Content-Type"] || header["content-type"]) };
    } finally {
      running.delete(task);
    }
  },

  async uploadFile(a) {
    const task = taskId(a, "uploadFile");
    const running = transfers(this);
    if (running.size >= MAX_TRANSFERS || running.has(task)) throw { errMsg: "uploadFile:fail exceed max task count" };
    if (!(a.data instanceof ArrayBuffer)) throw { errMsg: "uploadFile:fail file not found" };
    if (typeof a.name !== "string" || a.name === "") throw { errMsg: "uploadFile:fail parameter error: parameter.name should be String" };
    const meta = {
      url: str(a.url),
      name: a.name,
      filename: str(a.filename, "file").slice(0, 256) || "file",
      header: stringMap(a.header),
      formData: stringMap(a.formData),
      timeout: timeoutOf(a.timeout),
    };
    // The slot is taken before anything is awaited, so calls made together count against the cap.
    let aborted = false;
    let abort = () => {
      aborted = true;
    };
    running.set(task, () => abort());
    let token;
    try {
      token = await csrfToken();
    } catch {
      running.delete(task);
      throw { errMsg: "uploadFile:fail network error" };
    }
    if (aborted || !this.alive) {
      running.delete(task);
      throw { errMsg: "uploadFile:fail abort" };
    }
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      abort = () => xhr.abort();
      const done = () => running.delete(task);
      xhr.open("POST", `/api/runtime/apps/${encodeURIComponent(this.appid)}/upload`);
      xhr.setRequestHeader("X-CSRF-Token", token);
      xhr.setRequestHeader("Content-Type", "application/octet-stream");
      xhr.responseType = "json";
      xhr.upload.onprogress = (event) => {
        const total = event.lengthComputable ? event.total : 0;
        this.pushEvent("transfer", {
          task,
          kind: "progress",
          progress: total ? Math.floor((event.loaded / total) * 100) : 0,
          totalBytesSent: event.loaded,
          totalBytesExpectedToSend: total,
        });
      };
      xhr.onload = () => {
        done();
        const body = xhr.response;
        if (xhr.status === 200 && body && typeof body.statusCode === "number") {
          resolve({ statusCode: body.statusCode, data: str(body.data), header: body.header || {} });
          return;
        }
        const params = body && body.error && body.error.params;
        reject({ errMsg: params && typeof params.errMsg === "string" ? params.errMsg : `uploadFile:fail ${(body && body.error && body.error.code) || xhr.status}` });
      };
      xhr.onerror = () => {
        done();
        reject({ errMsg: "uploadFile:fail network error" });
      };
      xhr.onabort = () => {
        done();
        reject({ errMsg: "uploadFile:fail abort" });
      };
      xhr.send(new Blob([JSON.stringify(meta), "\n", a.data]));
    });
  },

  // Internal (not a wx API): abort a download or upload.
  transferAbort(a) {
    const abort = transfers(this).get(taskId(a, "abort"));
    if (abort) abort();
  },

  // Internal: open a socket task's connection. Answers once the relay says the upstream is open
  // (or fails with connectSocket's errMsg); frames and the close come as "socket" pushes.
  socketOpen(a) {
    const task = taskId(a, "connectSocket");
    const open = sockets(this);
    // A task id already open would replace its socket: the cap and the close-on-exit would miss it.
    if (open.size >= MAX_SOCKETS || open.has(task)) throw { errMsg: "connectSocket:fail exceed max socket connect count" };
    const protocols = Array.isArray(a.protocols) ? a.protocols.filter((p) => typeof p === "string" && /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(p)) : [];
    const query = new URLSearchParams({ url: str(a.url), protocols: protocols.join(","), header: JSON.stringify(stringMap(a.header)) });
    const timeout = timeoutOf(a.timeout);
    if (timeout) query.set("timeout", String(timeout));
    const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
    let ws;
    try {
      ws = new WebSocket(`${scheme}//${window.location.host}/api/runtime/apps/${encodeURIComponent(this.appid)}/socket?${query}`);
    } catch {
      throw { errMsg: "connectSocket:fail invalid url" };
    }
    ws.binaryType = "arraybuffer";
    open.set(task, ws);
    return new Promise((resolve, reject) => {
      let opened = false;
      const timer = setTimeout(() => {
        if (!opened) ws.close();
      }, SOCKET_OPEN_TIMEOUT_MS);
      ws.onmessage = (event) => {
        if (!opened) {
          // The relay's first frame: the upstream is open (socket_relay.py).
          let control = null;
          try {
            control = JSON.parse(event.data);
          } catch {
            control = null;
          }
          if (!control || control.t !== "open") return;
          opened = true;
          clearTimeout(timer);
          resolve({ protocol: str(control.protocol), header: control.header || {} });
          this.pushEvent("socket", { task, event: "open", header: control.header || {}, protocol: str(control.protocol) });
          return;
        }
        this.pushEvent("socket", { task, event: "message", data: event.data });
      };
      ws.onclose = (event) => {
        clearTimeout(timer);
        open.delete(task);
        if (!opened) {
          reject({ errMsg: event.code === 4000 && event.reason ? event.reason : "connectSocket:fail network error" });
          return;
        }
        this.pushEvent("socket", { task, event: "close", code: event.code, reason: event.reason });
      };
      ws.onerror = () => {
        if (opened) this.pushEvent("socket", { task, event: "error", errMsg: "network error" });
      };
    });
  },

  // Internal: send a frame on a socket task.
  socketSend(a) {
    const ws = sockets(this).get(taskId(a, "sendSocketMessage"));
    if (!ws || ws.readyState !== WebSocket.OPEN) throw { errMsg: "sendSocketMessage:fail WebSocket is not connected" };
    if (typeof a.data === "string" || a.data instanceof ArrayBuffer) ws.send(a.data);
    else throw { errMsg: "sendSocketMessage:fail parameter error: parameter.data should be String or ArrayBuffer" };
  },

  // Internal: close a socket task (code 1000 or 3000-4999, as browsers allow).
  socketClose(a) {
    const ws = sockets(this).get(taskId(a, "closeSocket"));
    if (!ws) throw { errMsg: "closeSocket:fail WebSocket is not connected" };
    const code = a.code === undefined ? 1000 : a.code;
    const reason = str(a.reason);
    try {
      ws.close(code, reason);
    } catch (error) {
      throw { errMsg: `closeSocket:fail ${error && error.name === "SyntaxError" ? "reason too long" : "The code must be either 1000, or between 3000 and 4999"}` };
    }
  },
};
