"""The bodies of the three code endpoints, as WeChat takes them (server-api.md §3). Types only:
the ranges are codes.py's `check_*`, which name the field in a 40097.

Numbers and booleans are read leniently, as WeChat reads them: wechatpy itself sends
`line_color` as `{"r": "0", "g": "0", "b": "0"}`."""

from __future__ import annotations

from pydantic import BaseModel, StrictInt, StrictStr

from miniapp.discovery.codes import DEFAULT_WIDTH


class LineColorIn(BaseModel):
    r: int = 0
    g: int = 0
    b: int = 0

    def rgb(self) -> tuple[int, int, int]:
        return (self.r, self.g, self.b)


class StyleIn(BaseModel):
    width: int = DEFAULT_WIDTH
    auto_color: bool = False
    line_color: LineColorIn | None = None
    is_hyaline: bool = False

    def line_rgb(self) -> tuple[int, int, int] | None:
        return None if self.line_color is None else self.line_color.rgb()


class UnlimitedCodeIn(StyleIn):
    """`POST /wxa/getwxacodeunlimit`."""

    scene: StrictStr | StrictInt | None = None
    page: StrictStr = ""
    check_path: bool = True
    env_version: StrictStr = "release"


class CodeIn(StyleIn):
    """`POST /wxa/getwxacode`."""

    path: StrictStr = ""
    env_version: StrictStr = "release"


class QrCodeIn(BaseModel):
    """`POST /cgi-bin/wxaapp/createwxaqrcode`."""

    path: StrictStr = ""
    width: int = DEFAULT_WIDTH


class CodePagesOut(BaseModel):
    """The pages a console code can open: those of the version `env` opens, home first."""

    env: str
    home: str
    pages: list[str]
