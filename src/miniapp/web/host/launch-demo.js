// The launch button's demo page (/static/host/launch-demo.html): only its text is the
// platform's; the buttons are what any web page gets from launch-button.js.

import { translateTree } from "/static/shared/i18n.js";

translateTree(document);
