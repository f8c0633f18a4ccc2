// One organisation: its verification (verification.js) and mini programs (apps.js), its members
// (admins invite, change roles, remove members and cancel invitations with an in-page
// confirmation, and see logins and invitations; everybody else reads names and roles), leaving it
// (the server keeps the last admin), and, for admins, the audit log.

import { currentUser } from "/static/shared/account.js";
import { api } from "/static/shared/api.js";
import { fromTemplate, part } from "/static/shared/dom.js";
import { bindForm, clearMessages, runAction, showError, showStatus } from "/static/shared/forms.js";
import { localize, localizeAttribute, showDateTime } from "/static/shared/i18n.js";
import { bindApps, showApps } from "/static/console/apps.js";
import { noteForOrganisations } from "/static/console/organisations.js";
import { fillRoleSelect, roleParam, showRole } from "/static/console/roles.js";
import { bindVerification, showVerification } from "/static/console/verification.js";

const AUDIT_KEYS = {
  "organisation.created": "audit.organisation.created",
  "member.added": "audit.member.added",
  "member.invited": "audit.member.invited",
  "member.joined": "audit.member.joined",
  "member.role_changed": "audit.member.role_changed",
  "member.removed": "audit.member.removed",
  "member.left": "audit.member.left",
  "invitation.role_changed": "audit.invitation.role_changed",
  "invitation.cancelled": "audit.invitation.cancelled",
  "invitation.declined": "audit.invitation.declined",
  "verification.applied": "audit.verification.applied",
  "verification.approved": "audit.verification.approved",
  "verification.rejected": "audit.verification.rejected",
  "verification.fee_recorded": "audit.verification.fee_recorded",
  "app.created": "audit.app.created",
  "app.updated": "audit.app.updated",
  "app.logo_changed": "audit.app.logo_changed",
  "app.permit_added": "audit.app.permit_added",
  "app.secret_reset": "audit.app.secret_reset",
  "version.uploaded": "audit.version.uploaded",
  "version.trial_set": "audit.version.trial_set",
  "version.submitted": "audit.version.submitted",
  "version.withdrawn": "audit.version.withdrawn",
  "version.checked": "audit.version.checked",
  "version.approved": "audit.version.approved",
  "version.rejected": "audit.version.rejected",
  "release.released": "audit.release.released",
  "release.grey": "audit.release.grey",
  "release.widened": "audit.release.widened",
  "release.rolled_back": "audit.release.rolled_back",
};

// version.checked: where the automated checks sent the version.
const OUTCOME_KEYS = {
  in_review: "audit.outcome.in_review",
  rejected: "audit.outcome.rejected",
};

const $ = (id) => document.getElementById(id);
let organisation = null; // the organisation on screen, with my_role
let shownMembers = []; // the rows on screen, kept up to date as roles change
let latestLoad = 0;

const path = (suffix = "") => `/api/console/organisations/${encodeURIComponent(organisation.id)}${suffix}`;
const memberPath = (member) => path(`/members/${encodeURIComponent(member.user.id)}`);
const isAdmin = () => organisation !== null && organisation.my_role === "admin";
const isMe = (member) => currentUser() !== null && member.user.id === currentUser().id;
const isInvited = (member) => member.status === "invited";

/** Load and show organisation id (the page is blank with "Loading…" until it arrives). */
export async function showOrganisation(id) {
  const load = ++latestLoad;
  organisation = null;
  $("organisation-content").hidden = true;
  $("organisation-loading").hidden = false;
  clearMessages($("organisation-load"));
  try {
    await loadOrganisation(id, load);
  } catch (error) {
    if (load === latestLoad) showError($("organisation-load"), error);
  } finally {
    if (load === latestLoad) $("organisation-loading").hidden = true;
  }
}

