// The host: the super-app shell a user sees. Tabs Chats (service notifications), Discover (search
// and the mini programs) and Me (hash routes), the account forms on Me, Me → Settings (language,
// password) and Me → Privacy.

import {
  changePassword,
  loadCurrentUser,
  onUserChange,
  signIn,
  signOut,
  signUp,
} from "/static/shared/account.js";
import { showView } from "/static/shared/dom.js";
import { bindForm, runAction, showError, showStatus } from "/static/shared/forms.js";
import { localize, translateTree } from "/static/shared/i18n.js";
import { ApiError } from "/static/shared/api.js";
import { bindLanguageSwitches } from "/static/shared/language-switch.js";
import { appRoute, loadDiscover, routeChanged } from "/static/host/miniprograms.js";
import { bindSearch } from "/static/host/search.js";
import { bindScan } from "/static/host/scan.js";
import { loadPrivacy } from "/static/host/privacy.js";
import { loadNotifications } from "/static/host/notifications.js";

const ROUTES = {
  chats: { panel: "panel-chats", tab: "chats", title: "host.tab.chats", load: loadNotifications },
  discover: { panel: "panel-discover", tab: "discover", title: "host.tab.discover" },
  me: { panel: "panel-me", tab: "me", title: "host.tab.me" },
  "me/settings": { panel: "panel-settings", tab: "me", title: "host.settings.title", back: true },
  "me/privacy": { panel: "panel-privacy", tab: "me", title: "host.privacy.title", back: true, load: loadPrivacy },
};

const $ = (id) => document.getElementById(id);
const panels = $("panels");
const title = $("page-title");
const signinForm = $("signin-form");
const signupForm = $("signup-form");

function currentRoute() {
  // Behind an open mini program the host keeps showing the tab it was opened from.
  if (appRoute()) return ROUTES.discover;
  return ROUTES[window.location.hash.slice(1)] ?? ROUTES.chats;
}

function renderRoute({ focus }) {
  const route = currentRoute();
  showView(panels, route.panel);
  localize(title, route.title);
  $("back-link").hidden = !route.back;
  for (const tab of document.querySelectorAll(".tab")) {
    if (tab.dataset.tab === route.tab) tab.setAttribute("aria-current", "page");
    else tab.removeAttribute("aria-current");
  }
  if (focus) title.focus();
  if (route.load) route.load().catch((error) => showError($(route.panel), error));
}

function showAuthForm(which) {
  for (const button of document.querySelectorAll("[data-auth]")) {
    button.setAttribute("aria-pressed", String(button.dataset.auth === which));
  }
  signinForm.hidden = which !== "signin";
  signupForm.hidden = which !== "signup";
}

function renderUser(user, reason) {
  // A page showing the user's own data (Me → Privacy) follows who is signed in.
  const route = currentRoute();
  if (route.load) route.load().catch((error) => showError($(route.panel), error));
  $("me-loading").hidden = true;
  $("me-signed-out").hidden = Boolean(user);
  $("me-signed-in").hidden = !user;
  $("sign-out-section").hidden = !user;
  $("password-section").hidden = !user;
  if (user) {
    const login = user.email ?? user.phone ?? "";
    $("profile-name").textContent = user.display_name;
    $("profile-avatar").textContent = Array.from(user.display_name.trim())[0] ?? "";
    localize($("profile-login"), "host.me.account", { login });
    $("password-username").value = login;
  } else {
    for (const form of [signinForm, signupForm, $("password-form")]) form.reset();
    showAuthForm("signin");
    if (reason === "session_expired") showError(signinForm, new ApiError(401, { code: reason }));
  }
}

function bindMe() {
  $("me-signed-out").addEventListener("click", (event) => {
    const button = event.target.closest("[data-auth]");
    if (button) showAuthForm(button.dataset.auth);
  });
  bindForm(signinForm, (values) => signIn(values));
  bindForm(signupForm, (values) => signUp(values));
  bindForm($("password-form"), async (values, form) => {
    await changePassword(values);
    form.reset();
    showStatus(form, "host.settings.password_changed");
  });
  const signOutSection = $("sign-out-section");
  $("sign-out-button").addEventListener("click", () => runAction(signOutSection, signOut));
}

async function start() {
  translateTree(document);
  bindLanguageSwitches(document);
  bindMe();
  bindSearch();
  bindScan();
  onUserChange(renderUser);
  renderRoute({ focus: false });
  // Apps open only once the user is known (an app's storage is per user): a link followed
  // before that is opened by the routeChanged() below, which reads the hash as it is then.
  let userKnown = false;
  window.addEventListener("hashchange", () => {
    if (userKnown) routeChanged();
    if (!appRoute()) renderRoute({ focus: true });
  });
  loadDiscover().catch((error) => showError($("panel-discover"), error));
  const loading = $("me-loading");
  try {
    await loadCurrentUser();
  } catch (error) {
    $("me-loading-text").hidden = true;
    showError(loading, error);
  }
  userKnown = true;
  routeChanged();
}

start();
