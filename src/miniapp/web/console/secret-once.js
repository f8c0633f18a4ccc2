// Secrets shown once (an AppSecret, an access token): a read-only field with a copy button. The
// server keeps only a hash, so the page says plainly that it will not be shown again.

import { runAction, showStatus } from "/static/shared/forms.js";

/** Make every [data-copy=<input id>] button inside root copy that field's value. */
export function bindCopyButtons(root) {
  for (const button of root.querySelectorAll("[data-copy]")) {
    button.addEventListener("click", () => {
      const field = document.getElementById(button.dataset.copy);
      const container = button.closest("section, form") ?? root;
      runAction(container, async () => {
        field.select(); // selected either way: the user can still copy it by hand
        try {
          await navigator.clipboard.writeText(field.value);
        } catch {
          showStatus(container, "console.secret.copy_by_hand");
          return;
        }
        showStatus(container, "console.secret.copied");
      });
    });
  }
}