async function loadOrganisation(id, load) {
  const base = `/api/console/organisations/${encodeURIComponent(id)}`;
  const [organisationData, membersData] = await Promise.all([
    api.get(base),
    api.get(`${base}/members`),
  ]);
  if (load !== latestLoad) return;
  organisation = organisationData.organisation;
  renderOrganisation();
  renderMembers(membersData.members);
  $("organisation-content").hidden = false;
  // Each card shows its own errors; the page stands even if one of them fails to load.
  await Promise.all([showVerification(organisation), showApps(organisation), refreshAudit()]);
}

/** Reload what is shown (after my own role changed, the controls change with it). */
async function reload() {
  await loadOrganisation(organisation.id, ++latestLoad);
}

function renderOrganisation() {
  const admin = isAdmin();
  $("organisation-name").textContent = organisation.name;
  localize($("organisation-my-role"), "console.organisation.my_role", {
    role: roleParam(organisation.my_role),
  });
  $("invite-member-form").hidden = !admin;
  $("members-login-heading").hidden = !admin; // logins are shown to admins only
  $("members-actions-heading").hidden = !admin;
  $("audit-section").hidden = !admin;
  if (!admin) $("audit-list").replaceChildren();
  localize($("leave-question"), "console.leave.question", { name: organisation.name });
  setLeaving(false);
  clearMessages($("leave-section"));
}

function renderMembers(members) {
  shownMembers = members;
  $("members-body").replaceChildren(...members.map(memberRow));
  renderLeave();
}

/** Anyone may leave but the last admin (invitations do not count); the server has the final
 * word. */
function renderLeave() {
  const admins = shownMembers.filter((m) => !isInvited(m) && m.role === "admin").length;
  $("leave-section").hidden = isAdmin() && admins < 2;
}

function memberRow(member) {
  const row = fromTemplate("tpl-member-row");
  const name = member.user.display_name;
  part(row, "name").textContent = name;
  part(row, "you").hidden = !isMe(member);
  part(row, "invited").hidden = !isInvited(member);
  part(row, "login").textContent = member.user.login ?? "";
  part(row, "login").hidden = member.user.login === null;
  showDateTime(part(row, "added"), member.added_at);
  if (!isAdmin()) {
    showRole(part(row, "role-text"), member.role);
    part(row, "actions").hidden = true;
    return row;
  }
  const select = part(row, "role-select");
  part(row, "role-text").hidden = true;
  select.hidden = false;
  fillRoleSelect(select, member.role);
  localizeAttribute(select, "aria-label", "console.members.role_of", { name });
  select.addEventListener("change", () => changeRole(member, select));

  const remove = part(row, "remove");
  if (isMe(member)) {
    part(row, "actions-idle").hidden = true; // leaving has its own section
    return row;
  }
  if (isInvited(member)) {
    localize(remove, "console.members.cancel_invitation");
    localizeAttribute(remove, "aria-label", "console.members.cancel_invitation_label", { name });
    localize(part(row, "confirm-text"), "console.members.cancel_invitation_question", { name });
    localize(part(row, "confirm-yes"), "console.members.cancel_invitation");
    localize(part(row, "confirm-no"), "console.members.keep_invitation");
  } else {
    localizeAttribute(remove, "aria-label", "console.members.remove_label", { name });
    localize(part(row, "confirm-text"), "console.members.remove_question", { name });
  }
  remove.addEventListener("click", () => {
    setConfirming(row, true);
    part(row, "confirm-no").focus();
  });
  part(row, "confirm-no").addEventListener("click", () => {
    setConfirming(row, false);
    remove.focus();
  });
  part(row, "confirm-yes").addEventListener("click", () => removeMember(member, row));
  return row;
}

function setConfirming(row, confirming) {
  part(row, "actions-idle").hidden = confirming;
  part(row, "actions-confirm").hidden = !confirming;
}

async function changeRole(member, select) {
  const section = $("members-section");
  if (section.getAttribute("aria-busy") === "true") {
    select.value = member.role; // another change is on its way: this one is not sent
    return;
  }
  await runAction(section, async () => {
    let updated;
    try {
      ({ member: updated } = await api.patch(memberPath(member), { role: select.value }));
    } catch (error) {
      select.value = member.role;
      throw error;
    }
    member.role = updated.role;
    renderLeave();
    if (isMe(member)) await reload();
    else await refreshAudit();
    const done = isInvited(member) ? "console.members.invited_role_done" : "console.members.role_done";
    showStatus(section, done, { name: member.user.display_name, role: roleParam(updated.role) });
  });
}

