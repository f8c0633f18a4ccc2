// An app's versions: the table (state as a translated badge, the reviewer's reasons and the
// automated findings), the actions each role may take (admins: trial, submit, withdraw; those
// who upload or test: preview, with a link and a QR code), and the "Upload a version" form (the
// CLI is the main way; the form sends the same zip). While a version is being checked, the table
// refreshes itself until the checks are done.

import { ApiError, api } from "/static/shared/api.js";
import { fromTemplate, part } from "/static/shared/dom.js";
import { bindForm, runAction, showError, showStatus } from "/static/shared/forms.js";
import { hasKey, localize, localizeAttribute, showDateTime } from "/static/shared/i18n.js";
import { canManageApp, canPreview, canUpload } from "/static/console/roles.js";

const CHECK_INTERVAL_MS = 2000; // how often the table looks again while checks run
const SUBMITTABLE = new Set(["development", "rejected"]);
const WITHDRAWABLE = new Set(["checking", "in_review"]);

const $ = (id) => document.getElementById(id);
let watchTimer = null;

const versionPath = (page, version, action) =>
  `/api/console/apps/${encodeURIComponent(page.app.appid)}/versions/${encodeURIComponent(version.version)}/${action}`;

/** Mark element as a badge naming a version's state. */
export function showVersionState(element, state) {
  element.dataset.state = state;
  return localize(element, `console.version.state.${state}`);
}

/** Fill a list with findings: "Error · pages/index/index.wxml:3 — message". */
export function showFindings(list, findings) {
  list.replaceChildren(
    ...findings.map((finding) => {
      const item = localize(document.createElement("li"), "console.finding", {
        severity: { key: `console.finding.${finding.severity}` },
        file: finding.file || "app",
        line: finding.line,
        message: finding.message,
      });
      item.dataset.severity = finding.severity;
      return item;
    }),
  );
}

function actionButton(textKey, labelKey, version, onClick) {
  const button = localize(document.createElement("button"), textKey);
  button.type = "button";
  button.className = "button button-secondary button-small";
  localizeAttribute(button, "aria-label", labelKey, { version: version.version });
  button.addEventListener("click", onClick);
  return button;
}

function versionRow(page, version) {
  const row = fromTemplate("tpl-version-row");
  part(row, "version").textContent = version.version;
  part(row, "description").textContent = version.description;
  showVersionState(part(row, "state"), version.state);
  part(row, "trial").hidden = !version.is_trial;
  if (version.uploaded_by) part(row, "uploader").textContent = version.uploaded_by.display_name;
  else localize(part(row, "uploader"), "console.audit.someone");
  localize(part(row, "size"), "console.versions.kb", { size: (version.size_bytes / 1024).toFixed(1) });
  showDateTime(part(row, "date"), version.created_at);

  const reasons = version.review_reasons ?? [];
  part(row, "reasons-block").hidden = reasons.length === 0;
  part(row, "reasons").replaceChildren(
    ...reasons.map((reason) => {
      const item = document.createElement("li");
      // The platform's own reasons are codes (e.g. automated_checks_failed); a reviewer's are text.
      if (hasKey(`console.review_reason.${reason}`)) localize(item, `console.review_reason.${reason}`);
      else item.textContent = reason;
      return item;
    }),
  );
  const findings = version.findings ?? [];
  part(row, "findings-block").hidden = findings.length === 0;
  showFindings(part(row, "findings"), findings);

  const actions = [];
  const admin = canManageApp(page.role);
  const run = (action, done) => () => versionAction(page, version, action, done);
  if (canPreview(page.role) && version.state !== "superseded") {
    actions.push(
      actionButton("console.versions.preview", "console.versions.preview_label", version, () =>
        preview(page, version),
      ),
    );
  }
  if (admin && !version.is_trial && version.state !== "superseded") {
    actions.push(
      actionButton(
        "console.versions.set_trial",
        "console.versions.set_trial_label",
        version,
        run("trial", "console.versions.trial_done"),
      ),
    );
  }
  if (admin && SUBMITTABLE.has(version.state)) {
    actions.push(
      actionButton(
        "console.versions.submit",
        "console.versions.submit_label",
        version,
        run("submit", "console.versions.submit_done"),
      ),
    );
  }
  if (admin && WITHDRAWABLE.has(version.state)) {
    actions.push(
      actionButton(
        "console.versions.withdraw",
        "console.versions.withdraw_label",
        version,
        run("withdraw", "console.versions.withdraw_done"),
      ),
    );
  }
  part(row, "actions").replaceChildren(...actions);
  return row;
}

/** Draw the versions of page.app, and keep watching while checks run. */
export function showVersions(page) {
  const { versions } = page;
  $("versions-body").replaceChildren(...versions.map((version) => versionRow(page, version)));
  $("versions-empty").hidden = versions.length > 0;
  $("versions-table-wrap").hidden = versions.length === 0;
  $("upload-form").hidden = !canUpload(page.role);
  watch(page);
}

function watch(page) {
  stopWatching();
  if (!page.versions.some((version) => version.state === "checking")) return;
  watchTimer = window.setTimeout(async () => {
    watchTimer = null;
    if ($("view-app").hidden) return; // the user has moved on
    try {
      await page.refresh();
    } catch (error) {
      showError($("versions-section"), error);
    }
  }, CHECK_INTERVAL_MS);
}

export function stopWatching() {
  if (watchTimer !== null) window.clearTimeout(watchTimer);
  watchTimer = null;
}

async function versionAction(page, version, action, doneKey) {
  const section = $("versions-section");
  await runAction(section, async () => {
    try {
      await api.post(versionPath(page, version, action));
    } finally {
      await page.refresh().catch(() => {}); // show what is true now, also after a refusal
    }
    showStatus(section, doneKey, { version: version.version });
  });
}

async function preview(page, version) {
  const section = $("versions-section");
  await runAction(section, async () => {
    const { url, qr_svg: svg } = await api.post(versionPath(page, version, "preview"));
    const absolute = new URL(url, window.location.origin).href;
    localize($("preview-heading"), "console.preview.title", { version: version.version });
    $("preview-link").href = absolute;
    $("preview-link").textContent = absolute;
    // Our own SVG, but shown as an image: nothing in it can run or touch the page.
    $("preview-qr").src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
    localizeAttribute($("preview-qr"), "aria-label", "console.preview.qr", { version: version.version });
    $("preview-panel").hidden = false;
  });
}

function showDiagnostics(error) {
  const list = $("upload-diagnostics");
  const diagnostics =
    error instanceof ApiError && Array.isArray(error.params.diagnostics) ? error.params.diagnostics : [];
  list.replaceChildren(
    ...diagnostics.map((diagnostic) => {
      const item = localize(document.createElement("li"), "console.diagnostic", {
        file: diagnostic.file || "app",
        line: diagnostic.line ?? 0,
        message: diagnostic.message,
      });
      return item;
    }),
  );
  list.hidden = diagnostics.length === 0;
}

export function bindVersions(page) {
  const form = $("upload-form");
  bindForm(form, async () => {
    showDiagnostics(null);
    const path = `/api/console/apps/${encodeURIComponent(page.app.appid)}/versions`;
    let uploaded;
    try {
      ({ version: uploaded } = await api.post(path, new FormData(form)));
    } catch (error) {
      showDiagnostics(error);
      throw error;
    }
    form.reset();
    await page.refresh();
    showStatus(form, "console.upload.done", { version: uploaded.version });
  });
}
