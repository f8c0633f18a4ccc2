"""Why the proxy refused or could not complete a `wx.request`.

Each failure is a `UserError` (so the HTTP layer answers it in the project's error shape) that also
carries the `errMsg` WeChat gives the mini program's `fail` callback, such as
`request:fail url not in domain list`. The host page passes `error.params.errMsg` to `fail` as is.
"""

from __future__ import annotations

from miniapp.errors import UserError

# code → (HTTP status, errMsg). The codes have `error.<code>` entries in web/shared/i18n.json.
FAILURES: dict[str, tuple[int, str]] = {
    "request_invalid_url": (422, "request:fail invalid url"),
    "request_domain_refused": (403, "request:fail url not in domain list"),
    "request_address_refused": (403, "request:fail address not allowed"),
    "request_method_refused": (422, "request:fail method not supported"),
    "request_invalid_header": (422, "request:fail invalid header"),
    "request_host_not_found": (502, "request:fail host not found"),
    "request_connect_failed": (502, "request:fail connection failed"),
    "request_tls_failed": (502, "request:fail ssl hand shake error"),
    "request_network_error": (502, "request:fail network error"),
    "request_timeout": (504, "request:fail timeout"),
    "request_response_too_large": (502, "request:fail response too large"),
    "request_too_many": (429, "request:fail exceed max task count"),
}


class NetRequestError(UserError):
    """A `wx.request` that fails: `err_msg` is WeChat's errMsg text for the `fail` callback.

    `api` names the wx API that failed (`downloadFile`, `uploadFile`, `connectSocket`: the same
    failures, with that API's name in the errMsg); `reason` replaces the text after `fail `."""

    def __init__(
        self,
        code: str,
        *,
        field: str | None = None,
        api: str = "request",
        reason: str | None = None,
        **params: object,
    ) -> None:
        status, err_msg = FAILURES[code]
        if reason is not None:
            err_msg = f"request:fail {reason}"
        err_msg = f"{api}:{err_msg.removeprefix('request:')}"
        self.err_msg = err_msg
        self.api = api
        super().__init__(code, status_code=status, field=field, errMsg=err_msg, **params)

    def for_api(self, api: str) -> NetRequestError:
        """The same failure, as `api` reports it."""
        params = {k: v for k, v in self.params.items() if k != "errMsg"}
        reason = self.err_msg.split(":fail ", 1)[1] if ":fail " in self.err_msg else None
        return NetRequestError(self.code, field=self.field, api=api, reason=reason, **params)
