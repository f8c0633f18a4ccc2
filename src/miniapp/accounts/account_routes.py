"""/api/accounts: sign-up, sign-in, sign-out, the signed-in user, password change."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response, status

from miniapp.accounts.client_address import client_address, throttle_key
from miniapp.accounts.credentials import hash_password
from miniapp.accounts.login_throttle import do_record_signup
from miniapp.accounts.request_auth import (
    CallerDep,
    DatabaseDep,
    SessionCallerDep,
    SettingsDep,
    clear_session_cookies,
    current_csrf_token,
    session_cookie_name,
    set_csrf_cookie,
    set_session_cookies,
)
from miniapp.accounts.schemas import (
    CSRFOut,
    LogInIn,
    PasswordChangeIn,
    ProfileIn,
    SignUpIn,
    UserEnvelope,
    UserOut,
)
from miniapp.accounts.sessions import do_create_session, do_end_session
from miniapp.accounts.users import (
    GuessLimits,
    check_sign_up,
    do_change_password,
    do_log_in,
    do_sign_up,
    do_update_profile,
)
from miniapp.apps.releases import set_user_grey_cookie
from miniapp.clock import utc_now
from miniapp.settings import Settings

router = APIRouter(prefix="/api/accounts", tags=["accounts"])


@router.get("/csrf", response_model=CSRFOut)
def get_csrf(request: Request, response: Response, settings: SettingsDep) -> CSRFOut:
    """The CSRF token to send as `X-CSRF-Token`; also set as the `miniapp_csrf` cookie."""
    token = current_csrf_token(request)
    set_csrf_cookie(response, token=token, settings=settings)
    return CSRFOut(csrf_token=token)


def guess_limits(settings: Settings) -> GuessLimits:
    return GuessLimits(
        max_failures=settings.login_max_failures, window_seconds=settings.login_window_seconds
    )


@router.post("/signup", response_model=UserEnvelope, status_code=status.HTTP_201_CREATED)
def sign_up(
    body: SignUpIn,
    request: Request,
    response: Response,
    database: DatabaseDep,
    settings: SettingsDep,
) -> UserEnvelope:
    """Create a host account (email or mobile number + password) and sign in.

    An address may sign up 20 times an hour (429 `too_many_attempts` past that)."""
    now = utc_now()
    check_sign_up(login=body.login, password=body.password, display_name=body.display_name)
    password_hash = hash_password(body.password)
    address = client_address(request, settings)
    with database.transaction() as session:
        do_record_signup(session, address=throttle_key(address), now=now)
        user = do_sign_up(
            session,
            login=body.login,
            password=body.password,
            display_name=body.display_name,
            language=body.language,
            password_hash=password_hash,
        )
        issued = do_create_session(
            session,
            user=user,
            server_key=settings.server_key,
            ttl_seconds=settings.session_ttl_seconds,
            now=now,
            user_agent=request.headers.get("user-agent", ""),
            ip=address,
        )
        out = UserOut.of(user)
    set_session_cookies(response, issued=issued, settings=settings)
    set_user_grey_cookie(response, user_public_id=out.id, settings=settings)
    return UserEnvelope(user=out)


@router.post("/login", response_model=UserEnvelope)
def log_in(
    body: LogInIn,
    request: Request,
    response: Response,
    database: DatabaseDep,
    settings: SettingsDep,
) -> UserEnvelope:
    """Sign in. Repeated failures for one login or one address are refused for a while (429)."""
    signed_in = do_log_in(
        database,
        login=body.login,
        password=body.password,
        server_key=settings.server_key,
        session_ttl_seconds=settings.session_ttl_seconds,
        limits=guess_limits(settings),
        now=utc_now(),
        address=throttle_key(client_address(request, settings)),
        user_agent=request.headers.get("user-agent", ""),
    )
    set_session_cookies(response, issued=signed_in.issued, settings=settings)
    set_user_grey_cookie(response, user_public_id=signed_in.user.public_id, settings=settings)
    return UserEnvelope(user=UserOut.of(signed_in.user))


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT)
def log_out(
    request: Request, caller: SessionCallerDep, database: DatabaseDep, settings: SettingsDep
) -> Response:
    """End the browser session (a personal access token cannot: 403 `session_required`)."""
    token = request.cookies.get(session_cookie_name(settings), "")
    with database.transaction() as session:
        do_end_session(session, server_key=settings.server_key, token=token)
    response = Response(status_code=status.HTTP_204_NO_CONTENT)
    clear_session_cookies(response, settings=settings)
    return response


@router.get("/me", response_model=UserEnvelope)
async def me(caller: CallerDep) -> UserEnvelope:
    """The signed-in user (401 `not_signed_in` otherwise)."""
    return UserEnvelope(user=UserOut.of(caller.user))


@router.patch("/me", response_model=UserEnvelope)
def update_me(body: ProfileIn, caller: CallerDep, database: DatabaseDep) -> UserEnvelope:
    with database.transaction() as session:
        user = do_update_profile(
            session,
            user=caller.user_row(session),
            display_name=body.display_name,
            language=body.language,
        )
        out = UserOut.of(user)
    return UserEnvelope(user=out)


@router.post("/password", status_code=status.HTTP_204_NO_CONTENT)
def change_password(
    body: PasswordChangeIn,
    request: Request,
    caller: SessionCallerDep,
    database: DatabaseDep,
    settings: SettingsDep,
) -> Response:
    """Change the password (browser sessions only); every other session of this user is signed
    out. Wrong current passwords count as failed sign-ins for the account (429 past the limit)."""
    do_change_password(
        database,
        user_id=caller.user.id,
        current_password=body.current_password,
        new_password=body.new_password,
        keep_session_id=caller.session.id,
        limits=guess_limits(settings),
        now=utc_now(),
        address=throttle_key(client_address(request, settings)),
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)
