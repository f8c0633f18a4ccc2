// One mini program (#/apps/<appid>): its profile (admins edit it: name, description, category,
// logo, the permits its category needs, the five server-domain lists), the AppSecret reset
// (admins; the new secret is shown once), and the versions, release and code cards (versions.js,
// release.js, codes.js). Every member reads it; controls appear only for the roles that may use them.

import { api } from "/static/shared/api.js";
import { bindForm, clearMessages, runAction, showError, showStatus } from "/static/shared/forms.js";
import { localize, showDateTime } from "/static/shared/i18n.js";
import {
  fillCategorySelect,
  loadCategories,
  permitParam,
  showCategory,
} from "/static/console/categories.js";
import { canManageApp, roleParam } from "/static/console/roles.js";
import { bindCodes, showCodes } from "/static/console/codes.js";
import { bindSubscriptions, showSubscriptions } from "/static/console/subscriptions.js";
import { bindRelease, showRelease } from "/static/console/release.js";
import { bindVersions, showVersions, stopWatching } from "/static/console/versions.js";

const DOMAIN_FIELDS = [
  "request_domains",
  "socket_domains",
  "upload_domains",
  "download_domains",
  "webview_domains",
];

const $ = (id) => document.getElementById(id);
let latestLoad = 0;

/** What the page shows: the app, my role in its organisation, the organisation's verification,
 * the categories, and the versions and release history (loaded by refresh()). */
export const page = {
  app: null,
  role: null,
  organisation: null,
  categories: [],
  versions: [],
  releases: [],
  /** Fetch the app, its versions and its release history again and redraw those parts (the
   * profile form keeps what the user is typing). */
  refresh: async () => {},
};

const appPath = (suffix = "") => `/api/console/apps/${encodeURIComponent(page.app.appid)}${suffix}`;

/** Load and show the app with appid (the page is blank with "Loading…" until it arrives). */
export async function showApp(appid) {
  const load = ++latestLoad;
  stopWatching();
  page.app = null;
  $("app-content").hidden = true;
  $("app-loading").hidden = false;
  $("app-back").href = "#/";
  localize($("app-back"), "console.app.back_all");
  clearMessages($("app-load"));
  try {
    const { app } = await api.get(`/api/console/apps/${encodeURIComponent(appid)}`);
    const [{ organisation }, categories, { versions }, { releases }] = await Promise.all([
      api.get(`/api/console/organisations/${encodeURIComponent(app.organisation.id)}`),
      loadCategories(),
      api.get(`/api/console/apps/${encodeURIComponent(appid)}/versions`),
      api.get(`/api/console/apps/${encodeURIComponent(appid)}/releases`),
    ]);
    if (load !== latestLoad) return;
    Object.assign(page, { app, organisation, role: organisation.my_role, categories, versions, releases });
    page.refresh = () => refresh(load);
    renderAll();
    $("app-content").hidden = false;
  } catch (error) {
    if (load === latestLoad) showError($("app-load"), error);
  } finally {
    if (load === latestLoad) $("app-loading").hidden = true;
  }
}

async function refresh(load) {
  const appid = page.app.appid;
  const [{ app }, { versions }, { releases }] = await Promise.all([
    api.get(`/api/console/apps/${encodeURIComponent(appid)}`),
    api.get(`/api/console/apps/${encodeURIComponent(appid)}/versions`),
    api.get(`/api/console/apps/${encodeURIComponent(appid)}/releases`),
  ]);
  if (load !== latestLoad) return;
  Object.assign(page, { app, versions, releases });
  renderHeading();
  renderProfileNotes();
  showVersions(page);
  showRelease(page);
  showCodes(page);
}

function renderAll() {
  renderHeading();
  renderProfile();
  renderSecret();
  showVersions(page);
  showRelease(page);
  showCodes(page);
  showSubscriptions(page);
}

