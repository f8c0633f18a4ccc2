"""The identifiers a mini program's back end sees, derived with the server key so nothing
secret is stored and nothing reveals the platform's user id:

- openid: per (user, app); 28 characters like WeChat's;
- unionid: per (user, organisation), for apps that belong to one;
- session_key: per (app user, login serial), base64 of 16 bytes (24 characters) as WeChat's, so
  the open-data signatures and AES-128 keys built on it work as merchants' code expects.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

ID_BODY_LENGTH = 27


def _mac(server_key: bytes, message: str) -> bytes:
    return hmac.new(server_key, message.encode(), hashlib.sha256).digest()


def _id(prefix: str, digest: bytes) -> str:
    return prefix + base64.urlsafe_b64encode(digest).decode()[:ID_BODY_LENGTH]


def openid_for(server_key: bytes, *, app_id: int, user_id: int) -> str:
    return _id("o", _mac(server_key, f"openid:{app_id}:{user_id}"))


def unionid_for(server_key: bytes, *, organisation_id: int, user_id: int) -> str:
    return _id("u", _mac(server_key, f"unionid:{organisation_id}:{user_id}"))


def session_key_for(server_key: bytes, *, app_user_id: int, serial: int) -> str:
    return base64.b64encode(_mac(server_key, f"session:{app_user_id}:{serial}")[:16]).decode()


def session_signature(session_key: str, message: str = "") -> str:
    """What `POST /wxa/checksession` expects: hex(HMAC-SHA256(key=session_key text, message))."""
    return hmac.new(session_key.encode(), message.encode(), hashlib.sha256).hexdigest()
