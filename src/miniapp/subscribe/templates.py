"""An app's subscription templates: titles of the library with the keywords the app sends
(docs/subscriptions.md "Templates")."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from miniapp.errors import Conflict, InvalidInput, NotFound, UserError
from miniapp.subscribe.library import Keyword, LibraryTemplate, TemplateType, find_template
from miniapp.subscribe.models import SCENE_DESC_LENGTH, AppTemplate

MAX_KEYWORDS = 5
MAX_TEMPLATES = 50
PRI_TMPL_ID_BYTES = 32  # 43 URL-safe characters, as WeChat's priTmplId


@dataclass(frozen=True, slots=True)
class ResolvedTemplate:
    """An app template with its library title and its keywords in `kid_list` order."""

    pri_tmpl_id: str
    tid: int
    title: str
    type: TemplateType
    keywords: tuple[Keyword, ...]
    scene_desc: str
    created_at: datetime


class StoredTemplate(Protocol):
    """An app template's stored columns: an AppTemplate, or a row of them (subscribe/send reads
    just these)."""

    @property
    def pri_tmpl_id(self) -> str: ...
    @property
    def tid(self) -> int: ...
    @property
    def kid_list(self) -> list[int]: ...
    @property
    def scene_desc(self) -> str: ...
    @property
    def created_at(self) -> datetime: ...


def resolve(row: StoredTemplate) -> ResolvedTemplate:
    """`row` with its library title. Precondition: its tid and kids are the library's (checked
    when it was added; the library only grows)."""
    library = find_template(row.tid)
    assert library is not None
    return ResolvedTemplate(
        pri_tmpl_id=row.pri_tmpl_id,
        tid=row.tid,
        title=library.title,
        type=library.type,
        keywords=library.keywords_of(row.kid_list),
        scene_desc=row.scene_desc,
        created_at=row.created_at,
    )


def check_new_template(*, tid: int, kid_list: Sequence[int], scene_desc: str) -> LibraryTemplate:
    """The library title for a template an app wants to add: a known tid
    (`subscribe_template_unknown`), 1..5 distinct kids of it (`subscribe_keywords_invalid`), a
    scene description of 1..32 characters (`invalid_input`)."""
    library = find_template(tid)
    if library is None:
        raise InvalidInput("subscribe_template_unknown", field="tid")
    if (
        not 1 <= len(kid_list) <= MAX_KEYWORDS
        or len(set(kid_list)) != len(kid_list)
        or any(library.keyword(kid) is None for kid in kid_list)
    ):
        raise InvalidInput("subscribe_keywords_invalid", field="kid_list")
    if not 1 <= len(scene_desc.strip()) <= SCENE_DESC_LENGTH:
        raise InvalidInput("invalid_input", field="scene_desc")
    return library


def do_add_template(
    session: Session,
    *,
    app_id: int,
    tid: int,
    kid_list: Sequence[int],
    scene_desc: str,
    now: datetime,
) -> ResolvedTemplate:
    """Add a checked template (check_new_template) to the app: at most MAX_TEMPLATES
    (`subscribe_template_limit`, 409). Precondition: the app's row is locked (access_app with
    for_update), so two adds cannot both pass the limit."""
    count = session.scalar(select(func.count()).where(AppTemplate.app_id == app_id)) or 0
    if count >= MAX_TEMPLATES:
        raise Conflict("subscribe_template_limit", limit=str(MAX_TEMPLATES))
    row = AppTemplate(
        pri_tmpl_id=secrets.token_urlsafe(PRI_TMPL_ID_BYTES),
        app_id=app_id,
        tid=tid,
        kid_list=list(kid_list),
        scene_desc=scene_desc.strip(),
        created_at=now,
    )
    session.add(row)
    session.flush()
    return resolve(row)


def list_app_templates(session: Session, *, app_id: int) -> list[ResolvedTemplate]:
    """The app's templates, newest first."""
    rows = session.scalars(
        select(AppTemplate)
        .where(AppTemplate.app_id == app_id)
        .order_by(AppTemplate.created_at.desc(), AppTemplate.id.desc())
    )
    return [resolve(row) for row in rows]


def do_delete_template(session: Session, *, app_id: int, pri_tmpl_id: str) -> None:
    """Delete the app's template and, with it, the credits users gave it (`not_found` when the
    app has no such template)."""
    deleted = session.execute(
        delete(AppTemplate).where(
            AppTemplate.app_id == app_id, AppTemplate.pri_tmpl_id == pri_tmpl_id
        )
    )
    if not deleted.rowcount:  # type: ignore[attr-defined]
        raise NotFound()


def access_templates(
    session: Session, *, app_id: int, pri_tmpl_ids: Sequence[str]
) -> list[ResolvedTemplate]:
    """The app's templates named by `pri_tmpl_ids`, in that order; `subscribe_template_unknown`
    (404) when any is not the app's."""
    rows = {
        row.pri_tmpl_id: row
        for row in session.scalars(
            select(AppTemplate).where(
                AppTemplate.app_id == app_id, AppTemplate.pri_tmpl_id.in_(list(pri_tmpl_ids))
            )
        )
    }
    if any(pri_tmpl_id not in rows for pri_tmpl_id in pri_tmpl_ids):
        raise UserError("subscribe_template_unknown", status_code=404)
    return [resolve(rows[pri_tmpl_id]) for pri_tmpl_id in pri_tmpl_ids]
