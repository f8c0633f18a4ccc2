// The console: header, sign-in, the "become a developer" step, and hash routing between the
// organisation list (#/), one organisation (#/organisations/<id>), one mini program
// (#/apps/<appid>), the access tokens (#/tokens) and, for platform staff, the review and
// verification queues (#/review, #/verifications).

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
import { bindAppPage, showApp } from "/static/console/app-page.js";
import { bindOrganisation, showOrganisation } from "/static/console/organisation.js";
import { bindOrganisations, showOrganisations } from "/static/console/organisations.js";
import { showReviewQueue } from "/static/console/review-queue.js";
import { bindCopyButtons } from "/static/console/secret-once.js";
import { bindTokens, showTokens } from "/static/console/tokens.js";
import { showVerificationQueue } from "/static/console/verification-queue.js";
import { stopWatching } from "/static/console/versions.js";

const $ = (id) => document.getElementById(id);
const views = $("views");

const STAFF_ROLES = new Set(["reviewer", "platform_admin"]);

// pattern, view, show(id), nav link to mark, who may see it: developers (the default), any
// signed-in user (tokens), platform staff (the queues; the server refuses everyone else anyway).
const ROUTES = [
  { pattern: /^#\/organisations\/([^/]+)$/, view: "view-organisation", show: showOrganisation, nav: "organisations" },
  { pattern: /^#\/apps\/([^/]+)$/, view: "view-app", show: showApp, nav: "organisations" },
  { pattern: /^#\/tokens$/, view: "view-tokens", show: showTokens, nav: "tokens", anyUser: true },
  { pattern: /^#\/review$/, view: "view-review", show: showReviewQueue, nav: "review", anyUser: true },
  { pattern: /^#\/verifications$/, view: "view-verifications", show: showVerificationQueue, nav: "verifications", anyUser: true },
];
const HOME = { view: "view-organisations", show: showOrganisations, nav: "organisations" };

const isStaff = (user) => (user.staff_roles ?? []).some((role) => STAFF_ROLES.has(role));

function currentRoute() {
  for (const route of ROUTES) {
    const match = window.location.hash.match(route.pattern);
    if (match) return { ...route, id: match[1] === undefined ? undefined : decodeURIComponent(match[1]) };
  }
  return HOME;
}

function renderNav(user, route) {
  const nav = $("console-nav");
  nav.hidden = !user || !(user.is_developer || isStaff(user));
  for (const link of document.querySelectorAll("[data-nav]")) {
    const name = link.dataset.nav;
    if (name === "review" || name === "verifications") link.hidden = !user || !isStaff(user);
    if (name === "organisations") link.hidden = !user || !user.is_developer;
    if (route && route.nav === name) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
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
  stopWatching();
  if (!user) {
    renderNav(null, null);
    showView(views, "view-signin");
    return;
  }
  const route = currentRoute();
  renderNav(user, route);
  if (!user.is_developer && !route.anyUser) {
    showView(views, "view-developer");
    return;
  }
  showView(views, route.view);
  route.show(route.id);
}

let shown = null; // the user state the current page was drawn for

function onUser(user, reason) {
  const state = user ? `${user.id}:${user.is_developer}:${(user.staff_roles ?? []).join(",")}` : "signed-out";
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
  bindAppPage();
  bindTokens();
  bindCopyButtons(document);
  // A link to the page on screen changes no hash: it reloads the page's data instead.
  for (const link of document.querySelectorAll("[data-nav], .brand")) {
    link.addEventListener("click", () => {
      if (link.getAttribute("href") === (window.location.hash || "#/")) render();
    });
  }
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
