// wx APIs: query (see wx.js `extend`). A classic script loaded by the worker after wx.js.
(function () {
  "use strict";
  const W = self.MiniappWx;
  W.extend({});
})();
