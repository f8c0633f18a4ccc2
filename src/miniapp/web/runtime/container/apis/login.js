// Host side of wx.login, wx.checkSession and the phone-number button: merged into the
// container's HOST_APIS (`this` is the MiniProgram; a handler takes the call's args and returns
// its result or throws {errMsg}).
//
// The host asks the server for the signed-in user (docs/identity.md): a login code for this app
// (and the build it launched, for a member's preview), or whether the user's session in it still
// holds. Signed out, wx.login fails "not signed in" and the host invites the user to sign in.
// The phone-number button (`open-type="getPhoneNumber"`, framework.js openTypeAction) asks the
// user on a sheet naming the app and showing their number; only then does the server issue the
// code (and the legacy encrypted number) the page's event carries. The getUserInfo button gets
// WeChat's anonymous profile, signed and encrypted by the server.

import { api, ApiError } from "/static/shared/api.js";
import { localize, t } from "/static/shared/i18n.js";

function appPath(program, what) {
  return `/api/runtime/apps/${encodeURIComponent(program.appid)}/${what}`;
}

function failure(name, error) {
  if (error instanceof ApiError) return { errMsg: `${name}:fail ${error.signedOut ? "not signed in" : error.code || error.message}` };
  return error;
}

/** "+8613800138000" → "138****8000": enough for the user to recognise, little for onlookers. */
export function maskPhone(phone) {
  const national = phone.startsWith("+86") ? phone.slice(3) : phone;
  if (national.length < 8) return national;
  return `${national.slice(0, 3)}****${national.slice(-4)}`;
}

/** The sheet: the app asks for the number shown. Resolves true on Allow, false on Deny/dismiss. */
function askPhoneNumber(program, phone) {
  const chrome = program.chrome;
  return chrome._present([true, false], (layer, finish) => {
    const number = document.createElement("p");
    number.className = "mpc-sheet-item mpc-phone-number";
    number.textContent = maskPhone(phone);
    const allow = document.createElement("button");
    allow.type = "button";
    allow.className = "mpc-sheet-item mpc-phone-allow";
    allow.textContent = t("runtime.consent.allow");
    allow.style.color = "#576B95"; // the confirm colour of the chrome's dialogs
    allow.addEventListener("click", () => finish(true, true));
    const built = chrome._buildSheet(layer, {
      heading: t("runtime.phone_number.ask", { app: program.name }),
      items: [number, allow],
      cancel: () => finish(true, false),
    });
    // The sheet's bottom button is Deny here (it settles as Cancel does).
    const deny = layer.querySelector(".mpc-sheet-cancel");
    if (deny) localize(deny, "runtime.consent.deny");
    return { ...built, focus: allow };
  });
}

export const LOGIN_APIS = {
  async login() {
    try {
      const answer = await api.post(appPath(this, "login"), this.build ? { build: this.build } : {});
      return { code: answer.code };
    } catch (error) {
      if (error instanceof ApiError && error.signedOut) {
        this.chrome.showToast({ title: t("runtime.login.sign_in_first"), icon: "none", duration: 3000 });
      }
      throw failure("login", error);
    }
  },
  async checkSession() {
    let answer;
    try {
      const query = this.build ? `?build=${encodeURIComponent(this.build)}` : "";
      answer = await api.get(appPath(this, "session") + query);
    } catch (error) {
      throw failure("checkSession", error);
    }
    if (!answer.valid) throw { errMsg: "checkSession:fail session expired" };
    return {};
  },
  /** The phone-number button ({realtime}): only from a tap, for a signed-in user with a number. */
  async phoneNumber(a) {
    const name = a.realtime === true ? "getRealtimePhoneNumber" : "getPhoneNumber";
    // Only the app on screen may ask: one in the background would put its sheet up later, out
    // of the blue, from a tap the user made in Discover or in another app.
    const inBackground = () => this.hiddenAt !== null || !this.alive;
    if (inBackground()) throw { errMsg: `${name}:fail app in background` };
    if (navigator.userActivation && !navigator.userActivation.isActive) {
      throw { errMsg: `${name}:fail can only be invoked by user TAP gesture.` };
    }
    let user = null;
    try {
      user = (await api.get("/api/accounts/me")).user;
    } catch (error) {
      if (!(error instanceof ApiError && error.signedOut)) throw failure(name, error);
    }
    if (user === null) {
      this.chrome.showToast({ title: t("runtime.login.sign_in_first"), icon: "none", duration: 3000 });
      throw { errMsg: `${name}:fail not signed in` };
    }
    if (!user.phone) {
      await this.chrome.showModal({
        title: t("runtime.phone_number.ask", { app: this.name }),
        content: t("runtime.phone_number.none"),
        showCancel: false,
        confirmText: t("runtime.phone_number.ok"),
      });
      throw { errMsg: `${name}:fail no phone number` };
    }
    if (inBackground()) throw { errMsg: `${name}:fail app in background` };
    if (!(await askPhoneNumber(this, user.phone))) throw { errMsg: `${name}:fail user deny` };
    let answer;
    try {
      answer = await api.post(appPath(this, "phone-number"), { ...(this.build ? { build: this.build } : {}), legacy: a.realtime !== true });
    } catch (error) {
      if (error instanceof ApiError && error.code === "phone_number_missing") throw { errMsg: `${name}:fail no phone number` };
      throw failure(name, error);
    }
    const detail = { code: answer.code };
    if (answer.encryptedData) Object.assign(detail, { encryptedData: answer.encryptedData, iv: answer.iv });
    return detail;
  },
  /**
   * The `open-type="getUserInfo"` button ({lang}): WeChat's anonymous profile, so nobody is asked;
   * after wx.login signed and encrypted with the user's openId (docs/identity.md).
   */
  async anonymousUserInfo(a) {
    let data;
    try {
      data = await api.post(appPath(this, "open-data"), {
        ...(this.build ? { build: this.build } : {}),
        lang: a.lang === "zh_CN" || a.lang === "zh_TW" ? a.lang : "en",
        anonymous: true,
      });
    } catch (error) {
      throw failure("getUserInfo", error);
    }
    const result = { userInfo: JSON.parse(data.rawData), rawData: data.rawData };
    if (data.signature) Object.assign(result, { signature: data.signature, encryptedData: data.encryptedData, iv: data.iv });
    return result;
  },
};
