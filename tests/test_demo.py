"""`miniapp serve --demo` data: created once, idempotently, with working logins."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from miniapp.accounts.models import Membership, Organisation, User
from miniapp.db.session import Database
from miniapp.demo import DEMO_ADMIN, DEMO_USER, do_seed_demo


def test_demo_is_idempotent_and_its_logins_work(database: Database, make_client: Any) -> None:
    first = do_seed_demo(database)
    second = do_seed_demo(database)
    assert first.created and not second.created
    with database.read() as session:
        assert session.scalar(select(func.count()).select_from(User)) == 3
        assert session.scalar(select(func.count()).select_from(Organisation)) == 1
        assert session.scalar(select(func.count()).select_from(Membership)) == 2
    admin = make_client()
    signed_in = admin.post(
        "/api/accounts/login", json={"login": DEMO_ADMIN.login, "password": DEMO_ADMIN.password}
    )
    assert signed_in.status_code == 200
    orgs = admin.get("/api/console/organisations").json()["organisations"]
    assert [(o["name"], o["my_role"]) for o in orgs] == [("Demo Organisation", "admin")]
    user = make_client()
    assert (
        user.post(
            "/api/accounts/login", json={"login": DEMO_USER.login, "password": DEMO_USER.password}
        ).status_code
        == 200
    )


def test_every_shipped_example_is_listed() -> None:
    from miniapp.demo import example_programs

    assert example_programs() == ["hello", "showcase"]
