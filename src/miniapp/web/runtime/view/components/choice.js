// Built-in components: choice. See frame.js for the controller interface.
(function () {
  "use strict";
  const V = globalThis.wxView;
  void V;
})();
