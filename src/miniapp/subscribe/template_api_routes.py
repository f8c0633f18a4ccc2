"""`/wxaapi/newtmpl/*` over HTTP: a back end manages its app's subscription templates with its
access token, exactly as with WeChat (docs/subscriptions.md "Template API"). Thin: the checks
and the errcodes are template_api.py's, the state changes templates.py's (the console's)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse

from miniapp.accounts.request_auth import DatabaseDep
from miniapp.clock import utc_now
from miniapp.openapi.auth import OpenAppDep
from miniapp.openapi.envelope import ok
from miniapp.subscribe.library import CATEGORIES
from miniapp.subscribe.template_api import (
    AddTemplateIn,
    DeleteTemplateIn,
    check_tid,
    check_title_query,
    do_add_app_template,
    list_titles,
    scene_or_title,
    template_body,
    template_content,
    wechat_errors,
)
from miniapp.subscribe.templates import do_delete_template, list_app_templates

router = APIRouter(prefix="/wxaapi/newtmpl", tags=["open api"])

QueryText = Annotated[str | None, Query(max_length=200)]


@router.get("/getcategory")
def get_category(app: OpenAppDep) -> JSONResponse:
    return ok(data=[{"id": category.id, "name": category.name} for category in CATEGORIES])


@router.get("/getpubtemplatetitles")
def get_pub_template_titles(
    app: OpenAppDep, ids: QueryText = None, start: QueryText = None, limit: QueryText = None
) -> JSONResponse:
    category_ids, first, count = check_title_query(ids=ids, start=start, limit=limit)
    total, page = list_titles(category_ids, start=first, limit=count)
    return ok(
        count=total,
        data=[
            {
                "tid": title.tid,
                "title": title.title,
                "type": int(title.type),
                "categoryId": str(title.category_id),
            }
            for title in page
        ],
    )


@router.get("/getpubtemplatekeywords")
def get_pub_template_keywords(app: OpenAppDep, tid: QueryText = None) -> JSONResponse:
    title = check_tid(tid)
    keywords = [
        {"kid": k.kid, "name": k.name, "example": k.example, "rule": k.rule} for k in title.keywords
    ]
    return ok(count=len(keywords), data=keywords)


@router.post("/addtemplate")
def add_template(
    *,
    app: OpenAppDep,
    body: Annotated[AddTemplateIn, Depends(template_body(AddTemplateIn))],
    database: DatabaseDep,
) -> JSONResponse:
    tid = check_tid(None if body.tid is None else str(body.tid)).tid
    with wechat_errors(), database.transaction() as session:
        added = do_add_app_template(
            session,
            app_id=app.app_id,
            tid=tid,
            kid_list=body.kidList,
            scene_desc=scene_or_title(tid=tid, scene_desc=body.sceneDesc),
            now=utc_now(),
        )
    return ok(priTmplId=added.pri_tmpl_id)


@router.get("/gettemplate")
def get_template(app: OpenAppDep, database: DatabaseDep) -> JSONResponse:
    with database.read() as session:
        templates = list_app_templates(session, app_id=app.app_id)
    data = []
    for template in templates:
        content, example = template_content(template)
        data.append(
            {
                "priTmplId": template.pri_tmpl_id,
                "title": template.title,
                "content": content,
                "example": example,
                "type": int(template.type),
            }
        )
    return ok(data=data)


@router.post("/deltemplate")
def delete_template(
    *,
    app: OpenAppDep,
    body: Annotated[DeleteTemplateIn, Depends(template_body(DeleteTemplateIn))],
    database: DatabaseDep,
) -> JSONResponse:
    with wechat_errors(), database.transaction() as session:
        do_delete_template(session, app_id=app.app_id, pri_tmpl_id=body.priTmplId)
    return ok()
