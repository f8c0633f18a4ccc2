// Small DOM helpers: clone a <template>, find its named parts, show one view of several.

import { translateTree } from "/static/shared/i18n.js";

/** A translated copy of the first element of <template id=id>. */
export function fromTemplate(id) {
  const element = document.getElementById(id).content.firstElementChild.cloneNode(true);
  translateTree(element);
  return element;
}

/** The element marked data-part=name inside root. */
export function part(root, name) {
  return root.querySelector(`[data-part="${name}"]`);
}

/** Show the element with id among the [data-view] children of container; hide the others. */
export function showView(container, id) {
  for (const view of container.querySelectorAll(":scope > [data-view]")) {
    view.hidden = view.id !== id;
  }
}
