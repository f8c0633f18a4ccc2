// Chats → "Service notifications": the subscription messages mini programs sent the signed-in
// user (GET /api/me/notifications, docs/subscriptions.md), newest first. Tapping one opens its
// mini program at the message's page with scene 1014, as WeChat's service notifications do, and
// marks it read. Unread ones stand out; the unread count shows above the list and as a badge on
// the Chats tab, and "Mark all read" clears them.

import { api, ApiError } from "/static/shared/api.js";
import { clearMessages, runAction, showError } from "/static/shared/forms.js";
import { localize, localizeAttribute, showDateTime } from "/static/shared/i18n.js";
import { launchFromHost } from "/static/host/miniprograms.js";

export const NOTIFICATION_SCENE = 1014;
const BADGE_MAX = 99;

const $ = (id) => document.getElementById(id);
let latestLoad = 0;
let unread = 0;

/** The count line, "Mark all read" and the Chats tab's badge, made once (the page has none). */
function controls() {
  let bar = $("notifications-bar");
  if (!bar) {
    bar = document.createElement("div");
    bar.className = "notifications-bar";
    bar.id = "notifications-bar";
    const count = document.createElement("span");
    count.className = "notifications-unread";
    count.id = "notifications-unread";
    const readAll = document.createElement("button");
    readAll.type = "button";
    readAll.className = "notifications-read-all";
    readAll.id = "notifications-read-all";
    localize(readAll, "host.notifications.read_all");
    readAll.addEventListener("click", () => runAction($("panel-chats"), markAllRead));
    bar.append(count, readAll);
    $("notifications-heading").after(bar);
    const badge = document.createElement("span");
    badge.className = "tab-badge";
    badge.id = "chats-badge";
    badge.hidden = true;
    document.querySelector('.tab[data-tab="chats"]')?.append(badge);
  }
  return { count: $("notifications-unread"), readAll: $("notifications-read-all"), badge: $("chats-badge") };
}

function showUnread(count) {
  unread = Math.max(0, count);
  const { count: line, readAll, badge } = controls();
  line.hidden = readAll.hidden = unread === 0;
  if (unread) localize(line, "host.notifications.unread", { count: unread });
  if (badge) {
    badge.hidden = unread === 0;
    // No text while hidden: the tab's name is then "Chats" alone, not "Chats 0".
    badge.textContent = unread === 0 ? "" : unread > BADGE_MAX ? `${BADGE_MAX}+` : String(unread);
    localizeAttribute(badge, "aria-label", "host.notifications.badge", { count: unread });
  }
}

function showRead(card) {
  card.classList.remove("unread");
  card.querySelector(".notification-dot")?.remove();
}

async function markAllRead() {
  const answer = await api.post("/api/me/notifications/read-all");
  for (const card of document.querySelectorAll("#notification-list .notification.unread")) showRead(card);
  showUnread(answer.unread);
}

function markRead(notification, card) {
  if (!card.classList.contains("unread")) return;
  showRead(card);
  showUnread(unread - 1);
  // Not awaited: the mini program opens at once; the server's count corrects ours when it answers.
  api.post(`/api/me/notifications/${notification.id}/read`)
    .then((answer) => showUnread(answer.unread))
    .catch(() => {});
}

function open(notification, tap) {
  const [path, search] = notification.page.split(/\?(.*)/s);
  const query = Object.fromEntries(new URLSearchParams(search || ""));
  launchFromHost(notification.appid, tap, { path: path || "", query, scene: NOTIFICATION_SCENE });
}

function notificationItem(notification) {
  const item = document.createElement("li");
  const card = document.createElement("button");
  card.type = "button";
  card.className = "card notification";
  card.dataset.appid = notification.appid;
  const header = document.createElement("span");
  header.className = "notification-header";
  const app = document.createElement("span");
  app.className = "notification-app";
  app.textContent = notification.app_name;
  header.append(app, showDateTime(document.createElement("time"), notification.created_at));
  const title = document.createElement("span");
  title.className = "notification-title";
  title.textContent = notification.title;
  if (!notification.read) {
    card.classList.add("unread");
    const dot = document.createElement("span");
    dot.className = "notification-dot";
    localizeAttribute(dot, "aria-label", "host.notifications.unread_mark");
    dot.setAttribute("role", "img");
    title.prepend(dot);
  }
  const fields = document.createElement("span");
  fields.className = "notification-fields";
  for (const field of notification.fields) {
    const line = document.createElement("span");
    line.className = "notification-field";
    const name = document.createElement("span");
    name.className = "notification-field-name";
    name.textContent = field.name;
    const value = document.createElement("span");
    value.textContent = field.value;
    line.append(name, value);
    fields.append(line);
  }
  card.append(header, title, fields);
  card.addEventListener("click", (event) => {
    markRead(notification, card);
    open(notification, event.timeStamp);
  });
  item.append(card);
  return item;
}

/** Loaded each time Chats shows (and when the user changes): never stale. */
export async function loadNotifications() {
  const load = ++latestLoad;
  const panel = $("panel-chats");
  clearMessages(panel);
  let notifications = [];
  let count = 0;
  try {
    ({ notifications, unread: count } = await api.get("/api/me/notifications"));
  } catch (error) {
    if (!(error instanceof ApiError && error.signedOut) && load === latestLoad) showError(panel, error);
  }
  if (load !== latestLoad) return;
  $("notification-list").replaceChildren(...notifications.map(notificationItem));
  showUnread(count);
  $("notifications").hidden = notifications.length === 0;
  $("chats-empty").hidden = notifications.length > 0;
}
