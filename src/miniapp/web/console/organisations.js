// The organisation list (with my role in each) and the "Create organisation" form.

import { api } from "/static/shared/api.js";
import { fromTemplate, part } from "/static/shared/dom.js";
import { bindForm, clearMessages, showError } from "/static/shared/forms.js";
import { showDateTime } from "/static/shared/i18n.js";
import { showRole } from "/static/console/roles.js";

const $ = (id) => document.getElementById(id);
let latestLoad = 0;

function organisationItem(organisation) {
  const item = fromTemplate("tpl-organisation-item");
  part(item, "link").href = `#/organisations/${encodeURIComponent(organisation.id)}`;
  part(item, "name").textContent = organisation.name;
  showRole(part(item, "role"), organisation.my_role);
  showDateTime(part(item, "created"), organisation.created_at);
  return item;
}

export async function showOrganisations() {
  const load = ++latestLoad;
  const card = $("organisations-card");
  const list = $("organisation-list");
  clearMessages(card);
  $("organisations-loading").hidden = false;
  $("organisations-empty").hidden = true;
  try {
    const { organisations } = await api.get("/api/console/organisations");
    if (load !== latestLoad) return;
    list.replaceChildren(...organisations.map(organisationItem));
    list.hidden = organisations.length === 0;
    $("organisations-empty").hidden = organisations.length > 0;
  } catch (error) {
    if (load === latestLoad) showError(card, error);
  } finally {
    if (load === latestLoad) $("organisations-loading").hidden = true;
  }
}

export function bindOrganisations() {
  bindForm($("create-organisation-form"), async (values, form) => {
    const { organisation } = await api.post("/api/console/organisations", { name: values.name });
    form.reset();
    window.location.hash = `#/organisations/${encodeURIComponent(organisation.id)}`;
  });
}
