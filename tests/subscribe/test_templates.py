"""An app's templates: what may be added (library titles and their keywords), the per-app
limit, and templates resolved for one app only."""

from __future__ import annotations

import pytest

from miniapp.apps.registry import do_register_app
from miniapp.db.session import Database
from miniapp.errors import UserError
from miniapp.subscribe.templates import (
    MAX_TEMPLATES,
    access_templates,
    check_new_template,
    do_add_template,
    list_app_templates,
)
from tests.subscribe.helpers import T0


@pytest.mark.parametrize(
    ("tid", "kid_list", "scene_desc", "code"),
    [
        (9999, [1], "Paid", "subscribe_template_unknown"),
        (1002, [], "Paid", "subscribe_keywords_invalid"),
        (1002, [1, 1], "Paid", "subscribe_keywords_invalid"),
        (1002, [9], "Paid", "subscribe_keywords_invalid"),
        (1001, [1, 2, 3, 4, 5, 1], "Paid", "subscribe_keywords_invalid"),
        (1002, [1], "  ", "invalid_input"),
        (1002, [1], "x" * 33, "invalid_input"),
    ],
)
def test_a_template_must_be_a_library_title_with_its_keywords(
    tid: int, kid_list: list[int], scene_desc: str, code: str
) -> None:
    with pytest.raises(UserError) as raised:
        check_new_template(tid=tid, kid_list=kid_list, scene_desc=scene_desc)
    assert raised.value.code == code


def test_templates_keep_the_kid_order_and_belong_to_one_app(database: Database) -> None:
    with database.transaction() as session:
        tea = do_register_app(session, name="Tea").id
        cake = do_register_app(session, name="Cake").id
        added = do_add_template(
            session, app_id=tea, tid=1003, kid_list=[3, 1], scene_desc="Booked", now=T0
        )
        assert [keyword.key for keyword in added.keywords] == ["phrase3", "thing1"]
        assert len(added.pri_tmpl_id) == 43
        assert [row.pri_tmpl_id for row in list_app_templates(session, app_id=tea)] == [
            added.pri_tmpl_id
        ]
        with pytest.raises(UserError) as raised:
            access_templates(session, app_id=cake, pri_tmpl_ids=[added.pri_tmpl_id])
        assert (raised.value.code, raised.value.status_code) == ("subscribe_template_unknown", 404)


def test_an_app_has_at_most_fifty_templates(database: Database) -> None:
    with database.transaction() as session:
        tea = do_register_app(session, name="Tea").id
        for _ in range(MAX_TEMPLATES):
            do_add_template(session, app_id=tea, tid=1002, kid_list=[1], scene_desc="Paid", now=T0)
        with pytest.raises(UserError) as raised:
            do_add_template(session, app_id=tea, tid=1002, kid_list=[1], scene_desc="Paid", now=T0)
        assert (raised.value.code, raised.value.status_code) == ("subscribe_template_limit", 409)
