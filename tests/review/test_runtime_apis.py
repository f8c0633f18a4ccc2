"""The wx APIs the runtime provides, read from the runtime's own scripts."""

from __future__ import annotations

from miniapp.review.runtime_apis import read_runtime_apis, runtime_apis

WX_JS = b"""
(function () {
  const wx = {
    showToast: hostApi("showToast"),
    request(options) { return 1; },
    "getStorage": api("getStorage", () => 1),
    nextTick,
  };
  const NOT_YET = ["login", "scanCode", "connectSocket"];
  const other = { notAnApi: 1 };
})();
"""
SOCKET_JS = b"""
(function () {
  const W = self.MiniappWx;
  W.extend({ connectSocket, closeSocket: () => {} });
  W.wx.env = Object.freeze({});
  notWx.somethingElse = 1;
})();
"""


def test_reads_the_wx_object_the_families_and_what_is_not_there_yet() -> None:
    apis = read_runtime_apis([("wx.js", WX_JS), ("socket.js", SOCKET_JS)])
    assert apis.supported == {
        "showToast",
        "request",
        "getStorage",
        "nextTick",
        "connectSocket",
        "closeSocket",
        "env",
    }
    # A family that implements a "not yet" API makes it supported.
    assert apis.not_yet == {"login", "scanCode"}


def test_the_served_runtime() -> None:
    apis = runtime_apis()
    assert {"request", "navigateTo", "getSystemInfoSync", "createSelectorQuery"} <= apis.supported
    assert {"uploadFile", "connectSocket", "getFileSystemManager", "env"} <= apis.supported
    assert "requestPayment" in apis.not_yet and "requestPayment" not in apis.supported
    assert "fooBar" not in apis.supported | apis.not_yet
