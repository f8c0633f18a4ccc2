"""Keeps open API credentials out of the access log.

WeChat's API takes its credentials in the query string: the AppSecret (`GET /cgi-bin/token?
secret=`), every call's `?access_token=`, and jscode2session's `js_code` (a login for five
minutes to whoever redeems it first). uvicorn's access log writes each request's path with
its query string, so without this every log file (and wherever logs are shipped) would hold the
secrets that the database only keeps HMACs of. The filter blanks those values before a line is
written; names are compared decoded, as the server reads them (`secr%65t=` is `secret=`).
"""

from __future__ import annotations

import logging
from urllib.parse import unquote_plus

CREDENTIAL_PARAMETERS = frozenset({"secret", "access_token", "js_code"})
REDACTED = "[redacted]"
ACCESS_LOGGER = "uvicorn.access"


def redact_credentials(path: str) -> str:
    """`path` with the value of every credential parameter in its query string replaced by
    `[redacted]`; everything else as it was."""
    base, mark, query = path.partition("?")
    if not mark:
        return path
    pairs = []
    for pair in query.split("&"):
        name, equals, _value = pair.partition("=")
        secret = equals and unquote_plus(name) in CREDENTIAL_PARAMETERS
        pairs.append(f"{name}={REDACTED}" if secret else pair)
    return f"{base}?{'&'.join(pairs)}"


class CredentialRedaction(logging.Filter):
    """Redacts credentials in a record's string arguments (uvicorn's access log passes the path
    with its query string as one of them)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                redact_credentials(arg) if isinstance(arg, str) and "?" in arg else arg
                for arg in record.args
            )
        return True


_REDACTION = CredentialRedaction()


def install_access_log_redaction() -> None:
    """Attach the filter to uvicorn's access logger (once; uvicorn's logging configuration, made
    later, keeps a logger's filters)."""
    logging.getLogger(ACCESS_LOGGER).addFilter(_REDACTION)
