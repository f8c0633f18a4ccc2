"""Subscription message sends per second: `POST /cgi-bin/message/subscribe/send` over HTTP, every
request a real send (access token check, openid lookup, template and data check, the
conditional UPDATE that takes one credit, the stored notification), against the bare baseline
measured in the same run: a bare Starlette endpoint answering a small JSON
(bench_apps.bare_app's `/api/accounts/me`: what HTTP alone costs under uvicorn).

Set up once in the database: `--apps` released apps with a one-time template each (tid 1002,
"Payment succeeded") and `--users` users known to every app by openid; before each round every
(user, template) pair is given enough credits for `--sends` sends (the warm-up's included). Each
app's access token is fetched once (`GET /cgi-bin/token`, valid two hours) and used by every
round. wrk's Lua script walks through the (app, user) pairs, one send per request; apps are
several because each has its own per-minute call limit. Any answer without `"errcode":0` fails
the run (running out of credits included: raise `--sends`). Figures are medians over the rounds.
The ratio is printed both ways: of the medians, and the median of each round's ratio.

    .venv/bin/python bench/bench_subscribe.py [--rounds 3] [--duration 5] [--connections 16]
                                              [--sends 80000] [--apps 8] [--users 250]
                                              [--postgres]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from bench_identity import SECRET, THREADS, wrk
from bench_servers import (
    counting_wrk_script,
    print_medians,
    print_round,
    serving,
    throwaway_database_url,
)
from sqlalchemy import update

from miniapp.accounts.users import do_sign_up
from miniapp.apps.profile import app_secret_hash
from miniapp.apps.registry import do_register_app, do_release_bundle
from miniapp.clock import utc_now
from miniapp.db import migrate
from miniapp.db.session import Database
from miniapp.identity.ids import openid_for
from miniapp.identity.models import AppUser
from miniapp.settings import load_settings
from miniapp.subscribe.models import SubscribeCredit
from miniapp.subscribe.templates import do_add_template

# tid 1002 "Payment succeeded": amount1, thing2, time3.
TID = 1002
KIDS = [1, 2, 3]
DATA = {
    "amount1": {"value": "¥36.00"},
    "thing2": {"value": "Corner Café"},
    "time3": {"value": "2030-12-01 09:30"},
}

# Thread `id` of `threads` takes pairs id, id + threads, ... (cycling through all of them).
WRK_SCRIPT = counting_wrk_script(
    data="""local paths = {%(paths)s}
local bodies = {%(bodies)s}
local headers = {["Content-Type"] = "application/json"}""",
    request="""  local index = (counter * %(threads)d + id - 1) %% #bodies + 1
  counter = counter + 1
  return wrk.format("POST", paths[index], headers, bodies[index])""",
    failed_when="""not string.find(body, '"errcode":0,', 1, true)""",
    label="failed",
)


@dataclass(frozen=True)
class Shop:
    appid: str
    template_id: str
    openids: list[str]


def prepare_shops(data: Path, url: str, *, apps: int, users: int) -> list[Shop]:
    """Migrate; register `apps` released apps with an AppSecret and a one-time template, and
    `users` users known to each of them by openid."""
    settings = load_settings(data_dir=data, database_url=url)
    database = Database(url)
    migrate.upgrade(database.engine)
    shops = []
    with database.transaction() as session:
        user_ids = []
        for n in range(users):
            user = do_sign_up(
                session,
                login=f"bench-{n}@example.com",
                password="not-used-here",
                display_name=f"Bench {n}",
                password_hash="not-used-here",
            )
            session.flush()
            user_ids.append(user.id)
        for n in range(apps):
            app = do_register_app(session, name=f"Bench shop {n}")
            app.secret_hash = app_secret_hash(settings.server_key, SECRET)
            do_release_bundle(session, app=app, bundle_id="0123456789abcdef0123")
            session.flush()
            template = do_add_template(
                session,
                app_id=app.id,
                tid=TID,
                kid_list=KIDS,
                scene_desc="After you pay",
                now=utc_now(),
            )
            openids = []
            for user_id in user_ids:
                openid = openid_for(settings.server_key, app_id=app.id, user_id=user_id)
                session.add(AppUser(app_id=app.id, user_id=user_id, openid=openid))
                session.add(
                    SubscribeCredit(
                        user_id=user_id,
                        pri_tmpl_id=template.pri_tmpl_id,
                        app_id=app.id,
                        credits=0,
                        updated_at=utc_now(),
                    )
                )
                openids.append(openid)
            shops.append(Shop(appid=app.appid, template_id=template.pri_tmpl_id, openids=openids))
    database.dispose()
    return shops


def give_credits(url: str, *, each: int) -> None:
    """Every (user, template) pair gets `each` credits."""
    database = Database(url)
    with database.transaction() as session:
        session.execute(update(SubscribeCredit).values(credits=each, updated_at=utc_now()))
    database.dispose()


def fetch_token(base: str, appid: str) -> str:
    """The app's access token, from the running server (GET /cgi-bin/token)."""
    query = urllib.parse.urlencode(
        {"grant_type": "client_credential", "appid": appid, "secret": SECRET}
    )
    with urllib.request.urlopen(f"{base}/cgi-bin/token?{query}", timeout=10) as answer:
        token: str = json.load(answer)["access_token"]
    return token


