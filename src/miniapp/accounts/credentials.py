"""Login names and passwords: normalisation, strength rules, argon2 hashing."""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from email_validator import EmailNotValidError, validate_email

from miniapp.errors import InvalidInput

MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 256

# The most common passwords that still pass the length and mix rules; a full breach list would
# belong in a data file, this catches the ones people actually try first.
COMMON_PASSWORDS = frozenset(
    {
        "password1",
        "password12",
        "password123",
        "passw0rd",
        "p@ssw0rd",
        "p@ssword",
        "qwerty123",
        "qwerty12",
        "qwertyuiop1",
        "abc12345",
        "abcd1234",
        "abc123456",
        "a1234567",
        "a12345678",
        "1qaz2wsx",
        "1q2w3e4r",
        "1q2w3e4r5t",
        "zaq12wsx",
        "iloveyou1",
        "welcome1",
        "welcome123",
        "letmein1",
        "admin123",
        "admin1234",
        "changeme1",
        "test1234",
        "football1",
        "monkey123",
        "dragon123",
        "sunshine1",
        "woaini1314",
        "woaini520",
        "aa123456",
        "qq123456",
        "asd12345",
        "asdf1234",
    }
)

# Cc control, Cf format (bidi overrides, zero-width joiners), Cs surrogates, Co private use,
# Cn unassigned.
REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})

_PHONE_SEPARATORS = re.compile(r"[\s\-().]")
_E164 = re.compile(r"^\+[1-9][0-9]{6,14}$")
_CN_MOBILE = re.compile(r"^1[3-9][0-9]{9}$")


def _production_hasher() -> PasswordHasher:
    # argon2-cffi's defaults: argon2id, RFC 9106's second recommended option (t=3, 64 MiB, p=4).
    return PasswordHasher()


@cache
def _hasher() -> PasswordHasher:
    return _production_hasher()


def normalise_login(raw: str) -> tuple[str, str]:
    """Return ("email", address) or ("phone", "+E164") for what a user typed, or raise.

    Emails are lower-cased (nobody expects two accounts differing by case). A number without a
    country code is read as a mainland China mobile number, as WeChat does.
    """
    value = raw.strip()
    if "@" in value:
        try:
            checked = validate_email(value, check_deliverability=False)
        except EmailNotValidError:
            raise InvalidInput("invalid_login", field="login") from None
        return "email", checked.normalized.lower()
    digits = _PHONE_SEPARATORS.sub("", value)
    if _CN_MOBILE.match(digits):
        return "phone", "+86" + digits
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    if _E164.match(digits):
        return "phone", digits
    raise InvalidInput("invalid_login", field="login")


def check_password_strength(password: str, *, login: str = "", field: str = "password") -> None:
    """Refuse passwords that are short, single-class, common, or contain the login name."""
    weak = InvalidInput("weak_password", field=field, min_length=MIN_PASSWORD_LENGTH)
    if not MIN_PASSWORD_LENGTH <= len(password) <= MAX_PASSWORD_LENGTH:
        raise weak
    classes = (
        any(c.isalpha() for c in password),
        any(c.isdigit() for c in password),
        any(not c.isalnum() for c in password),
    )
    if sum(classes) < 2:
        raise weak
    if password.lower() in COMMON_PASSWORDS:
        raise weak
    name = login.split("@", maxsplit=1)[0].lstrip("+").lower()
    if len(name) >= 4 and name in password.lower():
        raise weak


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


@cache
def _dummy_hash() -> str:
    return hash_password("dummy-password-for-timing-0")


def spend_verification_time(password: str) -> None:
    """Verify against a dummy hash, so an unknown login takes as long as a wrong password."""
    verify_password(_dummy_hash(), password)


def is_plain_text(text: str) -> bool:
    """True if `text` has no control, format (bidi overrides, zero-width), surrogate, private-use
    or unassigned characters: what other people see must look like what it is."""
    return all(unicodedata.category(c) not in REFUSED_CATEGORIES for c in text)


def check_display_name(raw: str) -> str:
    name = " ".join(raw.split())
    if not 1 <= len(name) <= 64 or not is_plain_text(name):
        raise InvalidInput("display_name_required", field="display_name")
    return name