function renderHeading() {
  const { app, organisation } = page;
  $("app-name").textContent = app.name;
  $("app-appid").textContent = app.appid;
  $("app-logo").hidden = !app.logo_url;
  if (app.logo_url) $("app-logo").src = app.logo_url;
  localize($("app-my-role"), "console.app.my_role", {
    organisation: organisation.name,
    role: roleParam(page.role),
  });
  $("app-back").href = `#/organisations/${encodeURIComponent(organisation.id)}`;
  localize($("app-back"), "console.app.back", { organisation: organisation.name });
}

const domainsText = (domains) => (domains ?? []).join("\n");
const domainLines = (text) =>
  text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);

function renderProfile() {
  const { app } = page;
  const admin = canManageApp(page.role);
  $("profile-form").hidden = !admin;
  $("profile-readonly").hidden = admin;
  $("logo-form").hidden = !admin;
  if (admin) {
    const form = $("profile-form");
    clearMessages(form);
    form.elements.name.value = app.name;
    form.elements.description.value = app.description ?? "";
    fillCategorySelect(form.elements.category, page.categories, app.category ?? "");
    for (const name of DOMAIN_FIELDS) form.elements[name].value = domainsText(app[name]);
    clearMessages($("logo-form"));
    $("logo-form").reset();
    $("logo-preview-figure").hidden = true;
  } else {
    const show = (name, text) => {
      $("profile-readonly").querySelector(`[data-profile="${name}"]`).textContent = text;
    };
    show("name", app.name);
    show("description", app.description || "—");
    showCategory($("profile-readonly").querySelector('[data-profile="category"]'), app.category, page.categories);
    for (const name of DOMAIN_FIELDS) show(name, (app[name] ?? []).join(", ") || "—");
  }
  renderProfileNotes();
}

/** The logo, the permits and what the profile still lacks (they change after uploads). */
function renderProfileNotes() {
  const { app } = page;
  const admin = canManageApp(page.role);
  $("logo-current").hidden = !app.logo_url;
  if (app.logo_url) $("logo-current").src = app.logo_url;
  localize($("logo-current-caption"), app.logo_url ? "console.logo.current" : "console.logo.none");

  const missing = [];
  if (!app.description) missing.push({ key: "field.description" });
  if (!app.category) missing.push({ key: "field.category" });
  for (const permit of app.permits_missing ?? []) missing.push(permitParam(permit));
  $("profile-missing").hidden = missing.length === 0;
  $("profile-missing-list").replaceChildren(
    ...missing.map((item) => localize(document.createElement("li"), "console.param", { value: item })),
  );
  renderPermits(admin);
}

function renderPermits(admin) {
  const { app } = page;
  const required = new Set([...(app.permits ?? []).map((p) => p.permit), ...(app.permits_missing ?? [])]);
  const category = page.categories.find((c) => c.id === app.category);
  for (const permit of category ? category.permits : []) required.add(permit);
  $("permits-block").hidden = required.size === 0 && (app.permits ?? []).length === 0;
  const uploaded = new Map((app.permits ?? []).map((p) => [p.permit, p]));
  $("permits-list").replaceChildren(
    ...[...required].map((permit) => {
      const item = document.createElement("li");
      const done = uploaded.get(permit);
      if (done) {
        // The text in its own element: a language change redraws it and keeps the <time>.
        const text = localize(document.createElement("span"), "console.permits.uploaded", {
          permit: permitParam(permit),
          file: done.file_name,
        });
        item.append(text, " ", showDateTime(document.createElement("time"), done.uploaded_at));
      } else {
        localize(item, "console.permits.missing", { permit: permitParam(permit) });
        item.className = "permit-missing";
      }
      return item;
    }),
  );
  $("permits-none").hidden = required.size > 0;
  $("permit-form").hidden = !admin || required.size === 0;
  if (admin) {
    const select = $("permit-id");
    select.replaceChildren(
      ...[...required].map((permit) => {
        const option = localize(document.createElement("option"), "console.param", { value: permitParam(permit) });
        option.value = permit;
        return option;
      }),
    );
  }
}

