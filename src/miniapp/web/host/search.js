// Search in the Discover tab, like WeChat's: a released mini program is found by its exact name
// (the server folds case and full-width/half-width forms). Each hit is a card that opens the app,
// with the pages its sitemap.json lets appear in search under it; a miss says so and offers the
// server's "did you mean" names. Everything opened from here enters with scene 1006 (WeChat's
// "search box of the mini program entry on Discover"), or 1005 when the search was started from
// the box at the top of Chats (WeChat's home top search). Clearing the box shows the Discover list.

import { api } from "/static/shared/api.js";
import { fromTemplate, part } from "/static/shared/dom.js";
import { clearMessages, showError } from "/static/shared/forms.js";
import { localize, localizeAttribute } from "/static/shared/i18n.js";
import { launchFromHost } from "/static/host/miniprograms.js";

export const SEARCH_SCENE = 1006;
export const TOP_SEARCH_SCENE = 1005;

// The scene of what the results open: where the search on screen was started.
let scene = SEARCH_SCENE;

const $ = (id) => document.getElementById(id);
// Only the answer to the latest search is shown: an older one that arrives late is dropped.
let latest = 0;

function showLogo(root, app) {
  const initial = part(root, "initial");
  initial.textContent = Array.from(app.name.trim())[0] ?? "";
  if (app.logo_url) {
    const logo = part(root, "logo");
    logo.src = app.logo_url;
    logo.hidden = false;
    initial.hidden = true;
  }
}

function pageItem(app, page) {
  const item = fromTemplate("tpl-search-page");
  part(item, "title").textContent = page.title || page.path;
  part(item, "path").textContent = page.path;
  part(item, "path").hidden = !page.title;
  part(item, "open").addEventListener("click", (event) =>
    launchFromHost(app.appid, event.timeStamp, { path: page.path, scene }),
  );
  return item;
}

function resultItem(app) {
  const item = fromTemplate("tpl-search-result");
  const card = part(item, "open");
  card.dataset.appid = app.appid;
  showLogo(item, app);
  part(item, "name").textContent = app.name;
  part(item, "description").textContent = app.description ?? "";
  part(item, "description").hidden = !app.description;
  card.addEventListener("click", (event) =>
    launchFromHost(app.appid, event.timeStamp, { scene }),
  );
  const pages = part(item, "pages");
  localizeAttribute(pages, "aria-label", "host.search.pages_label", { name: app.name });
  pages.replaceChildren(...app.pages.map((page) => pageItem(app, page)));
  pages.hidden = app.pages.length === 0;
  return item;
}

function suggestionItem(app) {
  const item = fromTemplate("tpl-search-suggestion");
  showLogo(item, app);
  part(item, "name").textContent = app.name;
  part(item, "open").addEventListener("click", () => {
    $("search-input").value = app.name;
    search(app.name);
  });
  return item;
}

function showResults(query, data) {
  const hits = data.results.length > 0;
  $("search-list-heading").hidden = !hits;
  $("search-list").hidden = !hits;
  $("search-list").replaceChildren(...data.results.map(resultItem));
  $("search-miss").hidden = hits;
  localize($("search-miss-text"), "host.search.no_match", { query });
  const suggestions = hits ? [] : data.suggestions;
  $("search-suggestions").hidden = suggestions.length === 0;
  $("search-suggestion-list").replaceChildren(...suggestions.map(suggestionItem));
}

function showDiscoverList() {
  latest += 1;
  const results = $("search-results");
  results.hidden = true;
  results.removeAttribute("aria-busy");
  clearMessages(results);
  $("discover-home").hidden = false;
}

/** Searches for `text` (trimmed; empty shows the Discover list) and shows what was found. */
export async function search(text) {
  const query = text.trim();
  if (!query) {
    showDiscoverList();
    return;
  }
  const ticket = ++latest;
  const results = $("search-results");
  clearMessages(results);
  $("discover-home").hidden = true;
  results.hidden = false;
  results.setAttribute("aria-busy", "true");
  $("search-status").hidden = false;
  try {
    const data = await api.get(`/api/discovery/search?q=${encodeURIComponent(query)}`);
    if (ticket !== latest) return;
    showResults(query, data);
  } catch (error) {
    if (ticket !== latest) return;
    for (const id of ["search-list-heading", "search-list", "search-miss"]) $(id).hidden = true;
    showError(results, error);
  } finally {
    if (ticket === latest) {
      results.removeAttribute("aria-busy");
      $("search-status").hidden = true;
    }
  }
}

/** Wires the search box: Enter searches; an emptied box (typed away or its clear button)
 * returns to the Discover list. */
export function bindSearch() {
  const form = $("search-form");
  const input = $("search-input");
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    scene = SEARCH_SCENE;
    search(input.value);
  });
  input.addEventListener("input", () => {
    scene = SEARCH_SCENE;
    if (!input.value.trim()) showDiscoverList();
  });
  // The top search on Chats shows its results in Discover, where the search lives.
  const top = $("chats-search-form");
  const topInput = $("chats-search-input");
  top.addEventListener("submit", (event) => {
    event.preventDefault();
    if (!topInput.value.trim()) return;
    scene = TOP_SEARCH_SCENE;
    input.value = topInput.value;
    topInput.value = "";
    window.location.hash = "#discover";
    search(input.value);
  });
}