async function removeMember(member, row) {
  const section = $("members-section");
  await runAction(section, async () => {
    try {
      await api.delete(memberPath(member));
    } catch (error) {
      setConfirming(row, false);
      part(row, "remove").focus();
      throw error;
    }
    row.remove();
    shownMembers = shownMembers.filter((shown) => shown !== member);
    renderLeave();
    $("members-heading").focus();
    const done = isInvited(member) ? "console.members.cancel_invitation_done" : "console.members.remove_done";
    showStatus(section, done, { name: member.user.display_name });
    await refreshAudit();
  });
}

async function refreshMembers() {
  const { members } = await api.get(path("/members"));
  renderMembers(members);
}

/** Load the audit log (admins only); its errors are shown in its own section. */
async function refreshAudit() {
  if (!isAdmin()) return;
  const section = $("audit-section");
  const shownId = organisation.id;
  clearMessages(section);
  try {
    const { events } = await api.get(path("/audit"));
    if (organisation === null || organisation.id !== shownId) return;
    $("audit-list").replaceChildren(...events.map(auditItem));
    $("audit-empty").hidden = events.length > 0;
  } catch (error) {
    showError(section, error);
  }
}

function auditItem(event) {
  const item = fromTemplate("tpl-audit-item");
  const detail = event.detail ?? {};
  const params = {
    actor: event.actor ? event.actor.display_name : { key: "console.audit.someone" },
    action: event.action,
    login: detail.login ?? "",
    name: detail.name ?? "",
    appid: detail.appid ?? "",
    version: detail.version ?? "",
    percent: detail.percent ?? "",
    reason: detail.reason ?? "",
    fields: Array.isArray(detail.fields) ? detail.fields.join(", ") : "",
    outcome: OUTCOME_KEYS[detail.outcome] ? { key: OUTCOME_KEYS[detail.outcome] } : (detail.outcome ?? ""),
    permit: detail.permit ?? "",
  };
  for (const name of ["role", "old_role", "new_role"]) {
    if (detail[name]) params[name] = roleParam(detail[name]);
  }
  localize(part(item, "text"), AUDIT_KEYS[event.action] ?? "audit.unknown", params);
  showDateTime(part(item, "time"), event.created_at);
  return item;
}

function setLeaving(confirming) {
  $("leave-idle").hidden = confirming;
  $("leave-confirm").hidden = !confirming;
}

async function leave() {
  const section = $("leave-section");
  const { name } = organisation;
  await runAction(section, async () => {
    try {
      await api.delete(path(`/members/${encodeURIComponent(currentUser().id)}`));
    } catch (error) {
      setLeaving(false);
      $("leave-button").focus();
      throw error;
    }
    noteForOrganisations("console.leave.done", { name });
    window.location.hash = "#/";
  });
}

export function bindOrganisation() {
  const form = $("invite-member-form");
  const roleSelect = $("member-role");
  fillRoleSelect(roleSelect, "developer");
  bindForm(form, async (values) => {
    const { member } = await api.post(path("/members"), { login: values.login, role: values.role });
    form.reset();
    await refreshMembers();
    showStatus(form, "console.members.invite_done", {
      name: member.user.display_name,
      role: roleParam(member.role),
    });
    await refreshAudit();
  });
  $("leave-button").addEventListener("click", () => {
    clearMessages($("leave-section"));
    setLeaving(true);
    $("leave-no").focus();
  });
  $("leave-no").addEventListener("click", () => {
    setLeaving(false);
    $("leave-button").focus();
  });
  $("leave-yes").addEventListener("click", leave);
  bindVerification({ afterChange: refreshAudit });
  bindApps({ afterChange: refreshAudit });
}
