// The organisation's mini programs (every member sees them: name, logo, appid, what is released)
// and, for admins, "Register a mini program", whose answer carries the AppSecret: shown once here,
// since the server keeps only its hash.

import { api } from "/static/shared/api.js";
import { fromTemplate, part } from "/static/shared/dom.js";
import { bindForm, clearMessages, showError } from "/static/shared/forms.js";
import { localize } from "/static/shared/i18n.js";
import { fillCategorySelect, loadCategories } from "/static/console/categories.js";

const $ = (id) => document.getElementById(id);
let organisation = null;

export const appPath = (appid) => `#/apps/${encodeURIComponent(appid)}`;

/** Mark element with what an app serves: nothing, a version to everyone, and a grey share. */
export function showReleaseState(element, release) {
  if (!release || !release.version) {
    if (release && release.grey_version) {
      return localize(element, "console.apps.release.grey_only", {
        grey: release.grey_version,
        percent: release.grey_percent,
      });
    }
    return localize(element, "console.apps.release.none");
  }
  if (release.grey_version) {
    return localize(element, "console.apps.release.with_grey", {
      version: release.version,
      grey: release.grey_version,
      percent: release.grey_percent,
    });
  }
  return localize(element, "console.apps.release.full", { version: release.version });
}

function appRow(app) {
  const row = fromTemplate("tpl-app-row");
  part(row, "link").href = appPath(app.appid);
  part(row, "name").textContent = app.name;
  if (app.logo_url) {
    part(row, "logo").src = app.logo_url;
    part(row, "logo").hidden = false;
  }
  part(row, "appid").textContent = app.appid;
  showReleaseState(part(row, "release"), app.release);
  return row;
}

async function refreshApps() {
  const shownId = organisation.id;
  const { apps } = await api.get(`/api/console/organisations/${encodeURIComponent(shownId)}/apps`);
  if (organisation === null || organisation.id !== shownId) return;
  $("apps-body").replaceChildren(...apps.map(appRow));
  $("apps-empty").hidden = apps.length > 0;
  $("apps-table-wrap").hidden = apps.length === 0;
}

/** Show org's mini programs; admins also get the registration form. */
export async function showApps(org) {
  organisation = org;
  const section = $("apps-section");
  clearMessages(section);
  $("app-secret-once").hidden = true;
  $("app-secret-once-value").value = "";
  const admin = org.my_role === "admin";
  $("register-app-form").hidden = !admin;
  const loads = [refreshApps()];
  if (admin) {
    loads.push(
      loadCategories().then((categories) => fillCategorySelect($("register-app-category"), categories)),
    );
  }
  try {
    await Promise.all(loads);
  } catch (error) {
    showError(section, error);
  }
}

function showSecretOnce(app, secret) {
  const card = $("app-secret-once");
  clearMessages(card);
  localize($("app-secret-once-heading"), "console.apps.secret_title", { name: app.name });
  $("app-secret-once-value").value = secret;
  $("app-secret-once-open").href = appPath(app.appid);
  card.hidden = false;
  $("app-secret-once-heading").focus();
}

/** afterChange(): called after an app was registered (e.g. to reload the audit log). */
export function bindApps({ afterChange }) {
  const form = $("register-app-form");
  bindForm(form, async (values) => {
    const body = { name: values.name, description: values.description };
    if (values.category) body.category = values.category;
    const path = `/api/console/organisations/${encodeURIComponent(organisation.id)}/apps`;
    const { app, secret } = await api.post(path, body);
    form.reset();
    await refreshApps();
    showSecretOnce(app, secret);
    await afterChange();
  });
  $("app-secret-once-done").addEventListener("click", () => {
    $("app-secret-once").hidden = true;
    $("app-secret-once-value").value = ""; // gone from the page, as promised
    $("apps-heading").focus();
  });
  // Leaving for the app's page forgets the secret too.
  $("app-secret-once-open").addEventListener("click", () => {
    $("app-secret-once-value").value = "";
  });
}
