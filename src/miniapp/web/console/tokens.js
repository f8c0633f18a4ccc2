// Personal access tokens (#/tokens): for the CLI and scripts (`miniapp login` makes one too).
// Create one (its secret is shown once: only a hash is kept), list them, revoke them.

import { api } from "/static/shared/api.js";
import { fromTemplate, part } from "/static/shared/dom.js";
import { bindForm, clearMessages, runAction, showError, showStatus } from "/static/shared/forms.js";
import { localize, localizeAttribute, showDateTime } from "/static/shared/i18n.js";

const $ = (id) => document.getElementById(id);
let latestLoad = 0;

function timeOrKey(cell, iso, key) {
  if (iso) cell.replaceChildren(showDateTime(document.createElement("time"), iso));
  else localize(cell, key);
}

function tokenRow(token) {
  const row = fromTemplate("tpl-token-row");
  part(row, "name").textContent = token.name;
  localize(part(row, "prefix"), "console.tokens.prefix_value", { prefix: token.prefix });
  showDateTime(part(row, "created"), token.created_at);
  timeOrKey(part(row, "expires"), token.expires_at, "console.tokens.never_expires");
  timeOrKey(part(row, "last-used"), token.last_used_at, "console.tokens.never_used");
  const revoke = part(row, "revoke");
  localizeAttribute(revoke, "aria-label", "console.tokens.revoke_label", { name: token.name });
  revoke.addEventListener("click", () =>
    runAction($("tokens-section"), async () => {
      await api.delete(`/api/accounts/tokens/${encodeURIComponent(token.id)}`);
      await load();
      showStatus($("tokens-section"), "console.tokens.revoked", { name: token.name });
      $("tokens-list-heading").focus();
    }),
  );
  return row;
}

async function load() {
  const current = ++latestLoad;
  const { tokens } = await api.get("/api/accounts/tokens");
  if (current !== latestLoad) return;
  $("tokens-body").replaceChildren(...tokens.map(tokenRow));
  $("tokens-empty").hidden = tokens.length > 0;
  $("tokens-table-wrap").hidden = tokens.length === 0;
}

export async function showTokens() {
  const section = $("tokens-section");
  clearMessages(section);
  $("token-once").hidden = true;
  $("token-once-value").value = "";
  try {
    await load();
  } catch (error) {
    showError(section, error);
  }
}

export function bindTokens() {
  const form = $("token-form");
  bindForm(form, async (values) => {
    const body = { name: values.name };
    if (values.expires_in_days) body.expires_in_days = Number(values.expires_in_days);
    const { token, secret } = await api.post("/api/accounts/tokens", body);
    form.reset();
    await load();
    localize($("token-once-heading"), "console.tokens.once_title", { name: token.name });
    $("token-once-value").value = secret;
    clearMessages($("token-once"));
    $("token-once").hidden = false;
    $("token-once-heading").focus();
  });
  $("token-once-done").addEventListener("click", () => {
    $("token-once").hidden = true;
    $("token-once-value").value = "";
    $("tokens-list-heading").focus();
  });
}
