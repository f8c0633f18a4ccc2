"""The personal access token API's shapes at the edge (pydantic)."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, Field

from miniapp.accounts.models import PersonalAccessToken
from miniapp.accounts.personal_tokens import IssuedToken


class TokenIn(BaseModel):
    name: str = Field(max_length=200, description="What the token is for, e.g. 'CI deploys'.")
    expires_in_days: int | None = Field(
        default=None, description="Days until it stops working (1..3650); none: until revoked."
    )


class TokenLoginIn(BaseModel):
    login: str = Field(max_length=254)
    password: str = Field(max_length=256)
    name: str = Field(max_length=200, description="What the token is for, e.g. the machine.")
    expires_in_days: int | None = None


class TokenOut(BaseModel):
    id: uuid.UUID
    name: str
    prefix: str = Field(description="The secret's first characters, to tell tokens apart.")
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None = Field(description="Precise to about a minute.")

    @classmethod
    def of(cls, token: PersonalAccessToken) -> TokenOut:
        return cls(
            id=token.public_id,
            name=token.name,
            prefix=token.prefix,
            created_at=token.created_at,
            expires_at=token.expires_at,
            last_used_at=token.last_used_at,
        )


class IssuedTokenOut(BaseModel):
    token: TokenOut
    secret: str = Field(description="Send as `Authorization: Bearer <secret>`. Shown only once.")

    @classmethod
    def of(cls, issued: IssuedToken) -> IssuedTokenOut:
        return cls(token=TokenOut.of(issued.token), secret=issued.secret)


class TokenList(BaseModel):
    tokens: list[TokenOut]
