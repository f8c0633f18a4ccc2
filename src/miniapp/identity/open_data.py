"""Open data as WeChat signs and encrypts it for a mini program (server-api.md §2.1;
docs/identity.md): `wx.getUserProfile`'s `rawData` / `signature` / `encryptedData` / `iv`, and the
phone-number button's legacy `encryptedData` / `iv`.

- signature = hex(SHA1(rawData + session_key)), session_key as the base64 text issued;
- encryptedData = base64(AES-128-CBC(PKCS#7, key = base64decode(session_key), iv)) of a JSON
  object ending with `watermark: {timestamp, appid}`, so a back end (wechatpy's
  `WeChatWxaCrypto`) can check the data is for its app.

Computed on the server only: the host never holds a session key.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from sqlalchemy.orm import Session

from miniapp.accounts.principal import UserRef
from miniapp.apps.models import App
from miniapp.identity.ids import unionid_for
from miniapp.identity.logins import find_current_session

IV_BYTES = 16
LANGUAGES = frozenset({"en", "zh_CN", "zh_TW"})
# What `wx.getUserInfo` and `open-type="getUserInfo"` give for every user since WeChat retired
# them for personal data (2021): its anonymous name, so apps that test for it keep working.
ANONYMOUS_NAME = "微信用户"


@dataclass(frozen=True, slots=True)
class Encrypted:
    """Base64 ciphertext and IV, as the client APIs answer them."""

    encrypted_data: str
    iv: str


@dataclass(frozen=True, slots=True)
class OpenData:
    """What `wx.getUserProfile` answers. Without a session (the user never called `wx.login`
    in the app) there is no key to sign or encrypt with: `signature` and `encrypted` are None."""

    user_info: dict[str, Any]
    raw_data: str
    signature: str | None
    encrypted: Encrypted | None


def compact_json(value: Any) -> str:
    """JSON as WeChat writes it: no spaces, UTF-8 text kept (not \\u escapes)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def open_data_signature(raw_data: str, session_key: str) -> str:
    """hex(SHA1(rawData + session_key)): what a back end recomputes to trust `rawData`."""
    return hashlib.sha1((raw_data + session_key).encode(), usedforsecurity=False).hexdigest()


def encrypt_open_data(
    payload: dict[str, Any],
    *,
    session_key: str,
    appid: str,
    now: datetime,
    iv: bytes | None = None,
) -> Encrypted:
    """`payload` with a watermark (the app's appid, `now` in Unix seconds) appended, encrypted
    under the session key. `iv` is random unless given (tests)."""
    key = base64.b64decode(session_key)
    chosen_iv = secrets.token_bytes(IV_BYTES) if iv is None else iv
    plain = compact_json(
        {**payload, "watermark": {"timestamp": int(now.timestamp()), "appid": appid}}
    ).encode()
    padder = padding.PKCS7(algorithms.AES.block_size).padder()
    padded = padder.update(plain) + padder.finalize()
    encryptor = Cipher(algorithms.AES(key), modes.CBC(chosen_iv)).encryptor()
    cipher = encryptor.update(padded) + encryptor.finalize()
    return Encrypted(
        encrypted_data=base64.b64encode(cipher).decode(), iv=base64.b64encode(chosen_iv).decode()
    )


def user_info_for(*, nick_name: str, language: str) -> dict[str, Any]:
    """The `userInfo` WeChat gives today: the name the user shows, and no avatar, gender or
    place (we keep none). `language` outside en / zh_CN / zh_TW reads as en."""
    return {
        "nickName": nick_name,
        "gender": 0,
        "language": language if language in LANGUAGES else "en",
        "city": "",
        "province": "",
        "country": "",
        "avatarUrl": "",
    }


def access_user_open_data(
    session: Session,
    *,
    user: UserRef,
    app: App,
    language: str,
    anonymous: bool,
    server_key: bytes,
    now: datetime,
) -> OpenData:
    """The signed and encrypted profile of `user` for `app` (an app they may open: the caller
    checked it), under their current session key; unsigned without a session. `anonymous`
    (getUserInfo) gives the anonymous name instead of theirs; openId / unionId all the same."""
    nick_name = ANONYMOUS_NAME if anonymous else user.display_name
    user_info = user_info_for(nick_name=nick_name, language=language)
    raw_data = compact_json(user_info)
    current = find_current_session(session, app_id=app.id, user_id=user.id, server_key=server_key)
    if current is None:
        return OpenData(user_info=user_info, raw_data=raw_data, signature=None, encrypted=None)
    payload: dict[str, Any] = {"openId": current.openid, **user_info}
    if app.organisation_id is not None:
        payload["unionId"] = unionid_for(
            server_key, organisation_id=app.organisation_id, user_id=user.id
        )
    return OpenData(
        user_info=user_info,
        raw_data=raw_data,
        signature=open_data_signature(raw_data, current.session_key),
        encrypted=encrypt_open_data(
            payload, session_key=current.session_key, appid=app.appid, now=now
        ),
    )