def lua_string(text: str) -> str:
    # Lua's long brackets need no escaping; JSON with `]==]` in it does not occur here.
    return f"[==[{text}]==]"


def write_script(path: Path, *, shops: list[Shop], tokens: dict[str, str]) -> Path:
    """Requests alternate between the apps, so each app's calls spread over the run."""
    paths, bodies = [], []
    for index in range(max(len(shop.openids) for shop in shops)):
        for shop in shops:
            if index >= len(shop.openids):
                continue
            paths.append(f"/cgi-bin/message/subscribe/send?access_token={tokens[shop.appid]}")
            body = {"touser": shop.openids[index], "template_id": shop.template_id, "data": DATA}
            bodies.append(json.dumps(body, ensure_ascii=False))
    path.write_text(
        WRK_SCRIPT
        % {
            "paths": ", ".join(lua_string(p) for p in paths),
            "bodies": ", ".join(lua_string(b) for b in bodies),
            "threads": THREADS,
        }
    )
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=5)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--sends", type=int, default=80000, help="Credits given per round.")
    parser.add_argument("--apps", type=int, default=8, help="Apps sending (each has limits).")
    parser.add_argument("--users", type=int, default=250, help="Users of each app.")
    parser.add_argument("--postgres", action="store_true", help="Use PostgreSQL, not SQLite.")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install -y wrk")

    data = Path(tempfile.mkdtemp(prefix="bench-subscribe-"))
    results: dict[str, list[tuple[float, float]]] = {"bare": [], "miniapp": []}
    pairs = args.apps * args.users
    try:
        with throwaway_database_url(postgres=args.postgres, data=data) as url:
            shops = prepare_shops(data, url, apps=args.apps, users=args.users)
            env = {"BENCH_DATA_DIR": str(data), "BENCH_DATABASE_URL": url}
            bare_script = data / "bare.lua"
            bare_script.write_text(
                counting_wrk_script(
                    data="",
                    request='  return wrk.format("GET", "/api/accounts/me")',
                    failed_when="""not string.find(body, '"user"', 1, true)""",
                    label="failed",
                )
                % {}
            )
            tokens: dict[str, str] = {}
            script = data / "subscribe.lua"
            for round_number in range(1, args.rounds + 1):
                with serving("bare_app", env) as base:
                    wrk(base, bare_script, duration=2, connections=args.connections)  # warm-up
                    results["bare"].append(
                        wrk(base, bare_script, duration=args.duration, connections=args.connections)
                    )
                give_credits(url, each=-(-args.sends // pairs))
                with serving("miniapp_app", env) as base:
                    if not tokens:  # fetched once, used by every round
                        tokens = {shop.appid: fetch_token(base, shop.appid) for shop in shops}
                        write_script(script, shops=shops, tokens=tokens)
                    wrk(base, script, duration=2, connections=args.connections)  # warm-up
                    results["miniapp"].append(
                        wrk(base, script, duration=args.duration, connections=args.connections)
                    )
                print_round(round_number, results)
    finally:
        shutil.rmtree(data, ignore_errors=True)

    backend = "PostgreSQL" if args.postgres else "SQLite"
    labels = {
        "bare": "bare Starlette, small JSON",
        "miniapp": "miniapp (token, user, credit, store)",
    }
    print_medians(
        (
            f"POST /cgi-bin/message/subscribe/send, a real send per request ({backend}), "
            f"wrk -t{THREADS} -c{args.connections} -d{args.duration}s, "
            f"medians of {args.rounds} rounds"
        ),
        labels,
        results,
    )


if __name__ == "__main__":
    main()
