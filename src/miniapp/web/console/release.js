// An app's release card: what it serves (the full release and a grey share with its bar), and for
// admins: release an approved version (to everyone or a percentage of users), widen a grey
// release, roll back one step (confirmed in the page), and the history. Only approved versions
// are offered; an organisation whose verification is not in force is told why it cannot release.

import { api } from "/static/shared/api.js";
import { bindForm, clearMessages, runAction, showStatus } from "/static/shared/forms.js";
import { localize, showDateTime } from "/static/shared/i18n.js";
import { canManageApp } from "/static/console/roles.js";
import { verificationState } from "/static/console/verification.js";

const $ = (id) => document.getElementById(id);

const HISTORY_KEYS = {
  release: "console.release.event.release",
  grey: "console.release.event.grey",
  widen: "console.release.event.widen",
  rollback: "console.release.event.rollback",
};

/** The version a rollback of the full release returns to, from the history (newest first), as
 * apps/releases.py reads it: full releases stack up, a rollback takes the top one off. */
function previousFullRelease(releases) {
  const stack = [];
  for (const event of [...releases].reverse()) {
    if (event.percent !== 100) continue; // grey steps change nobody's full release
    if (event.action === "rollback") {
      stack.pop();
      if (stack.length === 0 || stack[stack.length - 1] !== event.version) stack.push(event.version);
    } else {
      stack.push(event.version);
    }
  }
  return stack.length >= 2 ? stack[stack.length - 2] : null;
}

const releasePath = (page, suffix = "") =>
  `/api/console/apps/${encodeURIComponent(page.app.appid)}/release${suffix}`;

function historyItem(event) {
  const item = document.createElement("li");
  item.className = "audit-item";
  let key = HISTORY_KEYS[event.action] ?? "console.release.event.other";
  if (event.action === "rollback" && event.percent === 0) key = "console.release.event.rollback_grey";
  const text = localize(document.createElement("span"), key, {
    actor: event.actor ? event.actor.display_name : { key: "console.audit.someone" },
    version: event.version,
    percent: event.percent,
    action: event.action,
  });
  const time = showDateTime(document.createElement("time"), event.created_at);
  time.className = "audit-time muted";
  item.append(text, time);
  return item;
}

/** Draw the release card for page.app. */
export function showRelease(page) {
  const { app, releases, versions } = page;
  const release = app.release ?? { version: null, grey_version: null, grey_percent: 0 };
  const greyInProgress = Boolean(release.grey_version) && release.grey_percent < 100;

  if (release.version) localize($("release-current"), "console.release.current", { version: release.version });
  else localize($("release-current"), "console.release.current_none");
  $("release-grey").hidden = !greyInProgress;
  if (greyInProgress) {
    localize($("release-grey-text"), "console.release.grey", {
      version: release.grey_version,
      percent: release.grey_percent,
    });
    $("release-grey-bar").value = release.grey_percent;
    localize($("release-grey-bar"), "console.release.grey_bar_value", { percent: release.grey_percent });
  }

  $("release-history").replaceChildren(...releases.map(historyItem));
  $("release-history-empty").hidden = releases.length > 0;

  const admin = canManageApp(page.role);
  const verification = page.organisation.verification;
  const inForce = Boolean(verification && verification.in_force);
  const approved = versions.filter((version) => version.state === "approved");

  $("release-unverified").hidden = !admin || inForce;
  if (admin && !inForce) {
    localize($("release-unverified"), `console.release.unverified.${verificationState(verification)}`);
  }
  const canRelease = admin && inForce && !greyInProgress && approved.length > 0;
  $("release-form").hidden = !canRelease;
  const hint = $("release-none-approved");
  hint.hidden = !(admin && inForce) || canRelease;
  if (!hint.hidden) {
    localize(hint, greyInProgress ? "console.release.grey_in_progress" : "console.release.none_approved");
  }
  // The first release goes to everyone; grey releases come after it.
  $("release-percent-field").hidden = !release.version;
  localize($("release-percent-hint"), release.version ? "console.release.percent_hint" : "console.release.first_hint");
  if (!release.version) $("release-percent").value = "100";
  if (canRelease) {
    const select = $("release-version");
    const previous = select.value;
    select.replaceChildren(
      ...approved.map((version) => {
        const option = document.createElement("option");
        option.value = version.version;
        option.textContent = version.description ? `${version.version} — ${version.description}` : version.version;
        return option;
      }),
    );
    if (approved.some((version) => version.version === previous)) select.value = previous;
  }

  $("widen-form").hidden = !(admin && greyInProgress);
  if (greyInProgress) {
    const percent = $("widen-percent");
    percent.min = String(release.grey_percent + 1);
    if (Number(percent.value) <= release.grey_percent) percent.value = "100";
  }

  const previous = previousFullRelease(releases);
  const canRollBack = admin && (greyInProgress || (Boolean(release.version) && previous !== null));
  $("rollback-block").hidden = !canRollBack;
  setConfirming(false);
  if (canRollBack) {
    if (greyInProgress) {
      localize($("rollback-explain"), release.version ? "console.release.rollback_grey" : "console.release.rollback_grey_only", {
        grey: release.grey_version,
        version: release.version ?? "",
      });
    } else {
      localize($("rollback-explain"), "console.release.rollback_full", {
        version: release.version,
        previous,
      });
    }
    localize($("rollback-question"), "console.release.rollback_question", { name: app.name });
  }
}

function setConfirming(confirming) {
  $("rollback-idle").hidden = confirming;
  $("rollback-confirm").hidden = !confirming;
}

export function bindRelease(page) {
  const section = $("release-section");
  const form = $("release-form");
  bindForm(form, async (values) => {
    const percent = Number(values.percent);
    await api.post(releasePath(page), { version: values.version, percent });
    form.reset();
    await page.refresh();
    const key = percent >= 100 ? "console.release.released" : "console.release.greyed";
    showStatus(section, key, { version: values.version, percent });
    $("release-heading").focus();
  });

  const widen = $("widen-form");
  bindForm(widen, async (values) => {
    const percent = Number(values.percent);
    await api.post(releasePath(page, "/widen"), { percent });
    await page.refresh();
    showStatus(section, "console.release.widened", { percent });
    $("release-heading").focus();
  });

  $("rollback-button").addEventListener("click", () => {
    clearMessages($("rollback-block"));
    setConfirming(true);
    $("rollback-no").focus();
  });
  $("rollback-no").addEventListener("click", () => {
    setConfirming(false);
    $("rollback-button").focus();
  });
  $("rollback-yes").addEventListener("click", () =>
    runAction($("rollback-block"), async () => {
      try {
        await api.post(releasePath(page, "/rollback"));
      } catch (error) {
        setConfirming(false);
        throw error;
      }
      await page.refresh();
      showStatus(section, "console.release.rolled_back");
      $("release-heading").focus();
    }),
  );
}
