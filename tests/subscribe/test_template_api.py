"""The template API's own rules (template_api.py): WeChat's query checks, form bodies, the
console's errors as errcodes, and gettemplate's content lines. Over HTTP:
test_template_api_routes.py."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from miniapp.errors import Conflict, InvalidInput, NotFound, UserError
from miniapp.openapi.envelope import OpenApiError
from miniapp.subscribe.library import TemplateType, find_template
from miniapp.subscribe.template_api import (
    check_tid,
    check_title_query,
    form_fields,
    list_titles,
    scene_or_title,
    template_content,
    wechat_errors,
)
from miniapp.subscribe.templates import ResolvedTemplate


def test_title_query_checks_in_wechats_order() -> None:
    assert check_title_query(ids="103,101", start="0", limit="30") == (frozenset({101, 103}), 0, 30)
    for query, code in (
        ({"ids": None, "start": "x", "limit": "x"}, 200018),
        ({"ids": "", "start": "0", "limit": "1"}, 200018),
        ({"ids": "１０１", "start": "0", "limit": "1"}, 200019),  # full-width digits
        ({"ids": "101", "start": "+1", "limit": "1"}, 200016),
        ({"ids": "101", "start": "0", "limit": "1" * 10}, 200017),
    ):
        with pytest.raises(OpenApiError) as refused:
            check_title_query(**query)  # type: ignore[arg-type]
        assert refused.value.errcode == code, query
    assert [t.tid for t in list_titles(frozenset({101}), start=0, limit=30)[1]] == [1001, 1002]
    assert list_titles(frozenset({101}), start=0, limit=1)[0] == 2


def test_a_tid_must_be_a_library_title() -> None:
    assert check_tid("1004").title == "Appointment status"
    for tid in (None, "", "1004.0", "٤", "99999999999"):
        with pytest.raises(OpenApiError) as refused:
            check_tid(tid)
        assert refused.value.errcode == 200014


def test_form_bodies_in_both_list_spellings() -> None:
    assert form_fields(b"tid=1002&kidList=3&kidList=1&sceneDesc=Paid") == {
        "tid": "1002",
        "kidList": ["3", "1"],
        "sceneDesc": "Paid",
    }
    assert form_fields(b"kidList%5B0%5D=2&kidList%5B1%5D=1&tid=1003")["kidList"] == ["2", "1"]


def test_an_absent_scene_is_the_title() -> None:
    assert scene_or_title(tid=1002, scene_desc="  ") == "Payment succeeded"
    assert scene_or_title(tid=1002, scene_desc="After you pay") == "After you pay"
    assert scene_or_title(tid=5, scene_desc="") == ""  # left for check_new_template's 200014


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (InvalidInput("subscribe_template_unknown", field="tid"), 200014),
        (InvalidInput("subscribe_keywords_invalid", field="kid_list"), 200020),
        (InvalidInput("invalid_input", field="scene_desc"), 200021),
        (Conflict("subscribe_template_limit", limit="50"), 200012),
        (NotFound(), 40037),
    ],
)
def test_the_consoles_errors_become_errcodes(error: UserError, code: int) -> None:
    with pytest.raises(OpenApiError) as mapped, wechat_errors():
        raise error
    assert mapped.value.errcode == code


def test_other_errors_pass_through() -> None:
    with pytest.raises(UserError) as passed, wechat_errors():
        raise InvalidInput("invalid_input", field="other")
    assert passed.value.field == "other"


def test_content_lines_follow_the_kid_list() -> None:
    library = find_template(1002)
    assert library is not None
    template = ResolvedTemplate(
        pri_tmpl_id="x" * 43,
        tid=1002,
        title=library.title,
        type=TemplateType.ONE_TIME,
        keywords=(library.keywords[2], library.keywords[0]),
        scene_desc="Paid",
        created_at=datetime(2030, 1, 1, tzinfo=UTC),
    )
    assert template_content(template) == (
        "Paid at:{{time3.DATA}}\nAmount:{{amount1.DATA}}\n",
        "Paid at:2030-12-01 09:30\nAmount:¥36.00\n",
    )
