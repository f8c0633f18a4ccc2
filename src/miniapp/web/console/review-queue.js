// The platform's review queue (#/review, reviewers): each version in review with its app, the
// automated findings (file:line message), a preview link that opens the build in the host, and
// approve, or reject with reasons (one per line) the app's members read.

import { api } from "/static/shared/api.js";
import { fromTemplate, part } from "/static/shared/dom.js";
import { clearMessages, runAction, showError, showStatus } from "/static/shared/forms.js";
import { localize, localizeAttribute } from "/static/shared/i18n.js";
import { showFindings } from "/static/console/versions.js";

const $ = (id) => document.getElementById(id);
let latestLoad = 0;
let nextId = 0;

function reviewItem(version) {
  const item = fromTemplate("tpl-review-item");
  const name = version.app.name;
  const params = { name, version: version.version };
  const headingId = `review-item-${++nextId}`;
  part(item, "heading").id = headingId;
  part(item, "article").setAttribute("aria-labelledby", headingId);
  localize(part(item, "heading"), "console.review.item", params);
  localize(part(item, "meta"), "console.review.meta", {
    appid: version.app.appid,
    organisation: version.app.organisation.name,
  });
  part(item, "description").textContent = version.description;
  showFindings(part(item, "findings"), version.findings);
  part(item, "no-findings").hidden = version.findings.length > 0;
  const preview = part(item, "preview");
  preview.href = version.preview_url;
  localizeAttribute(preview, "aria-label", "console.review.preview_label", params);

  const reasonsId = `review-reasons-${nextId}`;
  const hintId = `review-reasons-hint-${nextId}`;
  part(item, "reasons").id = reasonsId;
  part(item, "reasons").setAttribute("aria-describedby", hintId);
  part(item, "reasons-hint").id = hintId;
  part(item, "reasons-label").htmlFor = reasonsId;
  const rejectForm = part(item, "reject-form");
  localizeAttribute(rejectForm, "aria-label", "console.review.reject_form", params);
  localizeAttribute(part(item, "approve"), "aria-label", "console.review.approve_label", params);
  localizeAttribute(part(item, "reject"), "aria-label", "console.review.reject_label", params);

  const article = part(item, "article");
  const base = `/api/review/versions/${encodeURIComponent(version.id)}`;
  part(item, "approve").addEventListener("click", () =>
    runAction(article, async () => {
      await api.post(`${base}/approve`);
      await decided("console.review.approved", params);
    }),
  );
  rejectForm.addEventListener("submit", (event) => {
    event.preventDefault();
    runAction(article, async () => {
      const reasons = part(item, "reasons")
        .value.split(/\r?\n/)
        .map((line) => line.trim())
        .filter(Boolean);
      await api.post(`${base}/reject`, { reasons });
      await decided("console.review.rejected", params);
    });
  });
  return item;
}

async function decided(key, params) {
  await load();
  showStatus($("review-card"), key, params);
  $("review-heading").focus();
}

async function load() {
  const current = ++latestLoad;
  const { versions } = await api.get("/api/review/queue");
  if (current !== latestLoad) return;
  $("review-list").replaceChildren(...versions.map(reviewItem));
  $("review-empty").hidden = versions.length > 0;
}

export async function showReviewQueue() {
  const card = $("review-card");
  clearMessages(card);
  $("review-list").replaceChildren();
  $("review-empty").hidden = true;
  $("review-loading").hidden = false;
  try {
    await load();
  } catch (error) {
    showError(card, error);
  } finally {
    $("review-loading").hidden = true;
  }
}
