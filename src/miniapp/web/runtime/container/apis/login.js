// Host side of wx.login and wx.checkSession: merged into the container's HOST_APIS (`this` is the
// MiniProgram; a handler takes the call's args and returns its result or throws {errMsg}).
//
// The host asks the server for the signed-in user (docs/identity.md): a login code for this app
// (and the build it launched, for a member's preview), or whether the user's session in it still
// holds. Signed out, wx.login fails "not signed in" and the host invites the user to sign in.

import { api, ApiError } from "/static/shared/api.js";
import { t } from "/static/shared/i18n.js";

function appPath(program, what) {
  return `/api/runtime/apps/${encodeURIComponent(program.appid)}/${what}`;
}

function failure(name, error) {
  if (error instanceof ApiError) return { errMsg: `${name}:fail ${error.signedOut ? "not signed in" : error.code || error.message}` };
  return error;
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
};
