// The JS SDK for web pages shown in a mini program's web-view (WeChat's jweixin-1.x.js, the part
// mini programs use): `wx.miniProgram.navigateTo / redirectTo / switchTab / reLaunch /
// navigateBack({delta}) / postMessage({data}) / getEnv(cb)`. Load it with
// <script src="https://<platform>/static/runtime/jssdk/jweixin.js"></script>.
//
// The page runs at its own origin inside the host's web-view frame; it talks to the host with
// `window.parent.postMessage({t: "miniprogram", v: 1, id, api, args}, "*")` (the host accepts
// messages only from that frame's window and answers `{t: "miniprogram", v: 1, id, ok, errMsg}`
// to it). Messages from anything other than the parent window are ignored. Calls take WeChat's
// success / fail / complete callbacks. postMessage's messages reach the mini program's
// bindmessage when the web-view's page goes back or the web-view is removed, as in WeChat.
// Other JS-SDK APIs (Official Account pages: config, chooseImage, …) are not provided.
(function () {
  "use strict";

  var parent = window.parent !== window ? window.parent : null;
  var nextId = 1;
  var pending = {};
  var env = null; // "miniprogram" once the host said hello
  var envWaiters = [];

  function send(api, args, id) {
    if (parent === null) return false;
    parent.postMessage({ t: "miniprogram", v: 1, id: id, api: api, args: args || {} }, "*");
    return true;
  }

  window.addEventListener("message", function (event) {
    if (parent === null || event.source !== parent) return;
    var m = event.data;
    if (!m || typeof m !== "object" || m.t !== "miniprogram" || m.v !== 1) return;
    if (m.env === "miniprogram") {
      env = "miniprogram";
      window.__wxjs_environment = "miniprogram";
      var waiters = envWaiters.splice(0);
      for (var i = 0; i < waiters.length; i++) waiters[i]();
      return;
    }
    if (typeof m.id !== "number" || !pending[m.id]) return;
    var done = pending[m.id];
    delete pending[m.id];
    done(m);
  });

  function call(api, options) {
    var opts = options && typeof options === "object" ? options : {};
    var args = {};
    for (var key in opts) {
      if (Object.prototype.hasOwnProperty.call(opts, key) && typeof opts[key] !== "function") args[key] = opts[key];
    }
    var finish = function (m) {
      var result = { errMsg: typeof m.errMsg === "string" ? m.errMsg : api + (m.ok ? ":ok" : ":fail") };
      if (m.ok && typeof opts.success === "function") opts.success(result);
      if (!m.ok && typeof opts.fail === "function") opts.fail(result);
      if (typeof opts.complete === "function") opts.complete(result);
    };
    var id = nextId++;
    pending[id] = finish;
    var sent;
    try {
      sent = send(api, args, id);
    } catch (error) {
      sent = false; // data that cannot be cloned
    }
    if (!sent) {
      delete pending[id];
      finish({ ok: false, errMsg: api + ":fail not in a mini program web-view" });
    }
  }

  var miniProgram = {
    navigateTo: function (o) { call("navigateTo", o); },
    redirectTo: function (o) { call("redirectTo", o); },
    switchTab: function (o) { call("switchTab", o); },
    reLaunch: function (o) { call("reLaunch", o); },
    navigateBack: function (o) { call("navigateBack", o); },
    postMessage: function (o) { call("postMessage", o); },
    getEnv: function (cb) {
      var answer = function () {
        if (typeof cb === "function") cb({ miniprogram: env === "miniprogram" });
      };
      if (env !== null || parent === null) {
        answer();
        return;
      }
      envWaiters.push(answer);
      // Not in a web-view (or the host never answers): say so rather than wait forever.
      setTimeout(function () {
        var i = envWaiters.indexOf(answer);
        if (i >= 0) {
          envWaiters.splice(i, 1);
          answer();
        }
      }, 1000);
    },
  };

  var wx = window.wx && typeof window.wx === "object" ? window.wx : {};
  wx.miniProgram = miniProgram;
  window.wx = wx;
  window.jWeixin = wx;
  send("hello", {}, 0);
})();
