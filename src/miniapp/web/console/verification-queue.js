// The platform's verification queue (#/verifications, reviewers): each pending application with
// its two documents as download links (read through the console API, never a public path),
// approve (fee paid or not, valid until a date: one year from today by default) or reject with a
// reason the organisation's admins read.

import { api } from "/static/shared/api.js";
import { fromTemplate, part } from "/static/shared/dom.js";
import { clearMessages, runAction, showError, showStatus } from "/static/shared/forms.js";
import { localizeAttribute, showDateTime } from "/static/shared/i18n.js";
import { documentLinks } from "/static/console/verification.js";

const $ = (id) => document.getElementById(id);
let latestLoad = 0;
let nextId = 0;

/** A year from today as an <input type=date> value. */
function aYearFromToday() {
  const date = new Date();
  date.setFullYear(date.getFullYear() + 1);
  return date.toISOString().slice(0, 10);
}

/** Give a template's label/field pair matching ids (each item has its own). */
function pair(item, labelPart, fieldPart) {
  const id = `queue-field-${++nextId}`;
  part(item, fieldPart).id = id;
  part(item, labelPart).htmlFor = id;
}

function applicationItem(application) {
  const item = fromTemplate("tpl-verification-item");
  const organisation = application.organisation.name;
  const headingId = `queue-heading-${++nextId}`;
  part(item, "heading").id = headingId;
  part(item, "article").setAttribute("aria-labelledby", headingId);
  part(item, "heading").textContent = organisation;
  part(item, "company").textContent = application.company_name;
  part(item, "registration").textContent = application.registration_number;
  part(item, "representative").textContent = application.legal_representative;
  showDateTime(part(item, "created"), application.submitted_at);
  part(item, "documents").replaceChildren(...documentLinks(application).flatMap((link) => [link, " "]));

  pair(item, "fee-paid-label", "fee-paid");
  pair(item, "until-label", "until");
  pair(item, "reason-label", "reason");
  part(item, "until").value = aYearFromToday();
  const approveForm = part(item, "approve-form");
  const rejectForm = part(item, "reject-form");
  localizeAttribute(approveForm, "aria-label", "console.verifications.approve_form", { organisation });
  localizeAttribute(rejectForm, "aria-label", "console.verifications.reject_form", { organisation });
  localizeAttribute(part(item, "approve"), "aria-label", "console.verifications.approve_label", { organisation });
  localizeAttribute(part(item, "reject"), "aria-label", "console.verifications.reject_label", { organisation });

  const article = part(item, "article");
  const base = `/api/staff/verifications/${encodeURIComponent(application.id)}`;
  approveForm.addEventListener("submit", (event) => {
    event.preventDefault();
    runAction(article, async () => {
      const until = part(item, "until").value;
      const body = { fee_paid: part(item, "fee-paid").checked };
      if (until) body.verified_until = until;
      await api.post(`${base}/approve`, body);
      await decided("console.verifications.approved", { organisation });
    });
  });
  rejectForm.addEventListener("submit", (event) => {
    event.preventDefault();
    runAction(article, async () => {
      await api.post(`${base}/reject`, { reason: part(item, "reason").value });
      await decided("console.verifications.rejected", { organisation });
    });
  });
  return item;
}

async function decided(key, params) {
  await load();
  showStatus($("verifications-card"), key, params);
  $("verifications-heading").focus();
}

async function load() {
  const current = ++latestLoad;
  const { applications } = await api.get("/api/staff/verifications?status=pending");
  if (current !== latestLoad) return;
  $("verifications-list").replaceChildren(...applications.map(applicationItem));
  $("verifications-empty").hidden = applications.length > 0;
}

export async function showVerificationQueue() {
  const card = $("verifications-card");
  clearMessages(card);
  $("verifications-list").replaceChildren();
  $("verifications-empty").hidden = true;
  $("verifications-loading").hidden = false;
  try {
    await load();
  } catch (error) {
    showError(card, error);
  } finally {
    $("verifications-loading").hidden = true;
  }
}

