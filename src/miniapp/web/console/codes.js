// An app's "Mini-program code" card: pick a version (released or trial), one of its pages and a
// kind (B with a scene, A with a query, C a plain QR code); the card shows the code and offers it
// as a PNG download. The image comes from GET /api/console/apps/<appid>/code.png, drawn as the
// open API draws it but outside the back end's quota (docs/entry-points.md "Mini-program codes").

import { ApiError, api } from "/static/shared/api.js";
import { bindForm, clearMessages, showError } from "/static/shared/forms.js";
import { localize, localizeAttribute } from "/static/shared/i18n.js";

const $ = (id) => document.getElementById(id);

const appPath = (page, suffix) => `/api/console/apps/${encodeURIComponent(page.app.appid)}${suffix}`;

let latestPages = 0;
let imageUrl = null;

function hideImage() {
  $("code-figure").hidden = true;
  if (imageUrl) URL.revokeObjectURL(imageUrl);
  imageUrl = null;
  $("code-image").removeAttribute("src");
}

/** The scene field for B codes, the query field for A and C. */
function showKindFields() {
  const kind = $("code-kind").value;
  $("code-scene-field").hidden = kind !== "b";
  $("code-query-field").hidden = kind === "b";
}

async function loadPages(page) {
  const load = ++latestPages;
  const env = $("code-env").value;
  const select = $("code-page");
  hideImage();
  clearMessages($("code-form"));
  let pages = [];
  try {
    ({ pages } = await api.get(appPath(page, `/code-pages?env=${encodeURIComponent(env)}`)));
  } catch (error) {
    if (!(error instanceof ApiError && error.code === "code_no_version")) {
      if (load === latestPages) showError($("code-form"), error);
      return;
    }
  }
  if (load !== latestPages) return;
  const previous = select.value;
  select.replaceChildren(
    ...pages.map((path) => {
      const option = document.createElement("option");
      option.value = path;
      option.textContent = path;
      return option;
    }),
  );
  if (pages.includes(previous)) select.value = previous;
  const none = pages.length === 0;
  localize($("code-none"), env === "release" ? "console.code.none_release" : "console.code.none_trial");
  $("code-none").hidden = !none;
  $("code-fields").hidden = none;
}

function codeQuery(values, extra = {}) {
  const params = new URLSearchParams({ kind: values.kind, page: values.page, env: values.env, ...extra });
  if (values.kind === "b") params.set("scene", values.scene);
  else if (values.query) params.set("query", values.query);
  return params.toString();
}

/** Fetch the image (an error answer is JSON, shown in the form) and show it. */
async function showCode(page, values) {
  hideImage();
  const response = await fetch(appPath(page, `/code.png?${codeQuery(values)}`), { credentials: "same-origin" });
  if (!response.ok) {
    let detail = { code: "unexpected", params: { code: String(response.status) } };
    try {
      const data = await response.json();
      if (data && data.error && typeof data.error.code === "string") detail = data.error;
    } catch {
      // not JSON: the generic message
    }
    throw new ApiError(response.status, detail);
  }
  const blob = await response.blob();
  imageUrl = URL.createObjectURL(blob);
  $("code-image").src = imageUrl;
  const described = values.kind === "b" ? "console.code.image_scene" : "console.code.image";
  localizeAttribute($("code-image"), "aria-label", described, { page: values.page, scene: values.scene });
  $("code-download").href = appPath(page, `/code.png?${codeQuery(values, { download: "1" })}`);
  $("code-figure").hidden = false;
}

/** Draw the card for page.app (after a load or a refresh: a release may have changed the pages). */
export function showCodes(page) {
  showKindFields();
  loadPages(page);
}

export function bindCodes(page) {
  $("code-env").addEventListener("change", () => loadPages(page));
  $("code-kind").addEventListener("change", () => {
    showKindFields();
    hideImage();
  });
  bindForm($("code-form"), (values) => showCode(page, values));
}
