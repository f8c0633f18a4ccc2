// The language switch: a group of buttons [data-lang] inside a [data-language-switch] container.
// The pressed button follows the current language; a choice is saved on the account if signed in.

import { chooseLanguage } from "/static/shared/account.js";
import { language, onLanguageChange } from "/static/shared/i18n.js";
import { runAction } from "/static/shared/forms.js";

function showPressed(container) {
  for (const button of container.querySelectorAll("button[data-lang]")) {
    button.setAttribute("aria-pressed", String(button.dataset.lang === language()));
  }
}

export function bindLanguageSwitches(root = document) {
  for (const container of root.querySelectorAll("[data-language-switch]")) {
    showPressed(container);
    onLanguageChange(() => showPressed(container));
    container.addEventListener("click", (event) => {
      const button = event.target.closest("button[data-lang]");
      if (!button || button.dataset.lang === language()) return;
      runAction(container, () => chooseLanguage(button.dataset.lang));
    });
  }
}
