// Host side of wx.requestSubscribeMessage (docs/subscriptions.md): merged into the container's
// HOST_APIS (`this` is the MiniProgram; a handler takes the call's args and returns its result or
// throws {errMsg}).
//
// Only in answer to a tap, for a signed-in user: the host reads the templates' titles from our
// server (which checks they are this app's), shows a sheet with a switch per title (on by
// default) and sends the answers back; each accept of a one-time template is one send the app's
// back end may make. Cancel rejects them all.

import { api, ApiError } from "/static/shared/api.js";
import { t } from "/static/shared/i18n.js";

const NAME = "requestSubscribeMessage";

function subscribePath(program, what, query = {}) {
  const params = new URLSearchParams(query);
  if (program.build) params.set("build", program.build);
  const search = params.toString();
  return `/api/runtime/apps/${encodeURIComponent(program.appid)}/${what}${search ? `?${search}` : ""}`;
}

function failure(error) {
  if (!(error instanceof ApiError)) return error;
  if (error.signedOut) return { errMsg: `${NAME}:fail not signed in` };
  if (error.code === "subscribe_template_unknown") return { errMsg: `${NAME}:fail No template data return, verify the template id exist` };
  return { errMsg: `${NAME}:fail ${error.code || error.message}` };
}

/** The sheet: a switch per template. Resolves {id: "accept"|"reject"} (all rejected on Cancel). */
function showSheet(program, templates) {
  const chrome = program.chrome;
  const rejected = () => Object.fromEntries(templates.map((template) => [template.priTmplId, "reject"]));
  // The chrome's queue and sheet frame (as showActionSheet's), so this sheet waits its turn with
  // the app's own dialogs and is torn down with the app.
  return chrome._present([true, rejected], (layer, finish) => {
    const switches = templates.map((template) => {
      const row = document.createElement("label");
      row.className = "mpc-sheet-item mpc-subscribe-row";
      Object.assign(row.style, { display: "flex", justifyContent: "space-between", alignItems: "center", gap: "12px" });
      const title = document.createElement("span");
      title.textContent = template.title;
      const toggle = document.createElement("input");
      toggle.type = "checkbox";
      toggle.setAttribute("role", "switch");
      toggle.className = "mpc-settings-switch";
      toggle.checked = true;
      toggle.dataset.id = template.priTmplId;
      row.append(title, toggle);
      return { row, toggle, id: template.priTmplId };
    });
    const allow = document.createElement("button");
    allow.type = "button";
    allow.className = "mpc-sheet-item mpc-subscribe-allow";
    allow.textContent = t("runtime.subscribe.allow");
    allow.style.color = "#576B95"; // the confirm colour of the chrome's dialogs
    allow.addEventListener("click", () =>
      finish(true, Object.fromEntries(switches.map(({ id, toggle }) => [id, toggle.checked ? "accept" : "reject"]))),
    );
    const built = chrome._buildSheet(layer, {
      heading: t("runtime.subscribe.ask", { app: program.name }),
      items: [...switches.map(({ row }) => row), allow],
      cancel: () => finish(true, rejected()),
    });
    return { ...built, focus: allow };
  });
}

export const SUBSCRIBE_APIS = {
  async requestSubscribeMessage(a) {
    if (navigator.userActivation && !navigator.userActivation.isActive) {
      throw { errMsg: `${NAME}:fail can only be invoked by user TAP gesture.` };
    }
    const ids = Array.isArray(a.tmplIds) ? a.tmplIds.filter((id) => typeof id === "string") : [];
    let templates;
    try {
      ({ templates } = await api.get(subscribePath(this, "subscribe/templates", { ids: ids.join(",") })));
    } catch (error) {
      if (error instanceof ApiError && error.signedOut) {
        this.chrome.showToast({ title: t("runtime.login.sign_in_first"), icon: "none", duration: 3000 });
      }
      throw failure(error);
    }
    if (new Set(templates.map((template) => template.type)).size > 1) {
      throw { errMsg: `${NAME}:fail Templates type must be same` };
    }
    const decisions = await showSheet(this, templates);
    try {
      return await api.post(subscribePath(this, "subscribe"), { decisions });
    } catch (error) {
      throw failure(error);
    }
  },
};
