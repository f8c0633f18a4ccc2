// Chats → "Service notifications": the subscription messages mini programs sent the signed-in
// user (GET /api/me/notifications, docs/subscriptions.md), newest first. Tapping one opens its
// mini program at the message's page with scene 1014, as WeChat's service notifications do.

import { api, ApiError } from "/static/shared/api.js";
import { clearMessages, showError } from "/static/shared/forms.js";
import { showDateTime } from "/static/shared/i18n.js";
import { launchFromHost } from "/static/host/miniprograms.js";

export const NOTIFICATION_SCENE = 1014;

const $ = (id) => document.getElementById(id);
let latestLoad = 0;

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
  card.addEventListener("click", (event) => open(notification, event.timeStamp));
  item.append(card);
  return item;
}

/** Loaded each time Chats shows (and when the user changes): never stale. */
export async function loadNotifications() {
  const load = ++latestLoad;
  const panel = $("panel-chats");
  clearMessages(panel);
  let notifications = [];
  try {
    ({ notifications } = await api.get("/api/me/notifications"));
  } catch (error) {
    if (!(error instanceof ApiError && error.signedOut) && load === latestLoad) showError(panel, error);
  }
  if (load !== latestLoad) return;
  $("notification-list").replaceChildren(...notifications.map(notificationItem));
  $("notifications").hidden = notifications.length === 0;
  $("chats-empty").hidden = notifications.length > 0;
}
