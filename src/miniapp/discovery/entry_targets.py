"""The version a code or a link opens, and its pages: what `check_path` and a link's `path` are
checked against (server-api.md §3).

`env_version` is WeChat's: "release" (what everyone gets; 85079 when nothing is released),
"trial" (the trial version) or "develop" (the newest upload). The host opens trial and develop
with `build=trial` / `build=develop`, for the app's members only (apps/versions.py
`access_launch_build`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from miniapp.apps.bundles import BundleStore, read_stored_manifest
from miniapp.apps.models import App, AppVersion
from miniapp.apps.versions import DEVELOP_BUILD, TRIAL_BUILD
from miniapp.openapi.envelope import NO_RELEASED_VERSION, OpenApiError


class EnvVersion(StrEnum):
    RELEASE = "release"
    TRIAL = "trial"
    DEVELOP = "develop"


@dataclass(frozen=True, slots=True)
class EntryTarget:
    """`pages` in app.json's order (subpackage pages with their root); `home` the entry page
    (entryPagePath, as the runtime opens it);
    `build` the host's `build=` value (None for the release)."""

    bundle_id: str
    pages: tuple[str, ...]
    home: str
    build: str | None


def bundle_pages(store: BundleStore, bundle_id: str) -> tuple[str, ...]:
    manifest = read_stored_manifest(store, bundle_id).manifest
    app = manifest.get("app") or {}
    pages = [str(page) for page in app.get("pages") or []]
    for package in app.get("subpackages") or []:
        # The compiler lists a subpackage's pages with their root already (compiler/config.py).
        pages.extend(str(page) for page in package.get("pages") or [])
    return tuple(pages)


def access_entry_target(
    session: Session, *, app_id: int, env_version: EnvVersion, store: BundleStore
) -> EntryTarget:
    """The bundle `env_version` of the app opens, or OpenApiError 85079 when there is none
    (nothing released, no trial version, nothing uploaded)."""
    build: str | None = None
    if env_version is EnvVersion.RELEASE:
        bundle_id = session.scalar(select(App.released_bundle).where(App.id == app_id))
    else:
        query = select(AppVersion.bundle_id).where(AppVersion.app_id == app_id)
        if env_version is EnvVersion.TRIAL:
            query = query.where(AppVersion.is_trial.is_(True))
            build = TRIAL_BUILD
        else:
            query = query.order_by(AppVersion.id.desc()).limit(1)
            build = DEVELOP_BUILD
        bundle_id = session.scalar(query)
    if bundle_id is None:
        raise OpenApiError(NO_RELEASED_VERSION, f"miniprogram has no {env_version.value} version")
    pages = bundle_pages(store, bundle_id)
    # The home page is app.json's entryPagePath when it names one (the compiler fills it in).
    entry = (read_stored_manifest(store, bundle_id).manifest.get("app") or {}).get("entryPagePath")
    home = entry if isinstance(entry, str) and entry in pages else (pages[0] if pages else "")
    return EntryTarget(bundle_id=bundle_id, pages=pages, home=home, build=build)
