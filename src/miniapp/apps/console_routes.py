"""/api/console: apps' profiles (docs/release-journey.md §2); /media: their public logos.

Every route about one app checks who is asking through apps/access.py: outsiders get 404 as for
an app that does not exist, members without the permission 403 `role_required`.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile, status
from fastapi.responses import Response

from miniapp.accounts.private_documents import MAX_DOCUMENT_BYTES, PrivateStore
from miniapp.accounts.request_auth import CallerDep, DatabaseDep, SettingsDep
from miniapp.apps.categories import CATEGORIES
from miniapp.apps.console_schemas import (
    AppCreatedOut,
    AppCreateIn,
    AppEnvelope,
    AppOut,
    AppPatchIn,
    AppProfileList,
    AppSecretOut,
    CategoryList,
    CategoryOut,
    PermitList,
)
from miniapp.apps.logos import MAX_LOGO_BYTES, MediaStore
from miniapp.apps.profile import (
    ProfileChanges,
    access_app_profile,
    do_add_permit,
    do_create_app,
    do_reset_app_secret,
    do_set_logo,
    do_update_profile,
    list_organisation_apps,
)
from miniapp.apps.served_files import immutable_file_response
from miniapp.i18n import LANGUAGES

router = APIRouter(prefix="/api/console", tags=["console"])
media_router = APIRouter(tags=["media"])

MEDIA_HEADERS = {
    "Cache-Control": "public, max-age=31536000, immutable",
    # Shown by the host and by mini programs' sandboxed (opaque-origin) frames.
    "Cross-Origin-Resource-Policy": "cross-origin",
    # Opened on its own, nothing in it may run or load anything at our origin.
    "Content-Security-Policy": "default-src 'none'; sandbox",
}


def _read_upload(upload: UploadFile, *, limit: int) -> bytes:
    """The upload's bytes, reading at most one past `limit` (the service refuses that size)."""
    return upload.file.read(limit + 1)


@router.get("/categories", response_model=CategoryList)
def categories(caller: CallerDep) -> CategoryList:
    """The service categories, with the permits each requires."""
    language = caller.user.language if caller.user.language in LANGUAGES else "en"
    return CategoryList(categories=[CategoryOut.of(c, language=language) for c in CATEGORIES])


@router.get("/organisations/{org_id}/apps", response_model=AppProfileList)
def organisation_apps(org_id: str, caller: CallerDep, database: DatabaseDep) -> AppProfileList:
    """The organisation's mini programs, by name (any member)."""
    with database.read() as session:
        profiles = list_organisation_apps(session, user=caller.user, organisation_id=org_id)
        return AppProfileList(apps=[AppOut.of(profile) for profile in profiles])


@router.post(
    "/organisations/{org_id}/apps",
    response_model=AppCreatedOut,
    status_code=status.HTTP_201_CREATED,
)
def register_app(
    org_id: str, body: AppCreateIn, caller: CallerDep, database: DatabaseDep, settings: SettingsDep
) -> AppCreatedOut:
    """Register a mini program (admins). The answer holds its AppSecret, shown this once."""
    with database.transaction() as session:
        created = do_create_app(
            session,
            user=caller.user,
            organisation_id=org_id,
            name=body.name,
            description=body.description,
            category=body.category,
            server_key=settings.server_key,
        )
        out = AppOut.of(created.profile)
    return AppCreatedOut(app=out, secret=created.secret)


@router.get("/apps/{appid}", response_model=AppEnvelope)
def get_app(appid: str, caller: CallerDep, database: DatabaseDep) -> AppEnvelope:
    with database.read() as session:
        return AppEnvelope(
            app=AppOut.of(access_app_profile(session, user=caller.user, appid=appid))
        )


@router.patch("/apps/{appid}", response_model=AppEnvelope)
def update_app(
    appid: str, body: AppPatchIn, caller: CallerDep, database: DatabaseDep
) -> AppEnvelope:
    """Change the profile (admins): name, description, category, the five domain lists."""
    changes = ProfileChanges(**body.model_dump(exclude_none=True))
    with database.transaction() as session:
        profile = do_update_profile(session, user=caller.user, appid=appid, changes=changes)
        out = AppOut.of(profile)
    return AppEnvelope(app=out)


@router.put("/apps/{appid}/logo", response_model=AppEnvelope)
def set_logo(
    appid: str,
    logo: Annotated[UploadFile, File()],
    caller: CallerDep,
    database: DatabaseDep,
    settings: SettingsDep,
) -> AppEnvelope:
    """A new logo (admins): PNG, JPEG, GIF, WebP or BMP, ≤ 2 MB, at least 144×144 pixels."""
    data = _read_upload(logo, limit=MAX_LOGO_BYTES)
    with database.transaction() as session:
        profile = do_set_logo(
            session,
            user=caller.user,
            appid=appid,
            data=data,
            media=MediaStore.for_settings(settings),
        )
        out = AppOut.of(profile)
    return AppEnvelope(app=out)


@router.post("/apps/{appid}/permits", response_model=PermitList)
def add_permit(
    appid: str,
    *,
    permit: Annotated[str, Form(max_length=64)],
    file: Annotated[UploadFile, File()],
    caller: CallerDep,
    database: DatabaseDep,
    settings: SettingsDep,
) -> PermitList:
    """Upload a permit the app's category requires (admins): PNG, JPEG or PDF, ≤ 5 MB."""
    data = _read_upload(file, limit=MAX_DOCUMENT_BYTES)
    with database.transaction() as session:
        profile = do_add_permit(
            session,
            user=caller.user,
            appid=appid,
            permit=permit,
            data=data,
            file_name=file.filename,
            store=PrivateStore.for_settings(settings),
        )
    return PermitList.of(profile)


@router.post("/apps/{appid}/secret", response_model=AppSecretOut)
def reset_secret(
    appid: str, caller: CallerDep, database: DatabaseDep, settings: SettingsDep
) -> AppSecretOut:
    """A new AppSecret (admins), shown this once; the old one stops working at once."""
    with database.transaction() as session:
        secret = do_reset_app_secret(
            session, user=caller.user, appid=appid, server_key=settings.server_key
        )
    return AppSecretOut(secret=secret)


@media_router.api_route("/media/{name}", methods=["GET", "HEAD"], include_in_schema=False)
def media_file(name: str, request: Request, settings: SettingsDep) -> Response:
    """A public media file (an app's logo); `name` is `<hash>.png`, nothing else."""
    return immutable_file_response(
        request,
        MediaStore.for_settings(settings).served_file(name),
        name=name,
        media_type="image/png",
        headers=MEDIA_HEADERS,
    )
