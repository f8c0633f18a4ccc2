// Host side of consent: wx.authorize, wx.getSetting, wx.openSetting, wx.getLocation and
// wx.getUserProfile (docs/consent.md). Merged into the container's HOST_APIS (`this` is the
// MiniProgram; a handler takes the call's args and returns its result or throws {errMsg}).
//
// The signed-in user's decisions are kept by the server, per app and scope: a scope is asked
// once (with the app's reason from app.json `permission[scope].desc`) and remembered; a remembered
// deny fails without asking; the settings page revokes or grants again. Signed out nothing is
// remembered or recorded, so every call asks. The host reads the server on every call rather
// than caching: the settings page of another tab, or Me → Privacy, may have changed it.

import { api, ApiError } from "/static/shared/api.js";
import { t } from "/static/shared/i18n.js";
import { loadSubscriptions, subscriptionsSection } from "/static/runtime/container/apis/subscribe.js";

export const SCOPES = [
  "scope.userInfo", "scope.userLocation", "scope.userFuzzyLocation", "scope.address", "scope.invoice",
  "scope.invoiceTitle", "scope.werun", "scope.record", "scope.writePhotosAlbum", "scope.camera",
  "scope.bluetooth", "scope.addPhoneContact", "scope.addPhoneCalendar",
];
const KNOWN = new Set(SCOPES);
const LOCATION_TIMEOUT_MS = 30000;

/** A scope's (or "userProfile"'s) translated name, as the dialogs and Me → Privacy show it. */
export function scopeLabel(scope) {
  return t(`runtime.scope.${scopeKey(scope)}`);
}

