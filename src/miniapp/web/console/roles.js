// The five organisation roles, their translated names, and role <select>s.

import { localize } from "/static/shared/i18n.js";

export const ROLE_KEYS = {
  admin: "role.admin",
  developer: "role.developer",
  operator: "role.operator",
  analyst: "role.analyst",
  tester: "role.tester",
};

export const ROLES = Object.keys(ROLE_KEYS);

/** A translation parameter naming a role: {"key": "role.admin"}. */
export function roleParam(role) {
  return { key: ROLE_KEYS[role] ?? "role.unknown" };
}

/** Fill a <select> with one translated option per role and select `selected`. */
export function fillRoleSelect(select, selected = "developer") {
  select.replaceChildren(
    ...ROLES.map((role) => {
      const option = localize(document.createElement("option"), ROLE_KEYS[role]);
      option.value = role;
      option.defaultSelected = role === selected; // what form.reset() goes back to
      return option;
    }),
  );
  select.value = selected;
}

/** Mark element with the translated name of role. */
export function showRole(element, role) {
  return localize(element, ROLE_KEYS[role] ?? "role.unknown");
}

// What each role may do, as accounts/roles.py says: the console shows only the controls a member
// can use (the server checks every request anyway).
const DEVELOPER_UP = new Set(["admin", "developer"]);
const TRIAL_OPENERS = new Set(["admin", "developer", "operator", "tester"]);

/** Admins manage the profile, the AppSecret, review submissions and releases. */
export const canManageApp = (role) => role === "admin";

/** Developers (and admins) upload versions. */
export const canUpload = (role) => DEVELOPER_UP.has(role);

/** Who may preview a version: those who upload and those who open trial versions. */
export const canPreview = (role) => DEVELOPER_UP.has(role) || TRIAL_OPENERS.has(role);
