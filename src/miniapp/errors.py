"""Errors a user or a caller can act on.

A service raises `UserError` with a stable code; the HTTP layer turns it into
`{"error": {"code", "message", "field", "params"}}` with the status it names, and the web apps
translate the code through the shared table. Every code has an `error.<code>` entry there.
"""

from __future__ import annotations

from typing import Any

from miniapp.i18n import translate


class UserError(Exception):
    status_code = 400

    def __init__(
        self,
        code: str,
        *,
        status_code: int | None = None,
        field: str | None = None,
        **params: Any,
    ) -> None:
        self.code = code
        self.field = field
        self.params = params
        if status_code is not None:
            self.status_code = status_code
        super().__init__(self.message)

    @property
    def all_params(self) -> dict[str, Any]:
        """The message's parameters, the field's name among them (messages may name it)."""
        return {"field": self.field, **self.params} if self.field else dict(self.params)

    @property
    def message(self) -> str:
        return translate(f"error.{self.code}", params=self.all_params)

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message": self.message,
            "field": self.field,
            "params": self.all_params,
        }


class InvalidInput(UserError):
    status_code = 422


class NotSignedIn(UserError):
    status_code = 401


class Forbidden(UserError):
    status_code = 403


class NotFound(UserError):
    status_code = 404

    def __init__(self) -> None:
        super().__init__("not_found")


class Conflict(UserError):
    status_code = 409


class TooManyRequests(UserError):
    status_code = 429
