"""Which app a project folder is: appid and name from project.config.json."""

from __future__ import annotations

import json
from pathlib import Path

from miniapp.apps.project_identity import (
    DEFAULT_APP_NAME,
    project_app_name,
    project_appid,
    read_project_config,
)


def test_config_is_read_or_empty(tmp_path: Path) -> None:
    assert read_project_config(tmp_path) == {}
    (tmp_path / "project.config.json").write_text("[1, 2]", encoding="utf-8")
    assert read_project_config(tmp_path) == {}
    (tmp_path / "project.config.json").write_text(json.dumps({"appid": "x"}), encoding="utf-8")
    assert read_project_config(tmp_path) == {"appid": "x"}


def test_a_real_appid_is_kept_else_one_is_derived_from_the_seed() -> None:
    assert project_appid({"appid": "wx0123456789abcdef"}, seed="a") == "wx0123456789abcdef"
    derived = project_appid({"appid": "touristappid"}, seed="a")
    assert derived.startswith("wx") and len(derived) == 18
    assert derived == project_appid({}, seed="a") != project_appid({}, seed="b")


def test_name_from_the_url_encoded_projectname_else_fallback_else_default() -> None:
    assert project_app_name({"projectname": "My%20Shop"}, fallback="folder") == "My Shop"
    assert project_app_name({}, fallback="folder") == "folder"
    assert project_app_name({"projectname": ""}, fallback="") == DEFAULT_APP_NAME
