// wx APIs: consent (see wx.js `extend`). A classic script loaded by the worker after wx.js.
// The user's decisions live with the host (container/apis/consent.js, docs/consent.md): the app
// asks, the host shows the dialog or the settings page and answers; the app never decides.
(function () {
  "use strict";
  const W = self.MiniappWx;
  const { api, callHost } = W;

  W.extend({
    authorize: api("authorize", (o) => callHost("authorize", { scope: typeof o.scope === "string" ? o.scope : "" }).then(() => ({}))),
    getSetting: api("getSetting", (o) =>
      callHost("getSetting", { withSubscriptions: o.withSubscriptions === true }).then((res) => ({
        authSetting: { ...(res.authSetting || {}) },
        ...(res.subscriptionsSetting ? { subscriptionsSetting: { mainSwitch: res.subscriptionsSetting.mainSwitch, itemSettings: { ...res.subscriptionsSetting.itemSettings } } } : {}),
      })),
    ),
    openSetting: api("openSetting", () => callHost("openSetting", {}).then((res) => ({ authSetting: { ...(res.authSetting || {}) } }))),
    getLocation: api("getLocation", (o) =>
      callHost("getLocation", { type: o.type === "gcj02" ? "gcj02" : "wgs84", isHighAccuracy: o.isHighAccuracy === true, highAccuracyExpireTime: Number(o.highAccuracyExpireTime) || 0 }),
    ),
    getUserProfile: api("getUserProfile", (o) => {
      if (typeof o.desc !== "string" || !o.desc) throw { errMsg: "getUserProfile:fail parameter error: desc is required" };
      return callHost("getUserProfile", { desc: o.desc.slice(0, 30), lang: typeof o.lang === "string" ? o.lang : "en" });
    }),
  });
})();
