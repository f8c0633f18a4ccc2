// Host side of wx.requestSubscribeMessage (docs/subscriptions.md): merged into the container's
// HOST_APIS (`this` is the MiniProgram; a handler takes the call's args and returns its result or
// throws {errMsg}).
//
// Only in answer to a tap, for a signed-in user: the host reads the templates' titles from our
// server (which checks they are this app's), shows a sheet with a switch per title (on by
// default) and sends the answers back; each accept of a one-time template is one send the app's
// back end may make. Cancel rejects them all.
//
// "Always keep this choice, don't ask again" (checked on the sheet) makes the server keep each
// answer: a later request whose templates all have a kept choice is answered by the server
// without the sheet (still one send per kept accept and request). The main switch off (the
// settings page's "Subscription messages") fails every request: WeChat's 20004.

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
  if (error.code === "subscribe_main_switch_off") return { errMsg: `${NAME}:fail The main switch is switched off` };
  return { errMsg: `${NAME}:fail ${error.code || error.message}` };
}

/** The sheet: a switch per template and "always keep this choice". Resolves {decisions: {id:
 * "accept"|"reject"}, keep} (all rejected and nothing kept on Cancel). */
function showSheet(program, templates) {
  const chrome = program.chrome;
  const rejected = () => ({
    decisions: Object.fromEntries(templates.map((template) => [template.priTmplId, "reject"])),
    keep: false,
  });
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
    const keepRow = document.createElement("label");
    keepRow.className = "mpc-sheet-item mpc-subscribe-keep";
    Object.assign(keepRow.style, { display: "flex", alignItems: "center", gap: "8px", fontSize: "14px" });
    const keep = document.createElement("input");
    keep.type = "checkbox";
    const keepText = document.createElement("span");
    keepText.textContent = t("runtime.subscribe.keep");
    keepRow.append(keep, keepText);
    const allow = document.createElement("button");
    allow.type = "button";
    allow.className = "mpc-sheet-item mpc-subscribe-allow";
    allow.textContent = t("runtime.subscribe.allow");
    allow.style.color = "#576B95"; // the confirm colour of the chrome's dialogs
    allow.addEventListener("click", () =>
      finish(true, {
        decisions: Object.fromEntries(switches.map(({ id, toggle }) => [id, toggle.checked ? "accept" : "reject"])),
        keep: keep.checked,
      }),
    );
    const built = chrome._buildSheet(layer, {
      heading: t("runtime.subscribe.ask", { app: program.name }),
      items: [...switches.map(({ row }) => row), keepRow, allow],
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
    try {
      // Every template kept (and the main switch on): answered without the sheet.
      const kept = await api.post(subscribePath(this, "subscribe/kept"), { tmplIds: templates.map((template) => template.priTmplId) });
      if (kept.decisions) return kept.decisions;
    } catch (error) {
      throw failure(error);
    }
    const answer = await showSheet(this, templates);
    try {
      return await api.post(subscribePath(this, "subscribe"), answer);
    } catch (error) {
      throw failure(error);
    }
  },
};

/** WeChat's subscriptionsSetting {mainSwitch, itemSettings} and the kept choices' titles
 * (`items`); signed out nothing is kept (mainSwitch on, no items). */
export async function loadSubscriptions(program) {
  try {
    return await api.get(subscribePath(program, "subscriptions"));
  } catch (error) {
    if (error instanceof ApiError && error.signedOut) return { mainSwitch: true, itemSettings: {}, items: [], signedOut: true };
    throw error;
  }
}

/** The settings page's "Subscription messages" section: the main switch, then each kept
 * choice (on = accept) with a button that forgets it. Signed out: no section. */
export async function subscriptionsSection(program) {
  const setting = await loadSubscriptions(program);
  if (setting.signedOut) return [];
  const path = (id) => subscribePath(program, `subscriptions/${encodeURIComponent(id)}`);
  return [
    {
      heading: t("runtime.settings.subscriptions"),
      rows: [
        { id: "mainSwitch", label: t("runtime.settings.subscriptions_main"), on: setting.mainSwitch },
        ...setting.items.map((item) => ({
          id: item.priTmplId,
          label: item.title,
          on: item.decision === "accept",
          forget: t("runtime.settings.subscriptions_forget"),
          forgetLabel: t("runtime.settings.subscriptions_forget_named", { title: item.title }),
        })),
      ],
      onChange: (id, on) =>
        id === "mainSwitch"
          ? api.put(subscribePath(program, "subscriptions"), { mainSwitch: on })
          : api.put(path(id), { decision: on ? "accept" : "reject" }),
      onForget: (id) => api.delete(path(id)),
    },
  ];
}
