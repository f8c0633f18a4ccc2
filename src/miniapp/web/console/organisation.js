// One organisation: its members (admins add, change roles, remove with an in-page confirmation;
// everybody else reads) and, for admins only, its audit log.

import { currentUser } from "/static/shared/account.js";
import { api } from "/static/shared/api.js";
import { fromTemplate, part } from "/static/shared/dom.js";
import { bindForm, clearMessages, runAction, showError, showStatus } from "/static/shared/forms.js";
import { localize, localizeAttribute, showDateTime } from "/static/shared/i18n.js";
import { fillRoleSelect, roleParam, showRole } from "/static/console/roles.js";

const AUDIT_KEYS = {
  "organisation.created": "audit.organisation.created",
  "member.added": "audit.member.added",
  "member.role_changed": "audit.member.role_changed",
  "member.removed": "audit.member.removed",
};

const $ = (id) => document.getElementById(id);
let organisation = null; // the organisation on screen, with my_role
let latestLoad = 0;

const path = (suffix = "") => `/api/console/organisations/${encodeURIComponent(organisation.id)}${suffix}`;
const memberPath = (member) => path(`/members/${encodeURIComponent(member.user.id)}`);
const isAdmin = () => organisation !== null && organisation.my_role === "admin";
const isMe = (member) => currentUser() !== null && member.user.id === currentUser().id;

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
  await refreshAudit();
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
  $("add-member-form").hidden = !admin;
  $("members-actions-heading").hidden = !admin;
  $("audit-section").hidden = !admin;
  if (!admin) $("audit-list").replaceChildren();
}

function renderMembers(members) {
  $("members-body").replaceChildren(...members.map(memberRow));
}

function memberRow(member) {
  const row = fromTemplate("tpl-member-row");
  const name = member.user.display_name;
  part(row, "name").textContent = name;
  part(row, "you").hidden = !isMe(member);
  part(row, "login").textContent = member.user.login;
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
  localizeAttribute(remove, "aria-label", "console.members.remove_label", { name });
  localize(part(row, "confirm-text"), "console.members.remove_question", { name });
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
    if (isMe(member)) await reload();
    else await refreshAudit();
    showStatus(section, "console.members.role_done", {
      name: member.user.display_name,
      role: roleParam(updated.role),
    });
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
    if (isMe(member)) {
      window.location.hash = "#/";
      return;
    }
    row.remove();
    $("members-heading").focus();
    showStatus(section, "console.members.remove_done", { name: member.user.display_name });
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
  };
  for (const name of ["role", "old_role", "new_role"]) {
    if (detail[name]) params[name] = roleParam(detail[name]);
  }
  localize(part(item, "text"), AUDIT_KEYS[event.action] ?? "audit.unknown", params);
  showDateTime(part(item, "time"), event.created_at);
  return item;
}

export function bindOrganisation() {
  const form = $("add-member-form");
  const roleSelect = $("member-role");
  fillRoleSelect(roleSelect, "developer");
  bindForm(form, async (values) => {
    const { member } = await api.post(path("/members"), { login: values.login, role: values.role });
    form.reset();
    await refreshMembers();
    showStatus(form, "console.members.add_done", {
      name: member.user.display_name,
      role: roleParam(member.role),
    });
    await refreshAudit();
  });
}
