"""The phone-number button (`open-type="getPhoneNumber"` / `"getRealtimePhoneNumber"`) and
`POST /wxa/business/getuserphonenumber` (server-api.md §2.2; docs/identity.md).

When the user allows it, the host gets a phone code: 32 random URL-safe characters of which only
an HMAC is stored, valid 5 minutes and once, for that user and app. The app's back end trades it
for the number of the user's account. Redemption is one conditional UPDATE (`used_at IS NULL AND
expires_at > now`), so two concurrent redemptions give the number once. Each grant is recorded
in the user's privacy list (`phoneNumber`).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from miniapp.accounts.models import User
from miniapp.accounts.principal import UserRef
from miniapp.accounts.tokens import token_hash
from miniapp.apps.models import App
from miniapp.consent.consents import PHONE_NUMBER, do_record_access
from miniapp.errors import Conflict
from miniapp.identity.logins import ensure_app_user, find_current_session
from miniapp.identity.models import AppUser, PhoneCode
from miniapp.identity.open_data import Encrypted, encrypt_open_data
from miniapp.openapi.envelope import (
    INVALID_CODE,
    INVALID_OPENID,
    OpenApiError,
)
from miniapp.openapi.rate_limits import RateLimiter, do_take_user_rate

PHONE_CODE_LIFETIME = timedelta(minutes=5)
PHONE_NUMBER_PER_MINUTE = 100  # per user, as code2session's
CODE_BYTES = 24  # 32 URL-safe characters
CHINA = "86"
# E.164 country calling codes are prefix-free: these are the one- and two-digit ones (ITU-T
# E.164 list); every other country code has three digits.
SHORT_COUNTRY_CODES = frozenset(
    {"1", "7"}
    | {"20", "27", "30", "31", "32", "33", "34", "36", "39", "40", "41", "43", "44", "45"}
    | {"46", "47", "48", "49", "51", "52", "53", "54", "55", "56", "57", "58", "60", "61"}
    | {"62", "63", "64", "65", "66", "81", "82", "84", "86", "90", "91", "92", "93", "94"}
    | {"95", "98"}
)


@dataclass(frozen=True, slots=True)
class PhoneParts:
    """A number as WeChat gives it: `phone_number` with the country code for a number outside
    China (`+<code><number>`), `pure_phone_number` without it, `country_code` as a string."""

    phone_number: str
    pure_phone_number: str
    country_code: str


@dataclass(frozen=True, slots=True)
class PhoneGrant:
    """What the button's event carries: the code, and the legacy encrypted number when the
    user has a session in the app (and the button is not the realtime one)."""

    code: str
    encrypted: Encrypted | None


def split_phone(phone: str) -> PhoneParts:
    """Country code and national number of an account's phone, stored in E.164 ("+86138...")."""
    digits = phone.removeprefix("+")
    size = 1 if digits[:1] in SHORT_COUNTRY_CODES else 2 if digits[:2] in SHORT_COUNTRY_CODES else 3
    country, pure = digits[:size], digits[size:]
    return PhoneParts(
        phone_number=pure if country == CHINA else f"+{country}{pure}",
        pure_phone_number=pure,
        country_code=country,
    )


def phone_info(parts: PhoneParts, *, appid: str, now: datetime) -> dict[str, Any]:
    """The `phone_info` object getuserphonenumber answers, watermarked for the app."""
    return {
        "phoneNumber": parts.phone_number,
        "purePhoneNumber": parts.pure_phone_number,
        "countryCode": parts.country_code,
        "watermark": {"timestamp": int(now.timestamp()), "appid": appid},
    }


def _code_hash(server_key: bytes, code: str) -> str:
    return token_hash(server_key, "phone_code:" + code)


def _account_phone(session: Session, *, user_id: int) -> str | None:
    return session.scalar(select(User.phone).where(User.id == user_id))


def do_issue_phone_code(
    session: Session,
    *,
    user: UserRef,
    app: App,
    legacy: bool,
    server_key: bytes,
    now: datetime,
) -> PhoneGrant:
    """The user allowed `app` (one they may open: the caller checked it) their phone number: a
    new phone code, the access recorded on Me → Privacy, and with `legacy` the number encrypted
    under the user's current session key (none before their first `wx.login`). An account
    without a phone number: `phone_number_missing` (409), nothing written."""
    phone = _account_phone(session, user_id=user.id)
    if phone is None:
        raise Conflict("phone_number_missing")
    app_user_id = ensure_app_user(session, app_id=app.id, user_id=user.id, server_key=server_key)
    code = secrets.token_urlsafe(CODE_BYTES)
    session.add(
        PhoneCode(
            code_hash=_code_hash(server_key, code),
            app_user_id=app_user_id,
            issued_at=now,
            expires_at=now + PHONE_CODE_LIFETIME,
        )
    )
    do_record_access(session, user=user, app_id=app.id, what=PHONE_NUMBER, now=now)
    encrypted = None
    if legacy:
        current = find_current_session(
            session, app_id=app.id, user_id=user.id, server_key=server_key
        )
        if current is not None:
            parts = split_phone(phone)
            encrypted = encrypt_open_data(
                {
                    "phoneNumber": parts.phone_number,
                    "purePhoneNumber": parts.pure_phone_number,
                    "countryCode": parts.country_code,
                },
                session_key=current.session_key,
                appid=app.appid,
                now=now,
            )
    return PhoneGrant(code=code, encrypted=encrypted)


def do_redeem_phone_code(
    session: Session,
    *,
    app_id: int,
    appid: str,
    code: str,
    openid: str | None,
    server_key: bytes,
    limiter: RateLimiter,
    now: datetime,
) -> dict[str, Any]:
    """The `phone_info` behind `code` for the token's app. Unknown, expired, used or another
    app's code: 40029 (WeChat documents no other code for a used one); `openid` given and not
    the code's user: 40003; over 100 a minute for the user: 45011. A refusal leaves the code as
    it was (still usable unless used or expired)."""
    row = (
        session.execute(
            select(
                PhoneCode.id,
                PhoneCode.expires_at,
                PhoneCode.used_at,
                AppUser.user_id,
                AppUser.openid,
            )
            .join(AppUser, AppUser.id == PhoneCode.app_user_id)
            .where(PhoneCode.code_hash == _code_hash(server_key, code), AppUser.app_id == app_id)
        ).first()
        if code
        else None
    )
    if row is None or row.used_at is not None or row.expires_at <= now:
        raise OpenApiError(INVALID_CODE, "invalid code")
    if openid is not None and openid != row.openid:
        raise OpenApiError(INVALID_OPENID, "invalid openid")
    do_take_user_rate(
        limiter,
        app_id=app_id,
        kind="phonenumber",
        user_id=row.user_id,
        per_minute=PHONE_NUMBER_PER_MINUTE,
        now=now,
    )
    taken = session.execute(
        update(PhoneCode)
        .where(PhoneCode.id == row.id, PhoneCode.used_at.is_(None), PhoneCode.expires_at > now)
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if not taken.rowcount:  # type: ignore[attr-defined]
        raise OpenApiError(INVALID_CODE, "invalid code")  # redeemed a moment ago
    phone = _account_phone(session, user_id=row.user_id)
    if phone is None:  # accounts cannot drop their number today; never answer an empty one
        raise OpenApiError(INVALID_CODE, "invalid code")
    return phone_info(split_phone(phone), appid=appid, now=now)


def do_delete_expired_phone_codes(session: Session, *, now: datetime) -> None:
    """Codes a day past their expiry (they answer 40029 either way)."""
    session.execute(delete(PhoneCode).where(PhoneCode.expires_at < now - timedelta(days=1)))
