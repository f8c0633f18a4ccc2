"""The body of `/wxa/msg_sec_check`, field for field WeChat's (server-api.md §5).

Version 1 (what wechatpy's `check_text_security` sends) is `{"content"}` alone; version 2 adds
`version: 2`, `scene`, `openid` and the optional `title`, `nickname` and `signature`. Fields of
the other version are accepted and ignored, as WeChat does; null reads as not sent.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field, StrictInt, StrictStr

# WeChat's limits: 2500 characters for version 2, 500 KB (of UTF-8) for version 1.
MAX_V2_CHARS = 2500
MAX_V1_BYTES = 500 * 1024
SCENES = range(1, 5)  # 1 profile, 2 comment, 3 forum, 4 social log


class MsgSecCheckIn(BaseModel):
    content: Annotated[StrictStr, Field(min_length=1)]
    version: Annotated[StrictInt, Field(ge=1, le=2)] | None = None
    scene: StrictInt | None = None
    openid: StrictStr | None = None
    title: StrictStr | None = None
    nickname: StrictStr | None = None
    signature: StrictStr | None = None
