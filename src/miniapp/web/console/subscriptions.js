// An app's "Subscription messages" card: the templates the app may send (a library title with the
// keywords it uses), each with its template id for the back end's subscribe/send; admins add one
// (pick a title, tick its keywords, say when it is sent) and delete one (docs/subscriptions.md).

import { api } from "/static/shared/api.js";
import { bindForm, clearMessages, runAction, showError } from "/static/shared/forms.js";
import { localize, localizeAttribute } from "/static/shared/i18n.js";
import { canManageApp } from "/static/console/roles.js";

const $ = (id) => document.getElementById(id);
const subscribePath = (page, suffix = "") =>
  `/api/console/apps/${encodeURIComponent(page.app.appid)}/subscribe${suffix}`;

let library = [];
let latestLoad = 0;

function templateItem(page, template) {
  const item = document.createElement("li");
  item.className = "subscribe-template";
  item.dataset.id = template.priTmplId;
  const title = document.createElement("strong");
  title.textContent = template.title;
  const keywords = document.createElement("span");
  keywords.className = "hint";
  keywords.textContent = template.keywords.map((keyword) => `${keyword.name} (${keyword.key})`).join(", ");
  const id = document.createElement("code");
  id.className = "subscribe-template-id";
  id.textContent = template.priTmplId;
  item.append(title, " ", keywords, document.createElement("br"), id);
  if (canManageApp(page.role)) {
    const remove = document.createElement("button");
    remove.type = "button";
    remove.className = "button button-secondary subscribe-delete";
    localize(remove, "console.subscribe.delete");
    localizeAttribute(remove, "aria-label", "console.subscribe.delete_named", { title: template.title });
    remove.addEventListener("click", () =>
      runAction($("subscribe-section"), async () => {
        await api.delete(subscribePath(page, `/templates/${encodeURIComponent(template.priTmplId)}`));
        await loadTemplates(page);
      }),
    );
    item.append(" ", remove);
  }
  return item;
}

async function loadTemplates(page) {
  const load = ++latestLoad;
  const { templates } = await api.get(subscribePath(page, "/templates"));
  if (load !== latestLoad) return;
  $("subscribe-list").replaceChildren(...templates.map((template) => templateItem(page, template)));
  $("subscribe-empty").hidden = templates.length > 0;
}

/** The keyword checkboxes of the chosen library title. */
function showKeywords() {
  const chosen = library.find((template) => String(template.tid) === $("subscribe-tid").value);
  $("subscribe-keywords").replaceChildren(
    ...(chosen ? chosen.keywords : []).map((keyword) => {
      const label = document.createElement("label");
      label.className = "checkbox";
      const box = document.createElement("input");
      box.type = "checkbox";
      box.value = String(keyword.kid);
      box.checked = true;
      label.append(box, ` ${keyword.name} (${keyword.key})`);
      return label;
    }),
  );
}

/** Draw the card for page.app: its templates, and the add form for admins. */
export async function showSubscriptions(page) {
  const form = $("subscribe-form");
  form.hidden = !canManageApp(page.role);
  clearMessages($("subscribe-section"));
  try {
    if (!form.hidden && !library.length) {
      ({ templates: library } = await api.get(subscribePath(page, "/library")));
      $("subscribe-tid").replaceChildren(
        ...library.map((template) => {
          const option = document.createElement("option");
          option.value = String(template.tid);
          option.textContent = template.title;
          return option;
        }),
      );
      showKeywords();
    }
    await loadTemplates(page);
  } catch (error) {
    showError($("subscribe-section"), error);
  }
}

export function bindSubscriptions(page) {
  $("subscribe-tid").addEventListener("change", showKeywords);
  bindForm($("subscribe-form"), async (values, form) => {
    const kidList = [...$("subscribe-keywords").querySelectorAll("input:checked")].map((box) => Number(box.value));
    await api.post(subscribePath(page, "/templates"), {
      tid: Number(values.tid),
      kid_list: kidList,
      scene_desc: values.scene_desc,
    });
    form.reset();
    showKeywords();
    await loadTemplates(page);
  });
}