function renderSecret() {
  const { app } = page;
  const admin = canManageApp(page.role);
  $("secret-section").hidden = !admin;
  if (!admin) return;
  clearMessages($("secret-section"));
  setSecretConfirming(false);
  $("secret-once").hidden = true;
  $("secret-value").value = "";
  if (app.secret_reset_at) {
    delete $("secret-state").dataset.i18n;
    const label = localize(document.createElement("span"), "console.secret.reset_at_label");
    const when = showDateTime(document.createElement("time"), app.secret_reset_at);
    $("secret-state").replaceChildren(label, " ", when);
  } else {
    localize($("secret-state"), app.secret_set ? "console.secret.set" : "console.secret.unset");
  }
}

function setSecretConfirming(confirming) {
  $("secret-idle").hidden = confirming;
  $("secret-confirm").hidden = !confirming;
}

/** The profile fields that differ from what the server has (only those are sent). */
function changedProfile(form) {
  const { app } = page;
  const body = {};
  const name = form.elements.name.value.trim();
  if (name !== app.name) body.name = name;
  const description = form.elements.description.value;
  if (description.trim() !== (app.description ?? "").trim()) body.description = description;
  const category = form.elements.category.value;
  if (category && category !== app.category) body.category = category;
  for (const field of DOMAIN_FIELDS) {
    const lines = domainLines(form.elements[field].value);
    if (lines.join("\n") !== (app[field] ?? []).join("\n")) body[field] = lines;
  }
  return body;
}

export function bindAppPage() {
  const form = $("profile-form");
  bindForm(form, async () => {
    const body = changedProfile(form);
    if (Object.keys(body).length === 0) {
      showStatus(form, "console.profile.unchanged");
      return;
    }
    const { app } = await api.patch(appPath(), body);
    page.app = app;
    renderHeading();
    renderProfile();
    showStatus(form, "console.profile.saved");
  });

  const logoForm = $("logo-form");
  let previewUrl = null;
  $("logo-file").addEventListener("change", () => {
    if (previewUrl) URL.revokeObjectURL(previewUrl);
    const file = $("logo-file").files[0];
    previewUrl = file ? URL.createObjectURL(file) : null;
    $("logo-preview-figure").hidden = !previewUrl;
    if (previewUrl) $("logo-preview").src = previewUrl;
  });
  bindForm(logoForm, async () => {
    const { app } = await api.put(appPath("/logo"), new FormData(logoForm));
    page.app = app;
    logoForm.reset();
    $("logo-preview-figure").hidden = true;
    renderHeading();
    renderProfileNotes();
    showStatus(logoForm, "console.logo.done");
  });

  const permitForm = $("permit-form");
  bindForm(permitForm, async () => {
    const permit = permitForm.elements.permit.value;
    await api.post(appPath("/permits"), new FormData(permitForm));
    const { app } = await api.get(appPath());
    page.app = app;
    permitForm.reset();
    renderProfileNotes();
    showStatus(permitForm, "console.permits.done", { permit: permitParam(permit) });
  });

  $("secret-reset").addEventListener("click", () => {
    clearMessages($("secret-section"));
    setSecretConfirming(true);
    $("secret-no").focus();
  });
  $("secret-no").addEventListener("click", () => {
    setSecretConfirming(false);
    $("secret-reset").focus();
  });
  $("secret-yes").addEventListener("click", () =>
    runAction($("secret-section"), async () => {
      try {
        const { secret } = await api.post(appPath("/secret"));
        $("secret-value").value = secret;
        $("secret-once").hidden = false;
      } finally {
        setSecretConfirming(false);
      }
      const { app } = await api.get(appPath());
      page.app = app;
      const value = $("secret-value").value;
      renderSecret();
      $("secret-value").value = value; // renderSecret forgets it: show it this once
      $("secret-once").hidden = false;
      $("secret-heading").focus();
    }),
  );

  bindVersions(page);
  bindRelease(page);
  bindCodes(page);
  bindSubscriptions(page);
}
