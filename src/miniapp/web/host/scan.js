// Discover → Scan (docs/entry-points.md "Scanning"): the Scan button beside the search box opens
// the shared scanner. One of our codes opens its mini program with WeChat's scene for how it was
// read (camera 1047 / 1011, a chosen picture 1049 / 1013); any other http(s) link is shown with an
// "Open" link the user may follow (never opened for them); anything else is shown as text.

import { clearMessages, showError } from "/static/shared/forms.js";
import { codeRoute, parseCodeUrl } from "/static/shared/code-urls.js";
import { launchFromHost } from "/static/host/miniprograms.js";

const $ = (id) => document.getElementById(id);

function hideResult() {
  $("scan-result").hidden = true;
  $("scan-result-text").textContent = "";
  $("scan-result-open").removeAttribute("href");
}

/** An http(s) URL in `text`, or null. */
function webLink(text) {
  try {
    const url = new URL(text.trim());
    return url.protocol === "https:" || url.protocol === "http:" ? url : null;
  } catch {
    return null;
  }
}

function showResult(text) {
  const link = webLink(text);
  $("scan-result-text").textContent = text;
  $("scan-result-hint").hidden = !link;
  const open = $("scan-result-open");
  open.hidden = !link;
  if (link) open.href = link.href;
  else open.removeAttribute("href");
  $("scan-result").hidden = false;
  $("scan-result-heading").focus();
}

/** What the host does with a scanned text (`source`: "camera" or "album"). */
export function openScanned(text, source, tap = performance.now()) {
  const code = parseCodeUrl(text);
  if (!code) {
    showResult(text);
    return null;
  }
  const route = codeRoute(code, source);
  // A "develop" code names no version: the server resolves it (the newest upload) when its own
  // URL is opened, and redirects to the host with the code's scene.
  if (route.build === "develop") {
    window.location.assign(route.url);
    return null;
  }
  return launchFromHost(route.appid, tap, { path: route.path, query: route.query, scene: route.scene, build: route.build });
}

async function scanNow() {
  const panel = $("panel-discover");
  hideResult();
  clearMessages(panel);
  // Loaded on the first tap: the scanner (and its decoder) are never on the launch path.
  const { scan, ScanCancelled } = await import("/static/shared/scanner.js");
  let result;
  try {
    result = await scan();
  } catch (error) {
    if (!(error instanceof ScanCancelled)) showError(panel, error);
    return;
  }
  await openScanned(result.text, result.source);
}

/** Wires the Scan button and the result's Close button. */
export function bindScan() {
  $("scan-button").addEventListener("click", () => {
    scanNow().catch((error) => showError($("panel-discover"), error));
  });
  $("scan-result-close").addEventListener("click", () => {
    hideResult();
    $("scan-button").focus();
  });
}
