"""URL schemes and URL links (docs/entry-points.md "Links"): a back end asks for a link to a page
of its mini program with a query; anyone holding the link opens that page until it expires.

As WeChat's since 2022, every link expires, at most 30 days after it is made (longer asks are
cut to 30 days), and an app makes
at most 500 000 links a day, schemes and URL links together. A link is a row (`AppLink`) found by
its ticket: 32 random URL-safe characters, so tickets can be neither guessed nor enumerated.

WeChat's errcodes: 40165 a path that is not a page of the version the link opens (or carries a
query), 40212 a query over 1024 characters or with other characters than WeChat allows, 85401
an expiry already past or under a day (WeChat's "time limit" error), 85079 no version to open,
45009 the daily quota, 40097 an env_version that is none of release, trial and develop.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import Enum, IntEnum, StrEnum

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from miniapp.apps.bundles import BundleStore
from miniapp.apps.models import App
from miniapp.discovery.entry_targets import EntryTarget, EnvVersion, access_entry_target
from miniapp.discovery.models import LINK_QUERY_LENGTH, TICKET_LENGTH, AppLink
from miniapp.openapi.envelope import (
    INVALID_ARGS,
    INVALID_EXPIRY,
    INVALID_PAGE_PATH,
    INVALID_QUERY,
    OpenApiError,
)
from miniapp.openapi.quotas import Window, do_take_quota

MAX_LIFETIME = timedelta(days=30)
MAX_EXPIRE_INTERVAL_DAYS = 30
# WeChat's cap since April 2022: 500 000 links a day per app, URL schemes and URL links together.
LINKS_PER_DAY = 500_000
LINK_QUOTA = "links"

# 24 random bytes are 32 URL-safe base64 characters: exactly the column's width.
TICKET_BYTES = TICKET_LENGTH * 3 // 4
TICKET_PATTERN = re.compile(rf"[A-Za-z0-9_-]{{{TICKET_LENGTH}}}")
# The characters WeChat allows in a link's query.
QUERY_PATTERN = re.compile(r"[0-9A-Za-z!#$&'()*+,/:;=?@\-._~%]*")


class LinkKind(StrEnum):
    SCHEME = "scheme"  # /wxa/generatescheme → openlink
    URL_LINK = "urllink"  # /wxa/generate_urllink → url_link


# The WeChat scene each kind of link opens the mini program with.
LINK_SCENES = {LinkKind.SCHEME: 1065, LinkKind.URL_LINK: 1194}


class ExpireType(IntEnum):
    AT_TIME = 0  # expire_time: a unix time
    AFTER_DAYS = 1  # expire_interval: a number of days


@dataclass(frozen=True, slots=True)
class LinkExpiry:
    """The expiry fields of both endpoints, as the back end sent them (None: not sent)."""

    is_expire: bool | None = None
    expire_type: int = ExpireType.AT_TIME
    expire_time: int | None = None
    expire_interval: int | None = None


def check_env_version(raw: str) -> EnvVersion:
    try:
        return EnvVersion(raw)
    except ValueError:
        raise OpenApiError(INVALID_ARGS, "invalid args: env_version") from None


def check_link_query(raw: str) -> str:
    """A link's query string: at most 1024 characters of WeChat's set (40212 otherwise)."""
    if len(raw) > LINK_QUERY_LENGTH or QUERY_PATTERN.fullmatch(raw) is None:
        raise OpenApiError(INVALID_QUERY, "invalid query")
    return raw


def check_link_path(raw: str, *, target: EntryTarget) -> str:
    """A page of the version the link opens, without a query; one leading "/" is tolerated, as
    back ends often send one. Empty: the home page (stored empty, so the link opens whatever the
    home page is when it is used)."""
    path = raw.removeprefix("/")
    if path and ("?" in path or path not in target.pages):
        raise OpenApiError(INVALID_PAGE_PATH, "invalid weapp pagepath")
    return path


def check_expiry(expiry: LinkExpiry, *, now: datetime) -> datetime:
    """When a link made `now` expires: at expire_time (expire_type 0; a unix time after now),
    after expire_interval days (expire_type 1; at least 1), otherwise (not sent, or is_expire
    false) 30 days after now. Whatever lies beyond 30 days is cut to 30 days, as WeChat has done
    since its 2022 rule change ("若传值超过新规则合法值 ... 均会被赋最长有效期值(30天)"), so a
    back end still asking for 365 days keeps working. An expire_time not after now, or an
    interval under a day: 85401."""
    longest = now + MAX_LIFETIME
    if expiry.is_expire is False:
        return longest
    if expiry.expire_type == ExpireType.AT_TIME and expiry.expire_time is not None:
        if expiry.expire_time <= now.timestamp():
            raise OpenApiError(INVALID_EXPIRY, "invalid expire_time: time limit must be after now")
        # Compared as numbers first: a huge value must be cut, not overflow datetime.
        if expiry.expire_time >= longest.timestamp():
            return longest
        return datetime.fromtimestamp(expiry.expire_time, UTC)
    if expiry.expire_type == ExpireType.AFTER_DAYS and expiry.expire_interval is not None:
        if expiry.expire_interval < 1:
            raise OpenApiError(INVALID_EXPIRY, "invalid expire_interval: at least 1 day")
        return now + timedelta(days=min(expiry.expire_interval, MAX_EXPIRE_INTERVAL_DAYS))
    return longest


def new_ticket() -> str:
    return secrets.token_urlsafe(TICKET_BYTES)


def do_create_link(
    session: Session,
    *,
    app_id: int,
    kind: LinkKind,
    path: str,
    query: str,
    env_version: str,
    expiry: LinkExpiry,
    store: BundleStore,
    now: datetime,
) -> AppLink:
    """Make a link to `path` (empty: the home page) of the app's `env_version` with `query`.
    Every check runs before the quota is counted, so a refused call costs nothing."""
    version = check_env_version(env_version)
    checked_query = check_link_query(query)
    target = access_entry_target(session, app_id=app_id, env_version=version, store=store)
    checked_path = check_link_path(path, target=target)
    expires_at = check_expiry(expiry, now=now)
    do_take_quota(
        session, app_id=app_id, name=LINK_QUOTA, limit=LINKS_PER_DAY, window=Window.DAY, now=now
    )
    link = AppLink(
        ticket=new_ticket(),
        app_id=app_id,
        kind=kind.value,
        path=checked_path,
        query=checked_query,
        env_version=version.value,
        created_at=now,
        expires_at=expires_at,
    )
    session.add(link)
    session.flush()
    return link


class LinkProblem(Enum):
    UNKNOWN = "unknown"
    EXPIRED = "expired"


@dataclass(frozen=True, slots=True)
class OpenedLink:
    """What a live link opens: the host route's parts."""

    appid: str
    path: str
    query: str
    scene: int
    build: str | None  # "trial" / "develop", None for the release


