"""/api/accounts/tokens: personal access tokens for the CLI and scripts."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response, status

from miniapp.accounts.account_routes import guess_limits
from miniapp.accounts.client_address import client_address, throttle_key
from miniapp.accounts.personal_tokens import (
    do_create_token,
    do_log_in_for_token,
    do_revoke_token,
    list_tokens,
)
from miniapp.accounts.request_auth import CallerDep, DatabaseDep, SessionCallerDep, SettingsDep
from miniapp.accounts.token_schemas import (
    IssuedTokenOut,
    TokenIn,
    TokenList,
    TokenLoginIn,
    TokenOut,
)
from miniapp.clock import utc_now

router = APIRouter(prefix="/api/accounts/tokens", tags=["accounts"])


@router.post("", response_model=IssuedTokenOut, status_code=status.HTTP_201_CREATED)
def create_token(
    body: TokenIn, caller: SessionCallerDep, database: DatabaseDep, settings: SettingsDep
) -> IssuedTokenOut:
    """Make a personal access token (browser sessions only: 403 `session_required` for a
    token). The secret is in this answer and nowhere else."""
    with database.transaction() as session:
        issued = do_create_token(
            session,
            user=caller.user,
            name=body.name,
            expires_in_days=body.expires_in_days,
            server_key=settings.server_key,
            now=utc_now(),
        )
    return IssuedTokenOut.of(issued)


@router.post("/login", response_model=IssuedTokenOut, status_code=status.HTTP_201_CREATED)
def log_in_for_token(
    body: TokenLoginIn, request: Request, database: DatabaseDep, settings: SettingsDep
) -> IssuedTokenOut:
    """`miniapp login`: a token for a login and password, under the same guessing limits as the
    browser's sign-in (429 `too_many_attempts`). Sets no cookie."""
    issued = do_log_in_for_token(
        database,
        login=body.login,
        password=body.password,
        name=body.name,
        expires_in_days=body.expires_in_days,
        server_key=settings.server_key,
        limits=guess_limits(settings),
        now=utc_now(),
        address=throttle_key(client_address(request, settings)),
    )
    return IssuedTokenOut.of(issued)


@router.get("", response_model=TokenList)
def get_tokens(caller: CallerDep, database: DatabaseDep) -> TokenList:
    """The caller's tokens that still work (not revoked, not expired), newest first."""
    with database.read() as session:
        tokens = list_tokens(session, user=caller.user, now=utc_now())
        return TokenList(tokens=[TokenOut.of(token) for token in tokens])


@router.delete("/{token_id}", status_code=status.HTTP_204_NO_CONTENT)
def revoke_token(token_id: str, caller: CallerDep, database: DatabaseDep) -> Response:
    """Revoke one of the caller's tokens (a token may revoke itself: `miniapp logout`)."""
    with database.transaction() as session:
        do_revoke_token(session, user=caller.user, token_id=token_id, now=utc_now())
    return Response(status_code=status.HTTP_204_NO_CONTENT)
