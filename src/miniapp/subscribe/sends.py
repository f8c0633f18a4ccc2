"""Send credits and sends (docs/subscriptions.md "Consent: credits", "Send").

Each accept of a one-time template adds one credit for (user, template); each send takes one
with a conditional UPDATE (`credits > 0`) in the transaction that stores the notification, so a
credit is used exactly once however many sends race for it. A send names one user and takes one
credit: a broad push is impossible by construction.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from functools import lru_cache
from typing import Any

from sqlalchemy import and_, bindparam, insert, select, update
from sqlalchemy.orm import Session

from miniapp.apps.bundles import BundleStore
from miniapp.apps.models import App
from miniapp.db.raw_statements import Statements
from miniapp.db.types import UTCDateTime
from miniapp.discovery.entry_targets import bundle_pages
from miniapp.discovery.recents import upsert_statement
from miniapp.identity.models import AppUser
from miniapp.openapi.envelope import (
    ARGUMENT_INVALID,
    INVALID_OPENID,
    INVALID_PAGE,
    INVALID_TEMPLATE_ID,
    USER_REFUSED,
    OpenApiError,
)
from miniapp.openapi.models import AccessToken
from miniapp.openapi.tokens import TOKEN_COLUMNS, check_token_given, check_token_row
from miniapp.subscribe.library import RULES, TemplateType, find_template
from miniapp.subscribe.models import PAGE_LENGTH, AppTemplate, ServiceNotification, SubscribeCredit
from miniapp.subscribe.templates import ResolvedTemplate


class Decision(StrEnum):
    ACCEPT = "accept"
    REJECT = "reject"


def do_decide(
    session: Session,
    *,
    user_id: int,
    app_id: int,
    decisions: Sequence[tuple[ResolvedTemplate, Decision]],
    now: datetime,
) -> None:
    """Record the user's answers to the subscribe sheet. Precondition: the templates are the
    app's (access_templates). One-time: an accept adds a credit, a reject changes nothing.
    Long-term: accept turns sends on (credit 1, never consumed), reject turns them off."""
    for template, decision in decisions:
        long_term = template.type is TemplateType.LONG_TERM
        if decision is Decision.REJECT and not long_term:
            continue
        start = 1 if decision is Decision.ACCEPT else 0
        insert = upsert_statement(session, SubscribeCredit).values(
            user_id=user_id,
            pri_tmpl_id=template.pri_tmpl_id,
            app_id=app_id,
            credits=start,
            updated_at=now,
        )
        credits: Any = start if long_term else SubscribeCredit.credits + 1
        session.execute(
            insert.on_conflict_do_update(
                index_elements=[SubscribeCredit.user_id, SubscribeCredit.pri_tmpl_id],
                set_={"credits": credits, "updated_at": now},
            )
        )


@dataclass(frozen=True, slots=True)
class SendForm:
    """What a send of a template is checked against: its keywords in `kid_list` order, as
    (key in `data`, name shown, the rule's full match)."""

    title: str
    type: TemplateType
    keywords: tuple[tuple[str, str, Callable[[str], object]], ...]
    keys: frozenset[str]


@lru_cache(maxsize=4096)
def send_form(tid: int, kids: tuple[int, ...]) -> SendForm:
    """The form of a template of library title `tid` with keywords `kids`. Precondition: they
    are the library's (checked when the template was added). Cached: the library is in code and
    only grows, so a (tid, kids) always has the same form; sends are a hot path."""
    library = find_template(tid)
    assert library is not None
    keywords = library.keywords_of(kids)
    return SendForm(
        title=library.title,
        type=library.type,
        keywords=tuple((k.key, k.name, RULES[k.rule].fullmatch) for k in keywords),
        keys=frozenset(keyword.key for keyword in keywords),
    )


def check_send_data(form: SendForm, data: Mapping[str, Any]) -> list[dict[str, str]]:
    """The notification's fields `[{name, value}]` from a send's `data` (`{key: {value}}`):
    47003 naming the first key missing, empty or breaking its rule, or unknown."""
    fields = []
    for key, name, fits in form.keywords:
        entry = data.get(key)
        if entry is None:
            raise OpenApiError(ARGUMENT_INVALID, f"argument invalid! data.{key} is missing")
        value = entry.get("value") if isinstance(entry, dict) else None
        if value is None or value == "":
            raise OpenApiError(ARGUMENT_INVALID, f"argument invalid! data.{key}.value is empty")
        if not isinstance(value, str) or fits(value) is None:
            raise OpenApiError(ARGUMENT_INVALID, f"argument invalid! data.{key}.value invalid")
        fields.append({"name": name, "value": value})
    for key in data:
        if key not in form.keys:
            raise OpenApiError(ARGUMENT_INVALID, f"argument invalid! data.{key} is unknown")
    return fields


# A send's statements, built once: the open API's sends are a hot path, and composing the
# statements per call cost more than running them (bench/bench_subscribe.py).
# What a send needs of the user named by openid (40003 when none) and of the template (40037).
_TARGET_COLUMNS = (AppUser.user_id, AppTemplate.pri_tmpl_id, AppTemplate.tid, AppTemplate.kid_list)
_TEMPLATE_OF_THE_APP = and_(
    AppTemplate.app_id == AccessToken.app_id, AppTemplate.pri_tmpl_id == bindparam("template_id")
)
# The access token, its app, the user named by openid and the template, in one read.
_SEND_TARGET_BY_TOKEN = (
    select(*TOKEN_COLUMNS, App.released_bundle, *_TARGET_COLUMNS)
    .select_from(AccessToken)
    .join(App, App.id == AccessToken.app_id)
    .outerjoin(
        AppUser,
        and_(AppUser.app_id == AccessToken.app_id, AppUser.openid == bindparam("openid")),
    )
    .outerjoin(AppTemplate, _TEMPLATE_OF_THE_APP)
    .where(AccessToken.token_hash == bindparam("token_hash"))
)
_CREDIT_WHERE = (
    SubscribeCredit.user_id == bindparam("credit_user_id"),
    SubscribeCredit.pri_tmpl_id == bindparam("credit_template_id"),
    SubscribeCredit.credits > 0,
)
_NOW = bindparam("now", type_=UTCDateTime())
# A one-time template's credit is used up; a long-term one stays on (credits unchanged).
_TAKE_CREDIT = (
    update(SubscribeCredit)
    .where(*_CREDIT_WHERE)
    .values(credits=SubscribeCredit.credits - 1, updated_at=_NOW)
)
_USE_LONG_TERM = update(SubscribeCredit).where(*_CREDIT_WHERE).values(updated_at=_NOW)
_STORE_NOTIFICATION = (
    insert(ServiceNotification)
    .values(
        user_id=bindparam("user_id"),
        app_id=bindparam("app_id"),
        pri_tmpl_id=bindparam("pri_tmpl_id"),
        title=bindparam("title"),
        fields=bindparam("fields", type_=ServiceNotification.__table__.c.fields.type),
        page=bindparam("page"),
        created_at=bindparam("created_at", type_=UTCDateTime()),
        read_at=None,
    )
    .returning(ServiceNotification.id)
)


def _check_page(page: str, *, bundle_id: str | None, store: BundleStore) -> str:
    """`page` (a page of the released version `bundle_id`, with an optional query) or 41030."""
    path = page.removeprefix("/")
    if not path:
        return ""
    if (
        bundle_id is None
        or len(path) > PAGE_LENGTH
        or path.partition("?")[0] not in bundle_pages(store, bundle_id)
    ):
        raise OpenApiError(INVALID_PAGE, "invalid page")
    return path


def do_send_by_token(
    connection: Statements,
    *,
    token: str | None,
    server_key: bytes,
    count_call: Callable[[int], None],
    touser: str,
    template_id: str,
    page: str,
    data: Mapping[str, Any],
    store: BundleStore,
    now: datetime,
) -> int:
    """Deliver one message to one user of the app whose access token is `token`, taking one of
    their credits; the notification's id (the msgid). First the token's errcodes
    (access_token_app's), then `count_call(app id)` (the path's limits, 45011/45009), then
    40003, 40037, 47003, 41030, 43101 as docs/subscriptions.md says. The token, its app, the
    user and the template are one read. Runs inside the caller's transaction."""
    token_hash = check_token_given(token, server_key=server_key)
    target = connection.execute(
        _SEND_TARGET_BY_TOKEN,
        {"token_hash": token_hash, "openid": touser, "template_id": template_id},
    ).first()
    app_id = check_token_row(target, now=now).app_id
    count_call(app_id)
    if target.user_id is None:
        raise OpenApiError(INVALID_OPENID, "invalid openid")
    if target.pri_tmpl_id is None:
        raise OpenApiError(INVALID_TEMPLATE_ID, "invalid template_id")
    template = send_form(target.tid, tuple(target.kid_list))
    fields = check_send_data(template, data)
    path = _check_page(page, bundle_id=target.released_bundle, store=store)
    take = _USE_LONG_TERM if template.type is TemplateType.LONG_TERM else _TAKE_CREDIT
    parameters = {"credit_user_id": target.user_id, "credit_template_id": template_id, "now": now}
    if not connection.execute(take, parameters).rowcount:
        raise OpenApiError(USER_REFUSED, "user refuse to accept the msg")
    notification_id: int = connection.execute(
        _STORE_NOTIFICATION,
        {
            "user_id": target.user_id,
            "app_id": app_id,
            "pri_tmpl_id": template_id,
            "title": template.title,
            "fields": fields,
            "page": path,
            "created_at": now,
        },
    ).scalar_one()
    return notification_id
