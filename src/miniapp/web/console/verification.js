// The organisation's business verification card: where it stands (every member sees that), and
// for admins the application form (company, registration number, legal representative, the
// licence and the representative's ID as files) and the past applications with the reviewer's
// reasons. Documents are private: their links go through the console API, never a public path.

import { api } from "/static/shared/api.js";
import { fromTemplate, part } from "/static/shared/dom.js";
import { bindForm, clearMessages, showError, showStatus } from "/static/shared/forms.js";
import { language, localize, showDateTime } from "/static/shared/i18n.js";

const $ = (id) => document.getElementById(id);
let organisation = null;

/** What the organisation's verification means now: verified, expired, fee_unpaid, pending,
 * rejected or unverified (expiry is read at the moment, as the server enforces it). */
export function verificationState(verification, now = new Date()) {
  if (!verification) return "unverified";
  if (verification.status === "verified") {
    if (verification.verified_until && new Date(verification.verified_until) <= now) return "expired";
    if (!verification.fee_paid) return "fee_unpaid";
    return "verified";
  }
  return verification.status;
}

/** A date (no time) in the page's language. */
export function formatDate(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(language() === "zh" ? "zh-CN" : "en-GB", { dateStyle: "long" }).format(date);
}

const STATUS_BADGES = {
  pending: "console.verification.app_status.pending",
  approved: "console.verification.app_status.approved",
  rejected: "console.verification.app_status.rejected",
  withdrawn: "console.verification.app_status.withdrawn",
};

function renderStatus(verification, latest) {
  const state = verificationState(verification);
  const until = verification && verification.verified_until ? formatDate(verification.verified_until) : "";
  localize($("verification-status"), `console.verification.status.${state}`, { date: until });
  $("verification-status").dataset.state = state;
  localize($("verification-explain"), `console.verification.explain.${state}`);
  const reason = $("verification-reason");
  const rejected = state === "rejected" && latest && latest.status === "rejected" && latest.reason;
  reason.hidden = !rejected;
  if (rejected) localize(reason, "console.verification.reason", { reason: latest.reason });
}

/** One past application; the reason of the latest is shown with the status above it. */
function applicationItem(application, index) {
  const item = fromTemplate("tpl-application-item");
  localize(part(item, "status"), STATUS_BADGES[application.status] ?? "console.param", {
    value: application.status,
  });
  part(item, "status").dataset.state = application.status;
  part(item, "company").textContent = application.company_name;
  part(item, "registration").textContent = application.registration_number;
  showDateTime(part(item, "created"), application.submitted_at);
  if (application.reason && index > 0) {
    part(item, "reason").hidden = false;
    localize(part(item, "reason"), "console.verification.reason", { reason: application.reason });
  }
  part(item, "documents").replaceChildren(...documentLinks(application));
  return item;
}

/** Download links for an application's two private documents. */
export function documentLinks(application) {
  return [
    ["licence", "console.verification.licence_link"],
    ["legal_rep_id", "console.verification.id_link"],
  ].map(([kind, key]) => {
    const document_ = application[kind];
    const link = localize(document.createElement("a"), key, { name: document_.file_name });
    link.href = document_.url;
    link.setAttribute("download", document_.file_name);
    link.className = "document-link";
    return link;
  });
}

/** Show the card for org (with my_role and verification); admins also get the form and history. */
export async function showVerification(org) {
  organisation = org;
  const section = $("verification-section");
  clearMessages(section);
  const admin = org.my_role === "admin";
  renderStatus(org.verification, null);
  $("verification-form").hidden = true;
  $("verification-history").hidden = true;
  $("verification-applications").replaceChildren();
  if (!admin) return;
  try {
    await refresh();
  } catch (error) {
    showError(section, error);
  }
}

async function refresh() {
  const shownId = organisation.id;
  const data = await api.get(`/api/console/organisations/${encodeURIComponent(shownId)}/verification`);
  if (organisation === null || organisation.id !== shownId) return;
  organisation.verification = data.verification;
  const latest = data.applications[0] ?? null;
  renderStatus(data.verification, latest);
  const state = verificationState(data.verification);
  // One application at a time; a verified organisation applies again when it expires or is
  // rejected. A fee left unpaid is recorded by the platform, not by a new application.
  $("verification-form").hidden = !["unverified", "rejected", "expired"].includes(state);
  $("verification-applications").replaceChildren(...data.applications.map(applicationItem));
  $("verification-history").hidden = data.applications.length === 0;
}

/** afterChange(): called after an application was sent (e.g. to reload the audit log). */
export function bindVerification({ afterChange }) {
  const form = $("verification-form");
  bindForm(form, async () => {
    const path = `/api/console/organisations/${encodeURIComponent(organisation.id)}/verification`;
    await api.post(path, new FormData(form));
    form.reset();
    await refresh();
    showStatus($("verification-section"), "console.verification.applied");
    $("verification-heading").focus();
    await afterChange();
  });
}
