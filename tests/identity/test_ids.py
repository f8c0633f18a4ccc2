"""openid, unionid and session_key derivations: per (user, app), per (user, organisation), per
(app user, login), in WeChat's shapes."""

from __future__ import annotations

import base64
import hashlib
import hmac

from miniapp.identity.ids import openid_for, session_key_for, session_signature, unionid_for

KEY = b"k" * 32
OTHER_KEY = b"x" * 32


def test_openid_is_stable_per_user_and_app_and_differs_across_apps_and_users() -> None:
    openid = openid_for(KEY, app_id=1, user_id=7)
    assert openid == openid_for(KEY, app_id=1, user_id=7)
    assert len(openid) == 28
    assert openid.startswith("o")
    assert openid != openid_for(KEY, app_id=2, user_id=7)
    assert openid != openid_for(KEY, app_id=1, user_id=8)
    assert openid != openid_for(OTHER_KEY, app_id=1, user_id=7)


def test_unionid_is_per_user_and_organisation_and_never_an_openid() -> None:
    unionid = unionid_for(KEY, organisation_id=3, user_id=7)
    assert unionid == unionid_for(KEY, organisation_id=3, user_id=7)
    assert len(unionid) == 28
    assert unionid.startswith("u")
    assert unionid != unionid_for(KEY, organisation_id=4, user_id=7)
    assert unionid != unionid_for(KEY, organisation_id=3, user_id=8)
    assert unionid[1:] != openid_for(KEY, app_id=3, user_id=7)[1:]


def test_session_key_is_base64_of_16_bytes_and_changes_with_the_serial() -> None:
    first = session_key_for(KEY, app_user_id=5, serial=1)
    assert len(first) == 24
    assert len(base64.b64decode(first, validate=True)) == 16
    assert first == session_key_for(KEY, app_user_id=5, serial=1)
    assert first != session_key_for(KEY, app_user_id=5, serial=2)
    assert first != session_key_for(KEY, app_user_id=6, serial=1)


def test_the_checksession_signature_is_hmac_sha256_of_empty_keyed_by_the_key_text() -> None:
    key = "HyVFkGl5F5OQWJZZaNzBBg=="
    expected = hmac.new(key.encode(), b"", hashlib.sha256).hexdigest()
    assert session_signature(key) == expected
    assert session_signature(key) != session_signature("AAAAAAAAAAAAAAAAAAAAAA==")
