// Built-in components: rich-text. See frame.js for the controller interface.
(function () {
  "use strict";
  const V = globalThis.wxView;
  void V;
})();
