"""Which app a project folder is: its appid and name, from its project.config.json.

Used wherever a folder is registered without a console (the demo's examples, `miniapp dev`).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from miniapp.apps.registry import APPID, check_app_name
from miniapp.compiler.project import PROJECT_CONFIG
from miniapp.errors import UserError

DEFAULT_APP_NAME = "Mini program"


def read_project_config(folder: Path) -> dict[str, Any]:
    """The folder's project.config.json as an object; {} when missing or not an object."""
    try:
        loaded = json.loads((folder / PROJECT_CONFIG).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return loaded if isinstance(loaded, dict) else {}


def project_appid(config: dict[str, Any], *, seed: str) -> str:
    """The config's appid when it is a real one (not `touristappid`), else one derived from
    `seed`: the same every time for the same seed."""
    appid = config.get("appid")
    if isinstance(appid, str) and APPID.fullmatch(appid):
        return appid
    return "wx" + hashlib.sha256(seed.encode()).hexdigest()[:16]


def project_app_name(config: dict[str, Any], *, fallback: str) -> str:
    """The config's projectname (WeChat's devtools write it URL-encoded), else `fallback`, else a
    default: the first that is a valid app name."""
    projectname = config.get("projectname")
    candidates = [unquote(projectname) if isinstance(projectname, str) else None, fallback]
    for candidate in candidates:
        if candidate:
            with contextlib.suppress(UserError):
                return check_app_name(candidate)
    return DEFAULT_APP_NAME
