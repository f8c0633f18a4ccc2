"""Content security on the open API: `POST /wxa/msg_sec_check` and `POST /wxa/img_sec_check`
(server-api.md §5, docs/open-api.md "Content security"), over the same checker the automated
review uses (content_security.py): a back end is held to the rules a package is.

Quotas are WeChat's: msg_sec_check 4000 a minute and 2 000 000 a day per app, img_sec_check 2000
a minute and 200 000 a day (45009 "reach max api daily quota limit" for both, as WeChat answers).
A call that answers 87014 has done its work and counts; a refused argument does not.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException

from miniapp.accounts.request_auth import DatabaseDep, SettingsDep
from miniapp.clock import utc_now
from miniapp.db.session import Database
from miniapp.openapi.auth import OpenAppDep
from miniapp.openapi.envelope import (
    DATA_FORMAT_ERROR,
    INVALID_ARGS,
    INVALID_MEDIA_TYPE,
    MEDIA_DATA_MISSING,
    RISKY_CONTENT,
    OpenApiError,
    json_body,
    ok,
    request_id,
)
from miniapp.openapi.quotas import Window, do_take_quota
from miniapp.openapi.rate_limits import RateLimiter, RateLimiterDep, do_take_rate
from miniapp.review.content_security import (
    ImageProblem,
    Verdict,
    check_image,
    image_hash_list,
    word_list,
)
from miniapp.review.open_schemas import MAX_V1_BYTES, MAX_V2_CHARS, SCENES, MsgSecCheckIn

router = APIRouter(tags=["content security"])

MSG_QUOTAS = ((Window.MINUTE, 4000), (Window.DAY, 2_000_000))
IMG_QUOTAS = ((Window.MINUTE, 2000), (Window.DAY, 200_000))

IMAGE_FORMATS = ("PNG", "JPEG", "GIF")
MAX_IMAGE_WIDTH = 750
MAX_IMAGE_HEIGHT = 1334
# The request body cap of img_sec_check (server.FILE_BODIES): a 750×1334 image stored without
# compression is 4 MB; a multipart body is the file and a few hundred bytes more.
MAX_IMAGE_BODY = 5 * 1024 * 1024
# msg_sec_check's: 500 KB of text, which JSON may escape to up to six times its size.
MAX_TEXT_BODY = 3 * 1024 * 1024


def _invalid(field: str, message: str) -> OpenApiError:
    return OpenApiError(INVALID_ARGS, f"invalid args: {field}: {message}")


def check_msg_request(body: MsgSecCheckIn) -> tuple[str, ...]:
    """The texts to check in `body`, after WeChat's rules for its version (40097 naming the
    field otherwise)."""
    if body.version != 2:
        if len(body.content.encode("utf-8")) > MAX_V1_BYTES:
            raise _invalid("content", f"at most {MAX_V1_BYTES} bytes")
        return (body.content,)
    if body.scene is None or body.scene not in SCENES:
        raise _invalid("scene", "must be 1, 2, 3 or 4")
    # Any non-empty openid is taken: the app's users (identity.AppUser) are not checked yet.
    if body.openid is None or not body.openid.strip():
        raise _invalid("openid", "required with version 2")
    if len(body.content) > MAX_V2_CHARS:
        raise _invalid("content", f"at most {MAX_V2_CHARS} characters")
    extras = (body.title, body.nickname, body.signature)
    return (body.content, *(text for text in extras if text))


def do_count_call(
    database: Database,
    *,
    limiter: RateLimiter,
    app_id: int,
    name: str,
    quotas: tuple[tuple[Window, int], ...],
) -> None:
    """Count one call of `name` against each of its quotas (45009 over any of them): the
    day's in the database, then the minute's in `limiter`, inside the transaction so a refusal
    there takes the day's count back."""
    now = utc_now()
    with database.transaction() as session:
        for window, limit in sorted(quotas, key=lambda quota: quota[0] is Window.MINUTE):
            if window is Window.MINUTE:
                do_take_rate(
                    limiter,
                    app_id=app_id,
                    name=f"{name}.{window.value}",
                    limit=limit,
                    window=window,
                    now=now,
                )
                continue
            do_take_quota(
                session,
                app_id=app_id,
                name=f"{name}.{window.value}",
                limit=limit,
                window=window,
                now=now,
            )


def _v2_answer(verdict: Verdict) -> JSONResponse:
    detail: dict[str, object] = {
        "strategy": "keyword",
        "errcode": 0,
        "suggest": verdict.suggest.value,
        "label": verdict.label,
        "prob": 100 if verdict.risky else 0,
    }
    if verdict.keyword is not None:
        detail["keyword"] = verdict.keyword
    return ok(
        trace_id=request_id(),
        result={"suggest": verdict.suggest.value, "label": verdict.label},
        detail=[detail],
    )


@router.post("/wxa/msg_sec_check")
def msg_sec_check(
    caller: OpenAppDep,
    body: Annotated[MsgSecCheckIn, Depends(json_body(MsgSecCheckIn))],
    database: DatabaseDep,
    settings: SettingsDep,
    limiter: RateLimiterDep,
) -> JSONResponse:
    """Version 1: `{errcode: 0}` when clean, 87014 "risky content" when not. Version 2: always
    errcode 0 with the verdict in `result` (suggest, label) and `detail`, plus a `trace_id`."""
    texts = check_msg_request(body)
    do_count_call(
        database, limiter=limiter, app_id=caller.app_id, name="sec_check.msg", quotas=MSG_QUOTAS
    )
    verdict = word_list(settings.review_word_list).check(*texts)
    if body.version == 2:
        return _v2_answer(verdict)
    if verdict.risky:
        raise OpenApiError(RISKY_CONTENT, "risky content")
    return ok()


async def media_part(request: Request) -> bytes:
    """The bytes of the multipart field `media` (41005 "media data missing" without one)."""
    try:
        form = await request.form(max_files=1, max_fields=10)
    except (MultiPartException, HTTPException):  # Starlette wraps the parser's error
        raise OpenApiError(DATA_FORMAT_ERROR, "data format error") from None
    try:
        media = form.get("media")
        if not isinstance(media, UploadFile):
            raise OpenApiError(MEDIA_DATA_MISSING, "media data missing")
        data = await media.read()
    finally:
        await form.close()
    if not data:
        raise OpenApiError(MEDIA_DATA_MISSING, "media data missing")
    return data


@router.post("/wxa/img_sec_check")
def img_sec_check(
    caller: OpenAppDep,
    media: Annotated[bytes, Depends(media_part)],
    database: DatabaseDep,
    settings: SettingsDep,
    limiter: RateLimiterDep,
) -> JSONResponse:
    """`{errcode: 0}` for a clean PNG, JPEG or GIF of at most 750×1334 px, 87014 for one the
    image checker flags; 40004 for anything that is not such an image by its content, 40097
    (naming `media`) for one too large."""
    try:
        verdict = check_image(
            media,
            hashes=image_hash_list(settings.review_image_hash_list),
            formats=IMAGE_FORMATS,
            max_width=MAX_IMAGE_WIDTH,
            max_height=MAX_IMAGE_HEIGHT,
        )
    except ImageProblem as problem:
        if problem.reason == "too_large":
            raise _invalid("media", str(problem)) from None
        raise OpenApiError(INVALID_MEDIA_TYPE, f"invalid media type: {problem}") from None
    do_count_call(
        database, limiter=limiter, app_id=caller.app_id, name="sec_check.img", quotas=IMG_QUOTAS
    )
    if verdict.risky:
        raise OpenApiError(RISKY_CONTENT, "risky content")
    return ok()
