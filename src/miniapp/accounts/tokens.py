"""Opaque random tokens and their keyed hashes.

Tokens are long and random, so a keyed fast hash (HMAC-SHA256 with the server key) is the right
way to store them: a stolen table is useless without the key, and a lookup costs microseconds
where argon2 would cost tens of milliseconds on every request.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(server_key: bytes, token: str) -> str:
    # hmac.digest: the one-shot form (same value as hmac.new(...).hexdigest()), without building
    # an HMAC object; every open API call with an access token hashes it.
    return hmac.digest(server_key, token.encode(), hashlib.sha256).hex()


def tokens_equal(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())
