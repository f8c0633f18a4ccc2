"""The private document store: uploads that are never served publicly.

Business licences, legal representatives' IDs, permits and uploaded version packages live under
`<data_dir>/private/`, each under a random name (never its content's hash: equal files must not
reveal one another). No static route serves that folder; the routes that hand a document out
check who is asking first (verification_routes.py, the review and version routes).

A file is written before the row that names it is flushed. If the transaction then rolls back,
the file is deleted again (`after_rollback`), so a failed operation leaves nothing behind.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.orm import Session

from miniapp.accounts.models import PrivateDocument
from miniapp.accounts.principal import UserRef
from miniapp.atomic_files import write_atomically
from miniapp.errors import InvalidInput
from miniapp.settings import Settings

STORAGE_KEY = re.compile(r"[0-9a-f]{2}/[0-9a-f]{32}")
FILE_MODE = 0o600

# What each kind of document may be, recognised by its first bytes (never by its name).
CONTENT_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"%PDF-", "application/pdf"),
    (b"PK\x03\x04", "application/zip"),
)
DOCUMENT_TYPES = frozenset({"image/png", "image/jpeg", "application/pdf"})
MAX_DOCUMENT_BYTES = 5 * 1024 * 1024
_UNSAFE_NAME = re.compile(r"[^\w.\- ()]+")


def sniff_content_type(data: bytes) -> str | None:
    for signature, content_type in CONTENT_SIGNATURES:
        if data.startswith(signature):
            return content_type
    return None


def check_document(
    data: bytes,
    *,
    field: str,
    allowed: frozenset[str] = DOCUMENT_TYPES,
    max_bytes: int = MAX_DOCUMENT_BYTES,
) -> str:
    """The content type of an uploaded document, or `document_invalid` / `document_too_large`
    naming the form field."""
    if not data:
        raise InvalidInput("document_invalid", field=field)
    if len(data) > max_bytes:
        raise InvalidInput("document_too_large", field=field, max_bytes=max_bytes)
    content_type = sniff_content_type(data)
    if content_type not in allowed:
        raise InvalidInput("document_invalid", field=field)
    return content_type


def clean_file_name(raw: str | None, *, fallback: str) -> str:
    """A file name fit to show and to put in Content-Disposition: no folders, no odd bytes."""
    name = _UNSAFE_NAME.sub("_", os.path.basename((raw or "").replace("\\", "/"))).strip(" .")
    return name[:128] or fallback


class PrivateStore:
    """Files under one folder, by random key; only for this module's callers."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @classmethod
    def for_settings(cls, settings: Settings) -> PrivateStore:
        return cls(settings.data_dir / "private")

    def path(self, key: str) -> Path:
        if STORAGE_KEY.fullmatch(key) is None:
            raise ValueError(f"not a storage key: {key!r}")
        return self.root / key

    def put(self, data: bytes) -> str:
        """Write `data` under a new key, whole or not at all; returns the key."""
        key = f"{secrets.token_hex(1)}/{secrets.token_hex(16)}"
        target = self.path(key)
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        write_atomically(target, data, mode=FILE_MODE)
        return key

    def read(self, key: str) -> bytes:
        return self.path(key).read_bytes()

    def delete(self, key: str) -> None:
        self.path(key).unlink(missing_ok=True)


def do_put_private_file(session: Session, store: PrivateStore, data: bytes) -> str:
    """Store `data` for a row the caller adds in `session`'s transaction; the file is removed
    again if that transaction rolls back. Returns the storage key."""
    key = store.put(data)

    def forget(_session: Session) -> None:
        store.delete(key)

    event.listen(session, "after_rollback", forget, once=True)
    return key


def do_store_private_document(
    session: Session,
    store: PrivateStore,
    *,
    organisation_id: int,
    kind: str,
    data: bytes,
    content_type: str,
    file_name: str,
    uploaded_by: UserRef,
    app_id: int | None = None,
) -> PrivateDocument:
    """Store a checked document (see `check_document`) and add its row, flushed."""
    document = PrivateDocument(
        organisation_id=organisation_id,
        app_id=app_id,
        kind=kind,
        file_name=clean_file_name(file_name, fallback=kind),
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        storage_key=do_put_private_file(session, store, data),
        uploaded_by_id=uploaded_by.id,
    )
    session.add(document)
    session.flush()
    return document
