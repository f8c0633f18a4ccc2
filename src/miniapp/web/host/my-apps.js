// "Recently used" and "My mini programs" (the user's favourites) on Discover, above the list of
// all mini programs, for a signed-in user. Each entry opens its app with WeChat's scene 1089 /
// 1104 (a hot start when it was left less than five minutes ago: launchFromHost decides) and has
// a button taking it off the list. The capsule's ··· menu of a running app offers adding it to
// or removing it from My mini programs (`favouriteMenu`); signed out, the item is absent.
//
// The rows are refreshed when the user signs in or out and after each launch the host records.

import { api } from "/static/shared/api.js";
import { currentUser, onUserChange } from "/static/shared/account.js";
import { clearMessages, describeError, showError } from "/static/shared/forms.js";
import { localize, localizeAttribute, t } from "/static/shared/i18n.js";

export const RECENT_SCENE = 1089;
export const FAVOURITE_SCENE = 1104;

const ROWS = {
  recents: {
    url: "/api/discovery/recents",
    scene: RECENT_SCENE,
    title: "host.my_apps.recent_title",
    remove: "host.my_apps.remove_recent",
  },
  favourites: {
    url: "/api/discovery/favourites",
    scene: FAVOURITE_SCENE,
    title: "host.my_apps.favourites_title",
    remove: "host.my_apps.remove_favourite",
    empty: "host.my_apps.favourites_empty",
  },
};
const MENU_ADD = "my-apps:add";
const MENU_REMOVE = "my-apps:remove";
const SVG = "http://www.w3.org/2000/svg";

let launch = null; // launchFromHost(appid, tap, {scene}), given by bindMyApps
let section = null;
let shownFor; // the id of the user whose lists are shown; null when signed out
let latest = 0; // only the latest load is shown: an older answer arriving late is dropped
const favourites = new Set(); // appids in My mini programs, for the capsule menu

function element(tag, className) {
  const made = document.createElement(tag);
  if (className) made.className = className;
  return made;
}

function removeIcon() {
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", "0 0 12 12");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  const path = document.createElementNS(SVG, "path");
  path.setAttribute("d", "M2 2l8 8M10 2l-8 8");
  svg.append(path);
  return svg;
}

function appIcon(app) {
  if (app.logo_url) {
    const logo = element("img", "my-app-icon");
    logo.src = app.logo_url;
    logo.alt = "";
    logo.width = 48;
    logo.height = 48;
    return logo;
  }
  const initial = element("span", "my-app-icon");
  initial.setAttribute("aria-hidden", "true");
  initial.textContent = Array.from(app.name.trim())[0] ?? "";
  return initial;
}

function entry(which, app) {
  const row = ROWS[which];
  const item = element("li", "my-app");
  item.dataset.appid = app.appid;
  const open = element("button", "my-app-open");
  open.type = "button";
  const name = element("span", "my-app-name");
  name.textContent = app.name;
  open.append(appIcon(app), name);
  open.addEventListener("click", (event) => launch(app.appid, event.timeStamp, { scene: row.scene }));
  const remove = element("button", "my-app-remove");
  remove.type = "button";
  localizeAttribute(remove, "aria-label", row.remove, { name: app.name });
  localizeAttribute(remove, "title", row.remove);
  remove.append(removeIcon());
  remove.addEventListener("click", () => removeEntry(which, app.appid, item));
  item.append(open, remove);
  return item;
}

function build() {
  section = element("div", "my-apps");
  section.id = "my-apps";
  section.hidden = true;
  for (const [which, row] of Object.entries(ROWS)) {
    const block = element("section", "my-apps-row");
    block.id = `my-apps-${which}`;
    const heading = element("h2", "section-title");
    heading.id = `my-apps-${which}-heading`;
    heading.tabIndex = -1; // focus lands here when the last entry is removed
    localize(heading, row.title);
    block.setAttribute("aria-labelledby", heading.id);
    const list = element("ul", "my-apps-list");
    list.id = `my-apps-${which}-list`;
    list.setAttribute("aria-labelledby", heading.id);
    block.append(heading, list);
    if (row.empty) {
      const hint = element("p", "my-apps-empty muted");
      hint.id = `my-apps-${which}-empty`;
      localize(hint, row.empty);
      block.append(hint);
    }
    section.append(block);
  }
  const error = element("p", "form-error");
  error.dataset.formError = "";
  error.setAttribute("role", "alert");
  error.hidden = true;
  section.append(error);
  document.getElementById("app-list-heading").before(section);
}

