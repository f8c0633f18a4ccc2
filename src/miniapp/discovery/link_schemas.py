"""The bodies of `/wxa/generatescheme` and `/wxa/generate_urllink`, field for field WeChat's.

Strings may be sent as null (some SDKs serialise unset fields so): null reads as not sent. Other
fields WeChat takes (`cloud_base`, `jump_wxa.appid`...) are accepted and ignored.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field, StrictBool, StrictInt, StrictStr

from miniapp.discovery.links import ExpireType, LinkExpiry


class ExpiryIn(BaseModel):
    is_expire: StrictBool | None = None
    expire_type: Annotated[StrictInt, Field(ge=0, le=1)] | None = None
    expire_time: StrictInt | None = None
    expire_interval: StrictInt | None = None

    def expiry(self) -> LinkExpiry:
        return LinkExpiry(
            is_expire=self.is_expire,
            expire_type=ExpireType.AT_TIME if self.expire_type is None else self.expire_type,
            expire_time=self.expire_time,
            expire_interval=self.expire_interval,
        )


class JumpWxaIn(BaseModel):
    path: StrictStr | None = None
    query: StrictStr | None = None
    env_version: StrictStr | None = None


class GenerateSchemeIn(ExpiryIn):
    jump_wxa: JumpWxaIn | None = None


class GenerateUrlLinkIn(ExpiryIn):
    path: StrictStr | None = None
    query: StrictStr | None = None
    env_version: StrictStr | None = None
