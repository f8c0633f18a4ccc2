"""The private document store: documents recognised by their content, written whole under
random keys inside `<data_dir>/private/`, and gone again when the transaction that stored them
rolls back."""

from __future__ import annotations

import hashlib
import stat
from pathlib import Path

import pytest
from sqlalchemy import func, select

from miniapp.accounts.models import Organisation, PrivateDocument, User
from miniapp.accounts.organisations import do_create_organisation
from miniapp.accounts.private_documents import (
    MAX_DOCUMENT_BYTES,
    STORAGE_KEY,
    PrivateStore,
    check_document,
    clean_file_name,
    do_store_private_document,
    sniff_content_type,
)
from miniapp.accounts.users import do_activate_developer, do_sign_up
from miniapp.clock import utc_now
from miniapp.db.session import Database
from miniapp.errors import InvalidInput

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
PDF = b"%PDF-1.7\n" + b"1 0 obj\n" * 8
EXE = b"MZ\x90\x00" + b"\x00" * 64
HTML = b"<!doctype html><script>alert(document.cookie)</script>"
PASSWORD = "Tr0ub4dor&3"
ZIP = b"PK\x03\x04" + b"\x00" * 64


def files_under(root: Path) -> list[Path]:
    """Every stored file (temporary ones included) under the private folder."""
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture
def store(data_dir: Path) -> PrivateStore:
    return PrivateStore(data_dir / "private")


@pytest.fixture
def owner(database: Database) -> tuple[int, User]:
    """An organisation's id and its admin, to own documents."""
    with database.transaction() as session:
        user = do_sign_up(
            session, login="ada@example.com", password="Tr0ub4dor&3", display_name="Ada"
        )
        do_activate_developer(session, user=user, now=utc_now())
        access = do_create_organisation(session, creator=user, name="Acme")
        return access.organisation.id, user


# --- recognising a document by its content ------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [(PNG, "image/png"), (JPEG, "image/jpeg"), (PDF, "application/pdf"), (ZIP, "application/zip")],
)
def test_sniffing_reads_the_first_bytes(data: bytes, expected: str) -> None:
    assert sniff_content_type(data) == expected


@pytest.mark.parametrize("data", [PNG, JPEG, PDF])
def test_png_jpeg_and_pdf_are_documents(data: bytes) -> None:
    assert check_document(data, field="licence") == sniff_content_type(data)


def test_a_png_named_exe_is_still_a_png_and_an_exe_named_png_is_refused() -> None:
    # The name plays no part: the content decides, both ways.
    assert check_document(PNG, field="licence") == "image/png"
    with pytest.raises(InvalidInput) as refused:
        check_document(EXE, field="licence")
    assert (refused.value.code, refused.value.field) == ("document_invalid", "licence")


@pytest.mark.parametrize("data", [HTML, EXE, ZIP, b"GIF89a" + b"\x00" * 10, b"hello", b" %PDF-1.7"])
def test_anything_else_is_refused(data: bytes) -> None:
    with pytest.raises(InvalidInput) as refused:
        check_document(data, field="legal_rep_id")
    assert refused.value.code == "document_invalid"
    assert refused.value.field == "legal_rep_id"


def test_an_empty_file_is_refused() -> None:
    with pytest.raises(InvalidInput) as refused:
        check_document(b"", field="licence")
    assert refused.value.code == "document_invalid"


def test_a_file_over_five_megabytes_is_refused_and_one_at_the_limit_is_not() -> None:
    at_limit = PDF + b"\x00" * (MAX_DOCUMENT_BYTES - len(PDF))
    assert check_document(at_limit, field="licence") == "application/pdf"
    with pytest.raises(InvalidInput) as refused:
        check_document(at_limit + b"\x00", field="licence")
    assert refused.value.code == "document_too_large"
    assert refused.value.params["max_bytes"] == MAX_DOCUMENT_BYTES


