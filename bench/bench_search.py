"""Exact-name search and "did you mean" at 100,000 released apps, against a bare Starlette endpoint.

100,000 apps with random pronounceable Latin names and random Chinese names are inserted in bulk
(Core inserts in batches, with their name grams), all released with one stored bundle. Then, over
HTTP on loopback (uvicorn, one worker, uvloop + httptools, in a subprocess), one client sends
requests one after another and times each:

- exact: `GET /api/discovery/search?q=<a name>`, the name in random case or full-width forms;
- did you mean: the same with a one-character typo in the name (no exact hit: suggestions);
- baseline, in the same run: a bare Starlette endpoint returning a small JSON.

    .venv/bin/python bench/bench_search.py [--apps 100000] [--queries 2000] [--postgres]
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import httpx
from bench_servers import serving, throwaway_database_url
from sqlalchemy import insert, text

from miniapp.apps.bundles import BundleStore, do_store_bundle
from miniapp.apps.models import App
from miniapp.apps.names import app_name_key
from miniapp.clock import utc_now
from miniapp.compiler.build import compile_project
from miniapp.db import migrate
from miniapp.db.session import Database
from miniapp.discovery.models import AppNameGram
from miniapp.discovery.search_index import name_grams

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
BATCH = 5000
ONSETS = [*"bcdfghjklmnprstvwz", "ch", "sh", "th", "tr", "br", "st", ""]
VOWELS = [*"aeiou", "ai", "ou", "ea"]
CODAS = ["", "", "", "n", "r", "s", "l", "x"]
# Characters common in Chinese brand names.
HANZI = (
    "美团外卖星巴克咖啡京东滴出行拼多多饿了么小红书大众点评携程旅行网易云音乐腾讯视频"
    "微博知乎豆瓣瑞幸茶颜悦色喜茶奈雪蜜雪冰城麦当劳肯德基必胜客海底捞盒马鲜生叮咚买菜"
    "顺丰速运中通圆韵达快递银行保险证券基金天猫超市家乐福沃尔玛电影票务健康医院学校图书"
)


def syllable(rng: random.Random) -> str:
    return rng.choice(ONSETS) + rng.choice(VOWELS) + rng.choice(CODAS)


def latin_name(rng: random.Random) -> str:
    words = [
        "".join(syllable(rng) for _ in range(rng.randint(2, 3))) for _ in range(rng.randint(1, 2))
    ]
    return " ".join(word.capitalize() for word in words)


def chinese_name(rng: random.Random) -> str:
    return "".join(rng.choice(HANZI) for _ in range(rng.randint(2, 6)))


def make_names(count: int, rng: random.Random) -> list[str]:
    """`count` names (a third Chinese) whose keys are all different."""
    names: dict[str, str] = {}
    while len(names) < count:
        name = chinese_name(rng) if rng.random() < 1 / 3 else latin_name(rng)
        names.setdefault(app_name_key(name), name)
    return list(names.values())


def insert_apps(database: Database, names: list[str], bundle_id: str) -> None:
    now = utc_now()
    for start in range(0, len(names), BATCH):
        rows = [
            {
                "id": start + n + 1,
                "appid": f"wx{start + n + 1:016x}",
                "name": name,
                "name_key": app_name_key(name),
                "released_bundle": bundle_id,
                "public_id": uuid.uuid4(),
                "created_at": now,
                "updated_at": now,
            }
            for n, name in enumerate(names[start : start + BATCH])
        ]
        grams = [
            {"app_id": row["id"], "gram": gram}
            for row in rows
            for gram in sorted(name_grams(str(row["name_key"])))
        ]
        with database.transaction() as session:
            session.execute(insert(App), rows)
            session.execute(insert(AppNameGram), grams)
    if database.dialect == "postgresql":
        with database.engine.begin() as connection:
            connection.execute(text("SELECT setval('apps_id_seq', :n)"), {"n": len(names)})
            connection.execute(text("ANALYZE apps"))
            connection.execute(text("ANALYZE app_name_grams"))
    else:
        with database.engine.begin() as connection:
            connection.execute(text("ANALYZE"))


def full_width(text_: str) -> str:
    """ASCII letters as their full-width forms, spaces as the ideographic space."""
    return "".join(
        chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else "\u3000" if c == " " else c for c in text_
    )


def exact_query(name: str, rng: random.Random) -> str:
    return rng.choice([name, name.upper(), name.lower(), full_width(name)])


def typo_query(name: str, rng: random.Random, keys: set[str]) -> str:
    """`name` with one character dropped or replaced, so it names no app."""
    while True:
        chars = list(name)
        at = rng.randrange(len(chars))
        if chars[at] == " ":
            continue
        if rng.random() < 0.5 and len(chars) > 2:
            del chars[at]
        else:
            chars[at] = rng.choice(HANZI) if chars[at] in HANZI else rng.choice("aeioulnrst")
        query = "".join(chars)
        if app_name_key(query) not in keys:
            return query


def latencies(
    client: httpx.Client, urls: list[str], check: Callable[[httpx.Response], None]
) -> list[float]:
    timings = []
    for url in urls:
        started = time.perf_counter()
        answer = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        check(answer)
    return timings


def p(values: list[float], percentile: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[percentile - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--apps", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--postgres", action="store_true", help="Use PostgreSQL, not SQLite.")
    args = parser.parse_args()
    rng = random.Random(7)  # noqa: S311  made-up names, repeatable
    data = Path(tempfile.mkdtemp(prefix="bench-search-"))
    try:
        with throwaway_database_url(postgres=args.postgres, data=data) as url:
            database = Database(url)
            migrate.upgrade(database.engine)
            built = compile_project(ROOT / "examples" / "hello")
            assert built.bundle is not None
            bundle_id = do_store_bundle(BundleStore(data / "bundles"), built.bundle)
            names = make_names(args.apps, rng)
            started = time.perf_counter()
            insert_apps(database, names, bundle_id)
            loaded = time.perf_counter() - started
            database.dispose()
            print(f"{args.apps} released apps inserted with their grams in {loaded:.1f} s")

            keys = {app_name_key(name) for name in names}
            picks = [rng.choice(names) for _ in range(args.queries)]
            exact = [
                httpx.URL("/api/discovery/search", params={"q": exact_query(n, rng)}) for n in picks
            ]
            typos = [
                httpx.URL("/api/discovery/search", params={"q": typo_query(n, rng, keys)})
                for n in picks
            ]
            suggested = [0]

            def found_one(answer: httpx.Response) -> None:
                assert answer.status_code == 200, answer.text
                assert len(answer.json()["results"]) == 1, answer.text

            def no_hit(answer: httpx.Response) -> None:
                body = answer.json()
                assert answer.status_code == 200, answer.text
                assert body["results"] == [], answer.text
                suggested[0] += bool(body["suggestions"])

            def ok(answer: httpx.Response) -> None:
                assert answer.status_code == 200

            env = {"BENCH_DATA_DIR": str(data), "BENCH_DATABASE_URL": url}
            figures: dict[str, list[float]] = {}
            with serving("bare_app", env) as base, httpx.Client(base_url=base) as client:
                bare = ["/api/accounts/me"] * args.queries
                latencies(client, bare[:200], ok)  # warm-up
                figures["bare Starlette (baseline)"] = latencies(client, bare, ok)
            with serving("miniapp_app", env) as base, httpx.Client(base_url=base) as client:
                latencies(client, [str(u) for u in exact[:200]], found_one)  # warm-up
                figures["search: exact name"] = latencies(
                    client, [str(u) for u in exact], found_one
                )
                figures['search: "did you mean"'] = latencies(
                    client, [str(u) for u in typos], no_hit
                )
    finally:
        shutil.rmtree(data, ignore_errors=True)

    backend = "PostgreSQL" if args.postgres else "SQLite"
    print(f"\n{args.apps} apps, {args.queries} sequential requests each, {backend}")
    print(f"{'':30s} {'p50 ms':>8s} {'p99 ms':>8s}")
    for label, values in figures.items():
        print(f"{label:30s} {p(values, 50):8.2f} {p(values, 99):8.2f}")
    print(f"typo queries with at least one suggestion: {suggested[0]} of {args.queries}")


if __name__ == "__main__":
    main()
