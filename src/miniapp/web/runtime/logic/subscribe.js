// wx APIs: subscription messages (see wx.js `extend`). A classic script loaded by the worker
// after wx.js. The host asks the user (container/apis/subscribe.js, docs/subscriptions.md); the
// answer maps each template id to "accept" or "reject". Failures carry WeChat's errCode besides
// errMsg, as merchants' code branches on it: only errMsg crosses from the host, so the code is
// found again from the message here.
(function () {
  "use strict";
  const W = self.MiniappWx;
  const { api, callHost, safeCall } = W;
  const NAME = "requestSubscribeMessage";
  const MAX_IDS = 3;
  const CODES = {
    "Empty template id list": 10001,
    "can only be invoked by user TAP gesture.": 10005,
    "No template data return, verify the template id exist": 20001,
    "Templates type must be same": 20002,
    "Templates count out of max bounds": 20003,
    "The main switch is switched off": 20004,
  };

  function withCode(error) {
    const reason = String(error.errMsg || "").replace(`${NAME}:fail `, "");
    return Object.hasOwn(CODES, reason) ? { errMsg: error.errMsg, errCode: CODES[reason] } : error;
  }

  const ask = api(NAME, (o) => {
    const ids = Array.isArray(o.tmplIds) ? o.tmplIds.filter((id) => typeof id === "string" && id) : [];
    if (!ids.length) throw { errMsg: `${NAME}:fail Empty template id list` };
    if (ids.length > MAX_IDS) throw { errMsg: `${NAME}:fail Templates count out of max bounds` };
    return callHost(NAME, { tmplIds: [...new Set(ids)] });
  });

  W.extend({
    requestSubscribeMessage(options) {
      const opts = options && typeof options === "object" ? options : {};
      const promise = ask({ tmplIds: opts.tmplIds }).catch((error) => {
        throw withCode(error);
      });
      if (!(opts.success || opts.fail || opts.complete)) return promise;
      promise.then(
        (result) => {
          safeCall(opts.success, result);
          safeCall(opts.complete, result);
        },
        (error) => {
          safeCall(opts.fail, error);
          safeCall(opts.complete, error);
        },
      );
      return undefined;
    },
  });
})();