/** "scope.userLocation" → "user_location" (translation keys are snake_case). */
export function scopeKey(scope) {
  return scope.replace(/^scope\./, "").replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

function consentPath(program, what) {
  const query = program.build ? `?build=${encodeURIComponent(program.build)}` : "";
  return `/api/runtime/apps/${encodeURIComponent(program.appid)}/${what}${query}`;
}

function failure(name, error) {
  if (error instanceof ApiError) return { errMsg: `${name}:fail ${error.code || error.message}` };
  return error;
}

/** The user's decisions for the app, or null when signed out (nothing is remembered then). */
async function loadSetting(program, name) {
  try {
    const answer = await api.get(consentPath(program, "consents"));
    return answer.authSetting || {};
  } catch (error) {
    if (error instanceof ApiError && error.signedOut) return null;
    throw failure(name, error);
  }
}

async function saveDecision(program, scope, granted) {
  const answer = await api.put(consentPath(program, `consents/${encodeURIComponent(scope)}`), { granted });
  return answer.authSetting || {};
}

/** Record that the app used `what`; signed out (or refused) nothing is recorded. */
export async function recordAccess(program, what) {
  try {
    await api.post(consentPath(program, "access"), { what });
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
  }
}

function askScope(program, scope) {
  const permission = program.manifest?.app?.permission;
  const desc = permission && typeof permission[scope]?.desc === "string" ? permission[scope].desc : "";
  return program.chrome
    .showModal({
      title: t("runtime.consent.ask", { app: program.name, what: scopeLabel(scope) }),
      content: desc,
      cancelText: t("runtime.consent.deny"),
      confirmText: t("runtime.consent.allow"),
    })
    .then((answer) => answer.confirm === true);
}

/** Passes when the user allows `scope` (asking when undecided); throws `<name>:fail auth deny`. */
export async function ensureScope(program, name, scope) {
  const setting = await loadSetting(program, name);
  if (setting && setting[scope] === true) return;
  if (setting && setting[scope] === false) throw { errMsg: `${name}:fail auth deny` };
  const allowed = await askScope(program, scope);
  if (setting) {
    try {
      await saveDecision(program, scope, allowed);
    } catch (error) {
      throw failure(name, error);
    }
  }
  if (!allowed) throw { errMsg: `${name}:fail auth deny` };
}

function locate(a) {
  if (!navigator.geolocation) return Promise.reject({ errMsg: "getLocation:fail system permission denied" });
  return new Promise((resolve, reject) => {
    navigator.geolocation.getCurrentPosition(
      (position) => resolve(position.coords),
      (error) => reject({ errMsg: error.code === 1 ? "getLocation:fail system permission denied" : `getLocation:fail ${error.message || "position unavailable"}` }),
      { enableHighAccuracy: a.isHighAccuracy === true, timeout: Math.max(LOCATION_TIMEOUT_MS, a.highAccuracyExpireTime || 0), maximumAge: 0 },
    );
  });
}

/** The settings page over the app: a switch per scope the app has asked for. */
export async function openSettingsPage(program) {
  let setting = await loadSetting(program, "openSetting");
  const rows = Object.keys(setting || {})
    .filter((scope) => KNOWN.has(scope))
    .map((scope) => ({ id: scope, label: scopeLabel(scope), on: setting[scope] === true }));
  await program.chrome.showSettings({
    title: t("runtime.settings.title"),
    rows,
    note: setting === null ? t("runtime.settings.signed_out") : rows.length ? "" : t("runtime.settings.none"),
    onChange: async (scope, granted) => {
      setting = await saveDecision(program, scope, granted);
    },
    // "Subscription messages": the main switch and the kept choices (docs/subscriptions.md).
    sections: setting === null ? [] : await subscriptionsSection(program).catch((error) => {
      throw failure("openSetting", error);
    }),
  });
  return { authSetting: { ...(setting || {}) } };
}

export const CONSENT_APIS = {
  async authorize(a) {
    if (!KNOWN.has(a.scope)) throw { errMsg: "authorize:fail invalid scope" };
    await ensureScope(this, "authorize", a.scope);
    return {};
  },
  async getSetting(a) {
    const answer = { authSetting: { ...((await loadSetting(this, "getSetting")) || {}) } };
    if (a && a.withSubscriptions === true) {
      try {
        const { mainSwitch, itemSettings } = await loadSubscriptions(this);
        answer.subscriptionsSetting = { mainSwitch, itemSettings: { ...itemSettings } };
      } catch (error) {
        throw failure("getSetting", error);
      }
    }
    return answer;
  },
  async openSetting() {
    if (this.hiddenAt !== null) throw { errMsg: "openSetting:fail app in background" };
    return openSettingsPage(this);
  },
  async getLocation(a) {
    // Only the app on screen: scope.userLocation is no leave to follow the user once they have
    // gone on to Discover or to another app (WeChat asks a background scope for that).
    const inBackground = () => this.hiddenAt !== null || !this.alive;
    if (inBackground()) throw { errMsg: "getLocation:fail app in background" };
    await ensureScope(this, "getLocation", "scope.userLocation");
    const coords = await locate(a);
    if (inBackground()) throw { errMsg: "getLocation:fail app in background" };
    await recordAccess(this, "scope.userLocation");
    return {
      latitude: coords.latitude,
      longitude: coords.longitude,
      speed: coords.speed ?? -1,
      accuracy: coords.accuracy,
      altitude: coords.altitude ?? 0,
      verticalAccuracy: coords.altitudeAccuracy ?? 0,
      horizontalAccuracy: coords.accuracy,
    };
  },
  async getUserProfile(a) {
    // Only the app on screen may ask (as the phone-number button, login.js).
    if (this.hiddenAt !== null || !this.alive) throw { errMsg: "getUserProfile:fail app in background" };
    // As WeChat: only in answer to a tap (the tap in the page frame activates this one too).
    if (navigator.userActivation && !navigator.userActivation.isActive) {
      throw { errMsg: "getUserProfile:fail can only be invoked by user TAP gesture." };
    }
    let user = null;
    try {
      user = (await api.get("/api/accounts/me")).user;
    } catch (error) {
      if (!(error instanceof ApiError && error.signedOut)) throw failure("getUserProfile", error);
    }
    if (user === null) {
      this.chrome.showToast({ title: t("runtime.consent.sign_in_first"), icon: "none", duration: 3000 });
      throw { errMsg: "getUserProfile:fail not signed in" };
    }
    const answer = await this.chrome.showModal({
      title: t("runtime.consent.ask", { app: this.name, what: scopeLabel("userProfile") }),
      content: a.desc,
      cancelText: t("runtime.consent.deny"),
      confirmText: t("runtime.consent.allow"),
    });
    if (!answer.confirm) throw { errMsg: "getUserProfile:fail auth deny" };
    // The server builds the profile and, once the user has a session in the app (wx.login),
    // signs and encrypts it with the session key, which the host never holds (docs/identity.md).
    let data;
    try {
      data = await api.post(`/api/runtime/apps/${encodeURIComponent(this.appid)}/open-data`, {
        ...(this.build ? { build: this.build } : {}),
        lang: a.lang === "zh_CN" || a.lang === "zh_TW" ? a.lang : "en",
      });
    } catch (error) {
      throw failure("getUserProfile", error);
    }
    await recordAccess(this, "userProfile");
    const result = { userInfo: JSON.parse(data.rawData), rawData: data.rawData };
    if (data.signature) Object.assign(result, { signature: data.signature, encryptedData: data.encryptedData, iv: data.iv });
    return result;
  },
};
