"""The subscription template API a back end calls (`/wxaapi/newtmpl/*`, docs/subscriptions.md
"Template API"): WeChat's parameters, checks and shapes over the same library and the same per-app
template functions the console uses. The console's errors become WeChat's errcodes here, so both
doors keep one set of rules (1..5 distinct kids, at most 50 templates, a 1..32 character scene).
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any, TypeVar
from urllib.parse import parse_qsl

from fastapi import Request
from pydantic import BaseModel, Field, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from miniapp.apps.models import App
from miniapp.errors import UserError
from miniapp.openapi.envelope import (
    CATEGORY_IDS_MISSING,
    INVALID_ARGS,
    INVALID_CATEGORY_IDS,
    INVALID_KID_LIST,
    INVALID_LIMIT,
    INVALID_SCENE_DESC,
    INVALID_START,
    INVALID_TEMPLATE_ID,
    INVALID_TID,
    TEMPLATE_LIMIT_REACHED,
    OpenApiError,
    parse_json_body,
)
from miniapp.subscribe.library import CATEGORY_IDS, LibraryTemplate, find_template, titles_in
from miniapp.subscribe.templates import (
    ResolvedTemplate,
    check_new_template,
    do_add_template,
)

M = TypeVar("M", bound=BaseModel)

MAX_TITLES_PAGE = 30  # WeChat's cap on getpubtemplatetitles' `limit`
_NUMBER = re.compile(r"[0-9]{1,9}")
FORM = "application/x-www-form-urlencoded"


class AddTemplateIn(BaseModel):
    """`addtemplate`'s body. `tid` may come as a number or as a numeric string (WeChat documents
    a string, SDKs send either); a missing one is 200014 as WeChat's "missing parameter tid"."""

    tid: int | None = None
    kidList: list[int] = Field(default_factory=list, max_length=32)
    sceneDesc: str = Field(default="", max_length=200)


class DeleteTemplateIn(BaseModel):
    priTmplId: str = Field(default="", max_length=64)


def form_fields(raw: bytes) -> dict[str, Any]:
    """A form body as a dict: `kidList` from `kidList=1&kidList=2` or `kidList[0]=1&...` (both
    are seen from WeChat clients), every other field its last value."""
    data: dict[str, Any] = {}
    kids: list[str] = []
    for name, value in parse_qsl(raw.decode("utf-8", errors="replace"), keep_blank_values=True):
        if name == "kidList" or name.startswith("kidList["):
            kids.append(value)
        else:
            data[name] = value
    if kids:
        data["kidList"] = kids
    return data


async def read_template_body(request: Request, model: type[M]) -> M:
    """The body as `model`, from JSON (parse_json_body's errcodes) or from a form, which WeChat's
    current documentation recommends for `addtemplate`."""
    content_type = request.headers.get("content-type", "")
    if not content_type.startswith(FORM):
        return await parse_json_body(request, model)
    try:
        return model.model_validate(form_fields(await request.body()))
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or "body"
        raise OpenApiError(INVALID_ARGS, f"invalid args: {field}: {first['msg']}") from None


def template_body(model: type[M]) -> Callable[[Request], Awaitable[M]]:
    """A dependency reading the body as `model` (read_template_body), so routes stay
    synchronous: `body: Annotated[In, Depends(template_body(In))]`."""

    async def dependency(request: Request) -> M:
        return await read_template_body(request, model)

    return dependency


def check_title_query(
    *, ids: str | None, start: str | None, limit: str | None
) -> tuple[frozenset[int], int, int]:
    """getpubtemplatetitles' query: comma-separated category ids of the library (200018 when
    missing, 200019 when any is not one), `start` ≥ 0 (200016), `limit` 1..30 (200017)."""
    if not ids:
        raise OpenApiError(CATEGORY_IDS_MISSING, "missing parameter ids")
    parts = ids.split(",")
    if (
        not all(_NUMBER.fullmatch(part) for part in parts)
        or not {int(part) for part in parts} <= CATEGORY_IDS
    ):
        raise OpenApiError(INVALID_CATEGORY_IDS, "invalid parameter ids")
    if start is None or not _NUMBER.fullmatch(start):
        raise OpenApiError(INVALID_START, "invalid parameter start")
    if limit is None or not _NUMBER.fullmatch(limit) or not 1 <= int(limit) <= MAX_TITLES_PAGE:
        raise OpenApiError(INVALID_LIMIT, "invalid parameter limit")
    return frozenset(int(part) for part in parts), int(start), int(limit)


def list_titles(
    category_ids: frozenset[int], *, start: int, limit: int
) -> tuple[int, list[LibraryTemplate]]:
    """How many titles the categories hold, and the page `start`, `limit` of them."""
    titles = titles_in(category_ids)
    return len(titles), titles[start : start + limit]


def check_tid(tid: str | None) -> LibraryTemplate:
    """The library title `tid` names, or 200014."""
    found = find_template(int(tid)) if tid is not None and _NUMBER.fullmatch(tid) else None
    if found is None:
        raise OpenApiError(INVALID_TID, "invalid parameter tid")
    return found


def scene_or_title(*, tid: int, scene_desc: str) -> str:
    """The scene description to store: WeChat makes `sceneDesc` optional, the console's rules
    want one, so an absent or blank one is the title's name (an unknown tid is left to
    check_new_template)."""
    if scene_desc.strip():
        return scene_desc
    library = find_template(tid)
    return library.title if library is not None else scene_desc


@contextmanager
def wechat_errors() -> Iterator[None]:
    """The console's template errors (templates.py) as WeChat's errcodes: unknown tid 200014,
    bad kids 200020, bad scene 200021, the 50-template cap 200012, a template that is not the
    app's 40037. Anything else passes through."""
    try:
        yield
    except UserError as error:
        if error.code == "subscribe_template_unknown":
            raise OpenApiError(INVALID_TID, "invalid parameter tid") from None
        if error.code == "subscribe_keywords_invalid":
            raise OpenApiError(INVALID_KID_LIST, "invalid keywords") from None
        if error.code == "invalid_input" and error.field == "scene_desc":
            raise OpenApiError(INVALID_SCENE_DESC, "invalid parameter sceneDesc") from None
        if error.code == "subscribe_template_limit":
            raise OpenApiError(
                TEMPLATE_LIMIT_REACHED,
                f"template count reached the limit of {error.params['limit']}",
            ) from None
        if error.code == "not_found":
            raise OpenApiError(INVALID_TEMPLATE_ID, "invalid template id") from None
        raise


def do_add_app_template(
    session: Session,
    *,
    app_id: int,
    tid: int,
    kid_list: list[int],
    scene_desc: str,
    now: datetime,
) -> ResolvedTemplate:
    """Add a template for the token's app: the console's check and add (templates.py), the app's
    row locked first as do_add_template requires, so the cap holds against the console too."""
    check_new_template(tid=tid, kid_list=kid_list, scene_desc=scene_desc)
    session.execute(select(App.id).where(App.id == app_id).with_for_update())
    return do_add_template(
        session, app_id=app_id, tid=tid, kid_list=kid_list, scene_desc=scene_desc, now=now
    )


def template_content(template: ResolvedTemplate) -> tuple[str, str]:
    """gettemplate's `content` and `example`: one `Name:{{key.DATA}}` line per keyword, as
    WeChat's, and the same lines with the keyword's example value."""
    content = "".join(
        f"{keyword.name}:{{{{{keyword.key}.DATA}}}}\n" for keyword in template.keywords
    )
    example = "".join(f"{keyword.name}:{keyword.example}\n" for keyword in template.keywords)
    return content, example
