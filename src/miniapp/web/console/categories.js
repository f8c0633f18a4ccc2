// The fixed list of service categories (GET /api/console/categories), fetched once, and the
// category <select>s. Names are translated through `category.<id>` and `permit.<id>` keys; the
// server's own name is the fallback for a category this page has no key for.

import { api } from "/static/shared/api.js";
import { hasKey, localize } from "/static/shared/i18n.js";

let loading = null;

/** The categories, [{id, name, permits}], loaded on first use. */
export function loadCategories() {
  if (loading === null) {
    loading = api.get("/api/console/categories").then(
      (data) => data.categories,
      (error) => {
        loading = null; // try again next time
        throw error;
      },
    );
  }
  return loading;
}

/** A translation parameter naming a category (or its id, when unknown). */
export function categoryParam(id, categories = []) {
  if (hasKey(`category.${id}`)) return { key: `category.${id}` };
  const found = categories.find((category) => category.id === id);
  return found ? found.name : id;
}

/** A translation parameter naming a permit. */
export function permitParam(id) {
  return hasKey(`permit.${id}`) ? { key: `permit.${id}` } : id;
}

/** Mark element with the translated name of a category ("—" for none). */
export function showCategory(element, id, categories) {
  if (!id) return localize(element, "console.profile.no_category");
  return localize(element, "console.param", { value: categoryParam(id, categories) });
}

/** Fill a category <select>: a "choose" option (no category) and one option per category. */
export function fillCategorySelect(select, categories, selected = "") {
  const none = localize(document.createElement("option"), "console.profile.choose_category");
  none.value = "";
  const options = categories.map((category) => {
    const option = localize(document.createElement("option"), "console.param", {
      value: categoryParam(category.id, categories),
    });
    option.value = category.id;
    return option;
  });
  select.replaceChildren(none, ...options);
  for (const option of select.options) option.defaultSelected = option.value === (selected ?? "");
  select.value = selected ?? "";
}