function show(which, apps) {
  const block = document.getElementById(`my-apps-${which}`);
  const list = document.getElementById(`my-apps-${which}-list`);
  list.replaceChildren(...apps.map((app) => entry(which, app)));
  list.hidden = apps.length === 0;
  const hint = document.getElementById(`my-apps-${which}-empty`);
  if (hint) hint.hidden = apps.length > 0;
  // Recently used shows once there is something in it; My mini programs says how to fill it.
  block.hidden = apps.length === 0 && !hint;
}

/** Loads both lists for the signed-in user (hides them when signed out). */
export async function refreshMyApps() {
  if (!section) return;
  const ticket = ++latest;
  const user = currentUser();
  if (!user) {
    shownFor = null;
    favourites.clear();
    section.hidden = true;
    for (const which of Object.keys(ROWS)) show(which, []);
    return;
  }
  try {
    const [recents, favoured] = await Promise.all([api.get(ROWS.recents.url), api.get(ROWS.favourites.url)]);
    if (ticket !== latest) return;
    clearMessages(section);
    shownFor = user.id;
    favourites.clear();
    for (const app of favoured.apps) favourites.add(app.appid);
    show("recents", recents.apps);
    show("favourites", favoured.apps);
    section.hidden = false;
  } catch (error) {
    // Signed out meanwhile: account.js tells every listener, which hides the rows.
    if (ticket !== latest || error.signedOut) return;
    section.hidden = false;
    showError(section, error);
  }
}

async function removeEntry(which, appid, item) {
  const list = item.parentElement;
  const index = Array.from(list.children).indexOf(item);
  clearMessages(section);
  try {
    await api.delete(`${ROWS[which].url}/${encodeURIComponent(appid)}`);
  } catch (error) {
    showError(section, error);
    return;
  }
  if (which === "favourites") favourites.delete(appid);
  await refreshMyApps();
  // Focus stays near where it was: on the entry that took the removed one's place, else on the
  // list's heading (Recently used hides when emptied: then My mini programs', always shown).
  const buttons = document.querySelectorAll(`#my-apps-${which}-list .my-app-remove`);
  const next = buttons[Math.min(index, buttons.length - 1)];
  const heading = document.getElementById(`my-apps-${which}-heading`);
  (next ?? (heading.closest("[hidden]") ? document.getElementById("my-apps-favourites-heading") : heading)).focus();
}

async function changeFavourite(appid, add, program) {
  const url = `${ROWS.favourites.url}/${encodeURIComponent(appid)}`;
  try {
    if (add) await api.put(url);
    else await api.delete(url);
    if (add) favourites.add(appid);
    else favourites.delete(appid);
    program.chrome.showToast({ title: t(add ? "host.my_apps.added" : "host.my_apps.removed"), icon: "success" });
  } catch (error) {
    const { key, params } = describeError(error);
    program.chrome.showToast({ title: t(key, params), icon: "none", duration: 3000 });
  }
  refreshMyApps();
}

/**
 * The running app's items in the capsule's ··· menu (MiniProgram's `hostMenu`): "Add to My mini
 * programs" or "Remove from My mini programs", for a signed-in user only.
 */
export function favouriteMenu(appid) {
  return {
    items: () => {
      if (!currentUser()) return [];
      return favourites.has(appid)
        ? [{ id: MENU_REMOVE, label: t("host.my_apps.menu_remove") }]
        : [{ id: MENU_ADD, label: t("host.my_apps.menu_add") }];
    },
    choose: (id, program) => changeFavourite(appid, id === MENU_ADD, program),
  };
}

/** Builds the rows above the Discover list (once); `open` is launchFromHost. */
export function bindMyApps({ open }) {
  if (section) return;
  launch = open;
  build();
  onUserChange((user) => {
    // A language change calls listeners too, with the same user: nothing to load then.
    if ((user ? user.id : null) !== shownFor) refreshMyApps();
  });
  if (currentUser()) refreshMyApps();
}
