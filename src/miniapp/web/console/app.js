// The console: header, sign-in, the "become a developer" step, and hash routing between the
// organisation list (#/) and one organisation (#/organisations/<id>).

import {
  currentUser,
  loadCurrentUser,
  onUserChange,
  signIn,
  signOut,
  updateUser,
} from "/static/shared/account.js";
import { ApiError, api } from "/static/shared/api.js";
import { showView } from "/static/shared/dom.js";
import { bindForm, runAction, showError } from "/static/shared/forms.js";
import { translateTree } from "/static/shared/i18n.js";
import { bindLanguageSwitches } from "/static/shared/language-switch.js";
import { bindOrganisation, showOrganisation } from "/static/console/organisation.js";
import { bindOrganisations, showOrganisations } from "/static/console/organisations.js";

const $ = (id) => document.getElementById(id);
const views = $("views");

function currentRoute() {
  const match = window.location.hash.match(/^#\/organisations\/([^/]+)$/);
  return match ? { view: "view-organisation", id: decodeURIComponent(match[1]) } : { view: "view-organisations" };
}

function renderHeader(user) {
  $("header-user").hidden = !user;
  if (user) {
    $("header-user-name").textContent = user.display_name;
    $("header-user-login").textContent = user.email ?? user.phone ?? "";
  }
}

/** Which page the user may see: it changes with the route and with who is signed in. */
function render() {
  const user = currentUser();
  renderHeader(user);
  if (!user) {
    showView(views, "view-signin");
    return;
  }
  if (!user.is_developer) {
    showView(views, "view-developer");
    return;
  }
  const route = currentRoute();
  showView(views, route.view);
  if (route.view === "view-organisation") showOrganisation(route.id);
  else showOrganisations();
}

let shown = null; // the user state the current page was drawn for

function onUser(user, reason) {
  const state = user ? `${user.id}:${user.is_developer}` : "signed-out";
  if (state === shown) {
    renderHeader(user); // e.g. the language was saved: nothing else changed
    return;
  }
  shown = state;
  if (!user) {
    $("signin-form").reset();
    if (reason === "session_expired") showError($("signin-form"), new ApiError(401, { code: reason }));
  }
  render();
}

function bind() {
  bindLanguageSwitches(document);
  bindForm($("signin-form"), (values) => signIn(values));
  $("sign-out-button").addEventListener("click", () => runAction($("header-user"), signOut));
  $("become-developer-button").addEventListener("click", () =>
    runAction($("developer-card"), async () => {
      const data = await api.post("/api/console/developer");
      updateUser(data.user);
    }),
  );
  bindOrganisations();
  bindOrganisation();
  window.addEventListener("hashchange", () => {
    render();
    views.focus();
  });
}

async function start() {
  translateTree(document);
  bind();
  onUserChange(onUser);
  try {
    await loadCurrentUser();
  } catch (error) {
    $("loading-text").hidden = true;
    showError($("view-loading"), error);
  }
}

start();
