"""Serving content-addressed files (bundle files, media): immutable, so cached for good.

A file's name starts with the hash of its content, so that hash is its ETag, the same on every
server, and a request that already holds it gets 304 with no body.
"""

from __future__ import annotations

from pathlib import Path
from stat import S_ISREG

from fastapi import Request, status
from fastapi.responses import FileResponse, Response

from miniapp.errors import NotFound


def immutable_file_response(
    request: Request,
    path: Path | None,
    *,
    name: str,
    media_type: str,
    headers: dict[str, str],
) -> Response:
    """The file at `path` with `headers` and its ETag, or 304 if `If-None-Match` names it; 404
    when `path` is None or no regular file is there.

    Preconditions: `path` is what a store's `served_file(name)` gave (None for a name it never
    serves), and the first 20 characters of `name` are the hash of the file's content.
    """
    if path is None:
        raise NotFound()
    try:
        stat_result = path.stat()
    except FileNotFoundError:
        raise NotFound() from None
    if not S_ISREG(stat_result.st_mode):
        raise NotFound()
    etag = f'"{name[:20]}"'  # the content's hash: the same on every server
    headers = {**headers, "ETag": etag}
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=status.HTTP_304_NOT_MODIFIED, headers=headers)
    return FileResponse(path, stat_result=stat_result, media_type=media_type, headers=headers)
