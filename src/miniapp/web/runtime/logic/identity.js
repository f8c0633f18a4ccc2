// wx APIs: login (see wx.js `extend`). A classic script loaded by the worker after wx.js.
// wx.login and wx.checkSession go to the host (container/apis/login.js), which asks our server
// for the signed-in user: the mini program never sees who the user is, only a code its back end
// trades for an openid (docs/identity.md).
(function () {
  "use strict";
  const W = self.MiniappWx;
  const { api, callHost } = W;

  W.extend({
    login: api("login", (o) => {
      const call = callHost("login", {}).then((res) => ({ code: String(res.code) }));
      if (!(Number.isFinite(o.timeout) && o.timeout > 0)) return call;
      return Promise.race([call, new Promise((_resolve, reject) => setTimeout(() => reject({ errMsg: "login:fail timeout" }), o.timeout))]);
    }),
    checkSession: api("checkSession", () => callHost("checkSession", {}).then(() => ({}))),
  });
})();
