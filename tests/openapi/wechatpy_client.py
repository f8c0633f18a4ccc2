"""wechatpy, the merchants' SDK, pointed at our server: what a merchant does by changing only
the base URL. wechatpy 1.8 writes a few URLs out in full (the token URL, `client.wxa`'s base), so
besides `API_BASE_URL` the client's HTTP session gets an adapter that sends everything addressed
to api.weixin.qq.com to our server instead; the SDK's own code runs unchanged."""

from __future__ import annotations

from typing import Any

from requests import PreparedRequest, Response
from requests.adapters import HTTPAdapter
from wechatpy import WeChatClient

WECHAT_API = "https://api.weixin.qq.com/"


class _ToOurServer(HTTPAdapter):
    def __init__(self, base_url: str) -> None:
        super().__init__()
        self.base_url = base_url.rstrip("/") + "/"

    def send(self, request: PreparedRequest, *args: Any, **kwargs: Any) -> Response:
        assert request.url is not None
        request.url = self.base_url + request.url.removeprefix(WECHAT_API)
        return super().send(request, *args, **kwargs)


def wechat_client(base_url: str, *, appid: str, secret: str, **options: Any) -> WeChatClient:
    """A WeChatClient for the app whose calls all reach `base_url` (e.g. http://127.0.0.1:PORT)."""
    client = WeChatClient(appid, secret, timeout=10, **options)
    client.API_BASE_URL = base_url.rstrip("/") + "/cgi-bin/"
    client._http.mount(WECHAT_API, _ToOurServer(base_url))
    return client