# --- names and keys -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("licence.pdf", "licence.pdf"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\ada\\scan.png", "scan.png"),
        ('a"b;c\r\n.pdf', "a_b_c_.pdf"),
        ("营业执照.pdf", "营业执照.pdf"),
        ("...", "fallback"),
        (None, "fallback"),
        ("x" * 300 + ".pdf", "x" * 128),
    ],
)
def test_file_names_are_cleaned_for_display(raw: str | None, expected: str) -> None:
    assert clean_file_name(raw, fallback="fallback") == expected


@pytest.mark.parametrize(
    "key",
    ["../secret_key", "ab/../../secret_key", "/etc/passwd", "ab/" + "0" * 31, "AB/" + "0" * 32, ""],
)
def test_only_storage_keys_name_files(store: PrivateStore, key: str) -> None:
    with pytest.raises(ValueError, match="not a storage key"):
        store.path(key)


def test_put_writes_the_bytes_under_a_new_random_key_readable_by_the_owner_only(
    store: PrivateStore, data_dir: Path
) -> None:
    first = store.put(PDF)
    second = store.put(PDF)
    assert first != second  # equal files never share a name
    for key in (first, second):
        assert STORAGE_KEY.fullmatch(key)
        path = store.path(key)
        assert path.parent.parent == data_dir / "private"
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert store.read(key) == PDF
    assert not [p for p in files_under(data_dir / "private") if p.name.startswith(".incoming")]
    store.delete(first)
    assert not store.path(first).exists()
    assert store.read(second) == PDF


# --- storing a document in a transaction ---------------------------------------------------------


def test_a_stored_document_keeps_its_facts_and_its_bytes(
    database: Database, store: PrivateStore, owner: tuple[int, User]
) -> None:
    organisation_id, user = owner
    with database.transaction() as session:
        document = do_store_private_document(
            session,
            store,
            organisation_id=organisation_id,
            kind="licence",
            data=PNG,
            content_type="image/png",
            file_name="../../scan.exe",
            uploaded_by=user,
        )
        key = document.storage_key
    with database.read() as session:
        row = session.scalars(select(PrivateDocument)).one()
        assert (row.kind, row.file_name, row.content_type, row.size) == (
            "licence",
            "scan.exe",
            "image/png",
            len(PNG),
        )
        assert row.sha256 == hashlib.sha256(PNG).hexdigest()
        assert row.organisation_id == organisation_id
        assert row.uploaded_by_id == user.id
    assert store.read(key) == PNG


def test_a_rollback_deletes_the_written_file(
    database: Database, store: PrivateStore, data_dir: Path, owner: tuple[int, User]
) -> None:
    organisation_id, user = owner
    keys: list[str] = []

    def store_both_then_fail() -> None:
        with database.transaction() as session:
            for kind in ("licence", "legal_rep_id"):
                document = do_store_private_document(
                    session,
                    store,
                    organisation_id=organisation_id,
                    kind=kind,
                    data=PDF,
                    content_type="application/pdf",
                    file_name=f"{kind}.pdf",
                    uploaded_by=user,
                )
                keys.append(document.storage_key)
                assert store.path(document.storage_key).exists()
            raise RuntimeError("later step failed")

    with pytest.raises(RuntimeError, match="later step failed"):
        store_both_then_fail()
    assert len(keys) == 2
    assert files_under(data_dir / "private") == []
    with database.read() as session:
        assert session.scalar(select(func.count()).select_from(PrivateDocument)) == 0
        assert session.scalar(select(func.count()).select_from(Organisation)) == 1


def test_a_commit_keeps_the_file_and_a_later_rollback_elsewhere_does_not_touch_it(
    database: Database, store: PrivateStore, owner: tuple[int, User]
) -> None:
    organisation_id, user = owner
    with database.transaction() as session:
        key = do_store_private_document(
            session,
            store,
            organisation_id=organisation_id,
            kind="licence",
            data=JPEG,
            content_type="image/jpeg",
            file_name="scan.jpg",
            uploaded_by=user,
        ).storage_key
    with pytest.raises(RuntimeError), database.transaction():
        raise RuntimeError("unrelated")
    assert store.read(key) == JPEG
