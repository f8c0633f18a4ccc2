"""The open API tests' Redis: the real server at 127.0.0.1:6379 (here and in CI), each test
under a key prefix of its own, removed afterwards."""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import pytest

from miniapp.openapi.rate_limits import RedisRateLimiter

REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture
def redis_limiter() -> Iterator[RedisRateLimiter]:
    limiter = RedisRateLimiter(REDIS_URL, prefix=f"test:rate:{secrets.token_hex(8)}:")
    try:
        yield limiter
    finally:
        for key in limiter.client.scan_iter(match=limiter.prefix + "*"):
            limiter.client.delete(key)
        limiter.close()
