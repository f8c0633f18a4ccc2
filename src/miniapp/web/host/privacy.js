// Me → Privacy (`#me/privacy`): what each mini program accessed with the user's consent (a scope
// it was granted, or the profile the user agreed to share) and when, from GET /api/me/privacy
// (docs/consent.md). Loaded every time the page is shown: it is never stale.

import { api, ApiError } from "/static/shared/api.js";
import { showError, clearMessages } from "/static/shared/forms.js";
import { localize, showDateTime } from "/static/shared/i18n.js";
import { scopeKey } from "/static/runtime/container/apis/consent.js";

const $ = (id) => document.getElementById(id);

function accessItem(access) {
  const item = document.createElement("li");
  item.className = "privacy-access";
  const what = document.createElement("span");
  localize(what, `runtime.scope.${scopeKey(access.what)}`);
  item.append(what, showDateTime(document.createElement("time"), access.at));
  return item;
}

function appCard(app) {
  const card = document.createElement("section");
  card.className = "card privacy-app";
  card.dataset.appid = app.appid;
  const name = document.createElement("h2");
  name.className = "privacy-app-name";
  name.textContent = app.name;
  const list = document.createElement("ul");
  list.className = "privacy-accesses";
  list.append(...app.accesses.map(accessItem));
  card.append(name, list);
  return card;
}

export async function loadPrivacy() {
  const panel = $("panel-privacy");
  const list = $("privacy-list");
  clearMessages(panel);
  $("privacy-signed-out").hidden = true;
  $("privacy-empty").hidden = true;
  let answer;
  try {
    answer = await api.get("/api/me/privacy");
  } catch (error) {
    list.replaceChildren();
    if (error instanceof ApiError && error.signedOut) $("privacy-signed-out").hidden = false;
    else showError(panel, error);
    return;
  }
  list.replaceChildren(...answer.apps.map(appCard));
  $("privacy-empty").hidden = answer.apps.length > 0;
}
