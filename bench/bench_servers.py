"""What the benchmarks share: a free loopback port, a bench_apps factory served by uvicorn in a
subprocess, and a throwaway database."""

from __future__ import annotations

import os
import re
import secrets
import socket
import statistics
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg

BENCH_DIR = Path(__file__).resolve().parent
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serving(factory: str, env: dict[str, str]) -> Iterator[str]:
    """`bench_apps:<factory>` under uvicorn (one worker, uvloop + httptools, no access log) on
    a free loopback port; yields its base URL and stops it afterwards."""
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "--factory",
            f"bench_apps:{factory}",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            "1",
            "--loop",
            "uvloop",
            "--http",
            "httptools",
            "--no-access-log",
            "--log-level",
            "info",
        ],
        cwd=BENCH_DIR,
        env={**os.environ, **env},
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    try:
        for line in process.stderr:  # uvicorn says when its socket listens: no polling
            if "Uvicorn running on" in line:
                break
        else:
            raise RuntimeError(f"{factory} did not start")
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


@contextmanager
def throwaway_database_url(*, postgres: bool, data: Path) -> Iterator[str]:
    """A SQLite file in `data`, or a PostgreSQL database made for this run and dropped after."""
    if not postgres:
        yield f"sqlite:///{data / 'bench.sqlite3'}"
        return
    name = f"miniapp_bench_{secrets.token_hex(4)}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def counting_wrk_script(*, data: str, request: str, failed_when: str, label: str) -> str:
    """A wrk Lua script template (still to be `%`-formatted by the caller, so `%%` stands for
    `%`) whose threads count the answers for which `failed_when` holds (a Lua expression over
    `status`, `headers` and `body`) and print `<label>: <count> <an example>` when done: wrk
    itself counts only HTTP errors, and the open API answers its errors with HTTP 200. `data`
    declares the script's tables; `request` is the body of request(), which may use the
    thread's `id` (1, 2, ...) and its `counter`."""
    return f"""
{data}
local threads = {{}}
local next_id = 0

function setup(thread)
  next_id = next_id + 1
  thread:set("id", next_id)
  table.insert(threads, thread)
end

function init(args)
  counter = 0
  failed = 0
  last_failure = ""
end

function request()
{request}
end

function response(status, headers, body)
  if {failed_when} then
    failed = failed + 1
    last_failure = string.sub(body, 1, 200)
  end
end

function done(summary, latency, requests)
  local total = 0
  local example = ""
  for _, thread in ipairs(threads) do
    total = total + thread:get("failed")
    if thread:get("last_failure") ~= "" then example = thread:get("last_failure") end
  end
  io.write(string.format("{label}: %%d %%s\\n", total, example))
end
"""


def print_round(round_number: int, results: dict[str, list[tuple[float, float]]]) -> None:
    """One line per server for the round just measured: its requests/s and p99."""
    for name, runs in results.items():
        rps, p99 = runs[-1]
        print(f"round {round_number} {name:8s} {rps:8.1f} requests/s  p99 {p99:7.1f} ms")


def print_medians(
    title: str, labels: dict[str, str], results: dict[str, list[tuple[float, float]]]
) -> None:
    """The medians over the rounds of each server (`labels` names them), and Miniapp's ratio
    to the bare baseline measured in the same run (`results` holds "bare" and "miniapp")."""
    print(f"\n{title}")
    print(f"  {'':38s} {'requests/s':>10s} {'p99 ms':>8s}")
    medians = {}
    for name, runs in results.items():
        medians[name] = statistics.median(r for r, _ in runs)
        p99 = statistics.median(p for _, p in runs)
        print(f"  {labels[name]:38s} {medians[name]:10.1f} {p99:8.1f}")
    print(f"  miniapp / bare Starlette: {medians['miniapp'] / medians['bare']:.3f}")
    # Each round's Miniapp run follows its bare run by seconds: the ratio within a round is
    # the least moved by the machine's drift from one minute to the next.
    ratios = [m / b for (m, _), (b, _) in zip(results["miniapp"], results["bare"], strict=True)]
    print(
        f"  per round: {' '.join(f'{r:.3f}' for r in ratios)}; "
        f"median {statistics.median(ratios):.3f}"
    )


def run_counting_wrk(
    url: str, script: Path, *, label: str, threads: int, duration: int, connections: int
) -> tuple[float, float]:
    """Requests/s and p99 latency (ms) of wrk running `script` (made by counting_wrk_script with
    `label`) against `url`; RuntimeError when any answer failed the script's check."""
    output = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{duration}s",
            "--latency",
            "-s",
            str(script),
            url,
        ],
        capture_output=True,
        check=True,
    ).stdout.decode(errors="replace")
    failures = re.search(rf"{label}: (\d+)(.*)", output)
    assert failures is not None, output
    if int(failures.group(1)):
        raise RuntimeError(f"{failures.group(1)} answers {label}, e.g. {failures.group(2)}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    p99_value, p99_unit = re.search(r"99%\s+([\d.]+)(us|ms|s)", output).groups()  # type: ignore[union-attr]
    return rps, float(p99_value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99_unit]