def access_link(
    session: Session, *, kind: LinkKind, ticket: str, now: datetime
) -> OpenedLink | LinkProblem:
    """The link of `kind` that `ticket` names, or why it opens nothing: UNKNOWN (never made, made
    as the other kind, or its app is gone) or EXPIRED (a link is valid only before
    `expires_at`). Anyone holding a link may use it, as anyone may use WeChat's."""
    if TICKET_PATTERN.fullmatch(ticket) is None:
        return LinkProblem.UNKNOWN
    row = session.execute(
        select(AppLink, App.appid)
        .join(App, App.id == AppLink.app_id)
        .where(AppLink.ticket == ticket, AppLink.kind == kind.value)
    ).one_or_none()
    if row is None:
        return LinkProblem.UNKNOWN
    link, appid = row
    if now >= link.expires_at:
        return LinkProblem.EXPIRED
    version = EnvVersion(link.env_version)
    return OpenedLink(
        appid=appid,
        path=link.path,
        query=link.query,
        scene=LINK_SCENES[kind],
        build=None if version is EnvVersion.RELEASE else version.value,
    )


# An expired link keeps answering "expired" (410) this long before it is forgotten (404).
EXPIRED_LINKS_KEPT = timedelta(days=30)


def do_delete_expired_links(session: Session, *, now: datetime) -> None:
    """Links expired more than EXPIRED_LINKS_KEPT ago: without this the table grows by up to
    500 000 rows per app per day. Run by the hourly housekeeping job."""
    session.execute(delete(AppLink).where(AppLink.expires_at < now - EXPIRED_LINKS_KEPT))
