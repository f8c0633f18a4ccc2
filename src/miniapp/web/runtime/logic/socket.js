// wx APIs: WebSocket (see wx.js `extend`). A classic script loaded by the worker after wx.js.
//
// wx.connectSocket returns a SocketTask at once; the host opens one WebSocket per task to our
// server's relay (netproxy/socket_relay.py, domain-checked) and pushes what happens as "socket"
// host events {task, event: open | message | close | error, …}. The legacy global functions
// (wx.onSocketOpen, wx.sendSocketMessage, …) act on the most recent task, as WeChat's do.
(function () {
  "use strict";
  const W = self.MiniappWx;
  const { api, callHost, safeCall } = W;
  const MAX_SOCKETS = 5; // WeChat: at most 5 connections at once

  let nextId = 1;
  const live = new Map(); // task id → SocketTask (until closed)
  let latest = null;
  // The global listeners (wx.onSocketOpen & co.): for the most recent task.
  const globals = { open: [], message: [], close: [], error: [] };

  class SocketTask {
    constructor(id) {
      Object.defineProperty(this, "_id", { value: id });
      Object.defineProperty(this, "_on", { value: { open: [], message: [], close: [], error: [] } });
      this.readyState = 0; // CONNECTING, OPEN, CLOSING, CLOSED as WebSocket's
      this.CONNECTING = 0;
      this.OPEN = 1;
      this.CLOSING = 2;
      this.CLOSED = 3;
    }
    send(options) {
      const o = options && typeof options === "object" ? options : {};
      return api("send", (opts) => {
        if (this.readyState !== 1) throw { errMsg: "send:fail WebSocket is not connected" };
        let data = opts.data;
        if (ArrayBuffer.isView(data)) data = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength);
        if (typeof data !== "string" && !(data instanceof ArrayBuffer)) throw { errMsg: "send:fail parameter error: parameter.data should be String or ArrayBuffer" };
        return callHost("socketSend", { task: this._id, data }).catch((error) => {
          throw { errMsg: String(error.errMsg).replace(/^sendSocketMessage:/, "send:") };
        });
      })(o);
    }
    close(options) {
      const o = options && typeof options === "object" ? options : {};
      return api("close", (opts) => {
        if (this.readyState >= 2) return undefined;
        const code = opts.code === undefined ? 1000 : opts.code;
        if (!Number.isInteger(code) || (code !== 1000 && (code < 3000 || code > 4999))) {
          throw { errMsg: "close:fail The code must be either 1000, or between 3000 and 4999" };
        }
        this.readyState = 2;
        return callHost("socketClose", { task: this._id, code, reason: opts.reason === undefined ? "" : String(opts.reason) }).catch((error) => {
          throw { errMsg: String(error.errMsg).replace(/^closeSocket:/, "close:") };
        });
      })(o);
    }
    onOpen(fn) {
      if (typeof fn === "function") this._on.open.push(fn);
    }
    onMessage(fn) {
      if (typeof fn === "function") this._on.message.push(fn);
    }
    onClose(fn) {
      if (typeof fn === "function") this._on.close.push(fn);
    }
    onError(fn) {
      if (typeof fn === "function") this._on.error.push(fn);
    }
    _emit(event, payload) {
      for (const fn of this._on[event].slice()) safeCall(fn, payload);
      if (latest === this) for (const fn of globals[event].slice()) safeCall(fn, payload);
    }
  }

  function finish(task) {
    live.delete(task._id);
  }

  W.onHostEvent("socket", (p) => {
    const task = live.get(p.task);
    if (!task) return;
    switch (p.event) {
      case "open":
        task.readyState = 1;
        task._emit("open", { header: p.header || {}, profile: {} });
        break;
      case "message":
        task._emit("message", { data: p.data });
        break;
      case "error":
        task._emit("error", { errMsg: String(p.errMsg || "") });
        break;
      case "close":
        task.readyState = 3;
        finish(task);
        task._emit("close", { code: Number(p.code) || 1000, reason: String(p.reason || "") });
        break;
      default:
        break;
    }
  });

  function connectSocket(options) {
    const o = options && typeof options === "object" ? options : {};
    const task = new SocketTask(nextId);
    nextId += 1;
    const full = live.size >= MAX_SOCKETS;
    if (!full) {
      live.set(task._id, task);
      latest = task;
    }
    api("connectSocket", (opts) => {
      if (full) throw { errMsg: "connectSocket:fail exceed max socket connect count" };
      if (typeof opts.url !== "string" || opts.url === "") throw { errMsg: "connectSocket:fail parameter error: parameter.url should be String" };
      const protocols = Array.isArray(opts.protocols) ? opts.protocols.map(String) : [];
      let header = {};
      try {
        header = opts.header && typeof opts.header === "object" ? JSON.parse(JSON.stringify(opts.header)) : {};
      } catch {
        header = {};
      }
      return callHost("socketOpen", { task: task._id, url: opts.url, header, protocols, timeout: opts.timeout }).then(
        () => undefined,
        (error) => {
          task.readyState = 3;
          finish(task);
          // The connection never opened: the task reports it too, as WeChat's does.
          Promise.resolve().then(() => task._emit("error", { errMsg: error.errMsg }));
          throw error;
        },
      );
    })({ ...o, success: o.success || (() => {}), fail: o.fail, complete: o.complete });
    return task;
  }

  function onGlobal(event) {
    return (fn) => {
      if (typeof fn === "function") globals[event].push(fn);
    };
  }

  W.extend({
    connectSocket,
    onSocketOpen: onGlobal("open"),
    onSocketMessage: onGlobal("message"),
    onSocketClose: onGlobal("close"),
    onSocketError: onGlobal("error"),
    sendSocketMessage: api("sendSocketMessage", (o) => {
      if (!latest || latest.readyState !== 1) throw { errMsg: "sendSocketMessage:fail WebSocket is not connected" };
      return new Promise((resolve, reject) => latest.send({ data: o.data, success: resolve, fail: (e) => reject({ errMsg: String(e.errMsg).replace(/^send:/, "sendSocketMessage:") }) }));
    }),
    closeSocket: api("closeSocket", (o) => {
      if (!latest) throw { errMsg: "closeSocket:fail WebSocket is not connected" };
      return new Promise((resolve, reject) => latest.close({ code: o.code, reason: o.reason, success: resolve, fail: (e) => reject({ errMsg: String(e.errMsg).replace(/^close:/, "closeSocket:") }) }));
    }),
  });
})();
