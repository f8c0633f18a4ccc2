// The organisation list (with my role in each), the invitations waiting for my answer (accept or
// decline: nobody becomes a member without saying yes), and the "Create organisation" form.

import { api } from "/static/shared/api.js";
import { fromTemplate, part } from "/static/shared/dom.js";
import { bindForm, clearMessages, runAction, showError, showStatus } from "/static/shared/forms.js";
import { localize, localizeAttribute, showDateTime } from "/static/shared/i18n.js";
import { roleParam, showRole } from "/static/console/roles.js";

const $ = (id) => document.getElementById(id);
let latestLoad = 0;
let pendingNote = null; // a status to show with the next list, e.g. after leaving an organisation

/** Show a success note (a table key) above the list the next time it is drawn. */
export function noteForOrganisations(key, params) {
  pendingNote = { key, params };
}

function organisationItem(organisation) {
  const item = fromTemplate("tpl-organisation-item");
  part(item, "link").href = `#/organisations/${encodeURIComponent(organisation.id)}`;
  part(item, "name").textContent = organisation.name;
  showRole(part(item, "role"), organisation.my_role);
  showDateTime(part(item, "created"), organisation.created_at);
  return item;
}

function invitationItem(invitation) {
  const item = fromTemplate("tpl-invitation-item");
  const organisation = invitation.organisation.name;
  localize(part(item, "text"), "console.invitations.item", {
    inviter: invitation.invited_by ? invitation.invited_by.display_name : { key: "console.audit.someone" },
    organisation,
    role: roleParam(invitation.role),
  });
  showDateTime(part(item, "sent"), invitation.invited_at);
  const accept = part(item, "accept");
  const decline = part(item, "decline");
  localizeAttribute(accept, "aria-label", "console.invitations.accept_label", { organisation });
  localizeAttribute(decline, "aria-label", "console.invitations.decline_label", { organisation });
  accept.addEventListener("click", () => answer(invitation, "accept"));
  decline.addEventListener("click", () => answer(invitation, "decline"));
  return item;
}

function renderOrganisations(organisations) {
  $("organisation-list").replaceChildren(...organisations.map(organisationItem));
  $("organisation-list").hidden = organisations.length === 0;
  $("organisations-empty").hidden = organisations.length > 0;
}

/** Draw the invitations; the card stays up after an answer (to show how it went), else it only
 * appears when there is something to answer. */
function renderInvitations(invitations, { keepShown = false } = {}) {
  const card = $("invitations-card");
  $("invitation-list").replaceChildren(...invitations.map(invitationItem));
  $("invitation-list").hidden = invitations.length === 0;
  $("invitations-none").hidden = invitations.length > 0;
  card.hidden = invitations.length === 0 && !keepShown;
}

export async function showOrganisations() {
  const load = ++latestLoad;
  const card = $("organisations-card");
  clearMessages(card);
  clearMessages($("invitations-card"));
  $("organisations-loading").hidden = false;
  $("organisations-empty").hidden = true;
  try {
    const [{ organisations }, { invitations }] = await Promise.all([
      api.get("/api/console/organisations"),
      api.get("/api/console/invitations"),
    ]);
    if (load !== latestLoad) return;
    renderInvitations(invitations);
    renderOrganisations(organisations);
    if (pendingNote) showStatus(card, pendingNote.key, pendingNote.params);
  } catch (error) {
    if (load === latestLoad) showError(card, error);
  } finally {
    if (load === latestLoad) {
      $("organisations-loading").hidden = true;
      pendingNote = null;
    }
  }
}

/** Fetch and draw both lists again; false if a newer load has started meanwhile. */
async function reloadLists() {
  const load = ++latestLoad;
  const [{ organisations }, { invitations }] = await Promise.all([
    api.get("/api/console/organisations"),
    api.get("/api/console/invitations"),
  ]);
  if (load !== latestLoad) return false;
  renderInvitations(invitations, { keepShown: true });
  renderOrganisations(organisations);
  return true;
}

async function answer(invitation, choice) {
  const card = $("invitations-card");
  const organisation = invitation.organisation.name;
  const path = `/api/console/invitations/${encodeURIComponent(invitation.organisation.id)}/${choice}`;
  await runAction(card, async () => {
    let answered;
    try {
      answered = await api.post(path);
    } catch (error) {
      // E.g. the admin cancelled it meanwhile: show the error beside what is true now.
      await reloadLists().catch(() => {});
      throw error;
    }
    if (!(await reloadLists())) return;
    $("invitations-heading").focus();
    if (choice === "accept") {
      showStatus(card, "console.invitations.accept_done", {
        organisation,
        role: roleParam(answered.organisation.my_role),
      });
    } else {
      showStatus(card, "console.invitations.decline_done", { organisation });
    }
  });
}

export function bindOrganisations() {
  bindForm($("create-organisation-form"), async (values, form) => {
    const { organisation } = await api.post("/api/console/organisations", { name: values.name });
    form.reset();
    window.location.hash = `#/organisations/${encodeURIComponent(organisation.id)}`;
  });
}
