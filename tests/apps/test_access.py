"""access_app: members with the permission get the app; everyone else learns nothing."""

from __future__ import annotations

import pytest

from miniapp.accounts.models import Membership, Organisation, OrgRole, User
from miniapp.accounts.roles import Permission
from miniapp.apps.access import access_app
from miniapp.apps.registry import do_register_app
from miniapp.db.session import Database
from miniapp.errors import Forbidden, NotFound


def _user(session, login: str) -> User:  # type: ignore[no-untyped-def]
    user = User(email=login, password_hash="x", display_name=login)
    session.add(user)
    session.flush()
    return user


def test_members_get_the_app_by_role_and_others_get_not_found(database: Database) -> None:
    with database.transaction() as session:
        admin, analyst, outsider = (_user(session, f"{n}@example.org") for n in "abc")
        org = Organisation(name="Tea House", created_by_id=admin.id)
        session.add(org)
        session.flush()
        session.add(Membership(organisation_id=org.id, user_id=admin.id, role=OrgRole.ADMIN))
        session.add(Membership(organisation_id=org.id, user_id=analyst.id, role=OrgRole.ANALYST))
        appid = do_register_app(session, name="Tea", organisation=org).appid
        other_appid = do_register_app(session, name="Other").appid

    with database.transaction() as session:
        access = access_app(
            session, user=admin, appid=appid, permission=Permission.APP_MANAGE, for_update=True
        )
        assert (access.app.appid, access.role) == (appid, "admin")
        assert access_app(session, user=analyst, appid=appid).app.name == "Tea"
        with pytest.raises(Forbidden) as refused:
            access_app(session, user=analyst, appid=appid, permission=Permission.APP_MANAGE)
        assert refused.value.code == "role_required"
        assert refused.value.params == {"role": "admin"}
        for user, asked in ((outsider, appid), (admin, other_appid), (admin, "wx" + "0" * 16)):
            with pytest.raises(NotFound):
                access_app(session, user=user, appid=asked)
        with pytest.raises(NotFound):
            access_app(session, user=admin, appid="../etc")
