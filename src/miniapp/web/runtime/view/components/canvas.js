// Built-in components: canvas. See frame.js for the controller interface.
(function () {
  "use strict";
  const V = globalThis.wxView;
  void V;
})();
