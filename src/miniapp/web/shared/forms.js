// Forms and inline messages: submit handling with a busy state, API errors translated next to
// the form (the field the server names is highlighted and focused), and success notes.
//
// A container shows its messages in its own [data-form-error] (role="alert") and
// [data-form-status] (role="status") elements; messages stay translated on language change.

import { ApiError } from "/static/shared/api.js";
import { hasKey, localize } from "/static/shared/i18n.js";

/** The table key and params that say what went wrong, for any thrown value. */
export function describeError(error) {
  if (!(error instanceof ApiError)) {
    console.error(error);
    return { key: "error.unexpected", params: { code: "client" } };
  }
  const key = `error.${error.code}`;
  if (!hasKey(key)) return { key: "error.unexpected", params: { code: error.code } };
  const params = { ...error.params };
  if (typeof params.role === "string" && hasKey(`role.${params.role}`)) {
    params.role = { key: `role.${params.role}` };
  }
  if (typeof params.field === "string" && hasKey(`field.${params.field}`)) {
    params.field = { key: `field.${params.field}` };
  }
  return { key, params };
}

let nextId = 0;

function messageElement(container, kind) {
  return container.matches(`[data-form-${kind}]`)
    ? container
    : container.querySelector(`[data-form-${kind}]`);
}

export function clearMessages(container) {
  for (const kind of ["error", "status"]) {
    const element = messageElement(container, kind);
    if (element) {
      element.hidden = true;
      element.textContent = "";
      delete element.dataset.i18n;
    }
  }
  for (const field of container.querySelectorAll("[aria-invalid]")) {
    field.removeAttribute("aria-invalid");
  }
}

/** Show what went wrong in container's error element; highlight and focus the named field. */
export function showError(container, error) {
  clearMessages(container);
  const element = messageElement(container, "error");
  const { key, params } = describeError(error);
  localize(element, key, params);
  element.hidden = false;
  if (!element.id) element.id = `form-message-${++nextId}`;
  const name = error instanceof ApiError ? error.field : null;
  const field = name ? container.querySelector(`[name="${CSS.escape(name)}"]`) : null;
  if (field) {
    field.setAttribute("aria-invalid", "true");
    field.setAttribute("aria-describedby", element.id);
    field.focus();
  }
}

/** Show a success note (a table key) in container's status element. */
export function showStatus(container, key, params) {
  clearMessages(container);
  const element = messageElement(container, "status");
  localize(element, key, params);
  element.hidden = false;
}

export function formValues(form) {
  return Object.fromEntries(new FormData(form).entries());
}

/** Run action(values) on submit (one at a time); errors are shown in the form. */
export function bindForm(form, action) {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    await runAction(form, () => action(formValues(form), form));
  });
  form.addEventListener("input", (event) => {
    if (event.target.hasAttribute("aria-invalid")) event.target.removeAttribute("aria-invalid");
  });
}

/** Run an async action for container (form or section): busy while it runs, errors shown in it.
 * Buttons are not disabled (that would drop the keyboard focus); a busy container ignores
 * further actions until the first one ends. */
export async function runAction(container, action) {
  if (container.getAttribute("aria-busy") === "true") return;
  clearMessages(container);
  container.setAttribute("aria-busy", "true");
  try {
    await action();
  } catch (error) {
    if (container.isConnected) showError(container, error);
  } finally {
    container.removeAttribute("aria-busy");
  }
}
