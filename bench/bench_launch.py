"""Launch speed of a mini program, from the tap to the first page's onReady, in headless Chromium.

Runs `miniapp serve --demo` (which compiles and releases every example) on loopback and drives
Debian's Chromium with Playwright:

- cold: a fresh browser context (empty HTTP cache): open the host's Discover tab, tap the app,
  time from the tap event to the first page's onReady (the host's `miniapp:ready` event);
- warm: the same context after reloading the host page, so the bundle is in the HTTP cache
  (cached by content hash: nothing of it is downloaded again) but the app starts cold;
- static: in the same run, a static HTML page showing the same first screen
  (bench/static/<app>-first-screen.html) in a fresh context: navigation start to first
  contentful paint, and to the load event;
- setData: in the `listbench` example, a setData changing one row of a 1,000-row list, timed
  from the call to its callback (which runs once the view has applied the change).

Prints medians and the ratio cold / static. Targets (issue 4): warm <= 100 ms, cold <= 300 ms,
cold <= 2x static, setData < 16 ms.

    .venv/bin/python bench/bench_launch.py --rounds 9 [--app bigapp]
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import urllib.request
from pathlib import Path

from bench_servers import free_port
from playwright.sync_api import Browser, Page, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
STATIC = ROOT / "bench" / "static"
CHROMIUM = "/usr/bin/chromium"
VIEWPORT = {"width": 390, "height": 844}
PHASES = "--phases" in sys.argv


def start_platform(data: Path) -> tuple[subprocess.Popen[str], str]:
    port = free_port()
    process = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/miniapp"),
            "serve",
            "--demo",
            "--no-worker",
            "--port",
            str(port),
            "--data",
            str(data),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    for line in process.stdout:
        if "Uvicorn running on" in line:
            break
    else:
        raise RuntimeError("the platform did not start")
    threading.Thread(target=lambda: [None for _ in process.stdout or []], daemon=True).start()
    return process, f"http://127.0.0.1:{port}"


def start_static() -> tuple[http.server.ThreadingHTTPServer, str]:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(STATIC))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def appid_of(base: str, name: str) -> str:
    with urllib.request.urlopen(f"{base}/api/runtime/apps") as response:
        apps = json.load(response)["apps"]
    for app in apps:
        if app["name"].lower() == name.lower() or app["name"].lower().startswith(name.lower()):
            return str(app["appid"])
    raise SystemExit(f"no released app named {name!r}: {[a['name'] for a in apps]}")


READY = """() => new Promise((resolve) => document.addEventListener(
  "miniapp:ready", (e) => resolve(e.detail), { once: true }))"""


def tap_to_ready(page: Page, appid: str) -> float:
    page.wait_for_selector(f"[data-appid='{appid}']")
    # The host starts its spare runtime while the list shows; a user looks at the list too.
    page.wait_for_load_state("networkidle")
    page.evaluate("() => { window.__ready = (" + READY + ")(); }")
    page.click(f"[data-appid='{appid}']")
    detail = page.evaluate("() => window.__ready")
    if PHASES:
        marks = page.evaluate(
            "() => performance.getEntriesByType('mark').filter(m => m.name.startsWith('miniapp:'))"
            ".map(m => [m.name, m.startTime])"
        )
        tap = float(detail["tap"])
        print("   ", "  ".join(f"{name[8:]}={at - tap:.0f}" for name, at in marks if at >= tap))
    return float(detail["at"]) - float(detail["tap"])


def launch_round(browser: Browser, base: str, appid: str) -> tuple[float, float]:
    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = context.new_page()
        page.goto(f"{base}/#discover")
        cold = tap_to_ready(page, appid)
        page.goto(f"{base}/#discover")
        page.reload()
        warm = tap_to_ready(page, appid)
        return cold, warm
    finally:
        context.close()


def static_round(browser: Browser, url: str) -> tuple[float, float]:
    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = context.new_page()
        page.goto(url, wait_until="load")
        timings = page.evaluate(
            """() => {
              const nav = performance.getEntriesByType("navigation")[0];
              const fcp = performance.getEntriesByName("first-contentful-paint")[0];
              const paint = fcp ? fcp.startTime : nav.domContentLoadedEventEnd;
              return { fcp: paint, load: nav.loadEventEnd };
            }"""
        )
        return float(timings["fcp"]), float(timings["load"])
    finally:
        context.close()


def setdata_round(browser: Browser, base: str, appid: str) -> float:
    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = context.new_page()
        page.goto(f"{base}/#discover")
        tap_to_ready(page, appid)
        frame = page.frame_locator(".miniapp-page-frame.is-current")
        frame.locator("#run").click()
        text = frame.locator("#result").filter(has_text="median").inner_text(timeout=60_000)
        match = re.search(r"median ([0-9.]+) ms", text)
        assert match, text
        return float(match.group(1))
    finally:
        context.close()


def median(values: list[float]) -> float:
    return statistics.median(values)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--app", default="bigapp", help="example to launch (its project name)")
    parser.add_argument(
        "--phases", action="store_true", help="print each launch's phases (ms after the tap)"
    )
    args = parser.parse_args()
    static_page = STATIC / f"{args.app}-first-screen.html"
    if not static_page.exists():
        raise SystemExit(f"missing static baseline {static_page}")
    with tempfile.TemporaryDirectory() as tmp:
        process, base = start_platform(Path(tmp))
        static_server, static_base = start_static()
        try:
            appid = appid_of(base, args.app)
            bench_appid = appid_of(base, "List benchmark")
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
                )
                launch_round(browser, base, appid)  # warms the server's caches and Chromium
                colds, warms, fcps, loads, setdatas = [], [], [], [], []
                for _ in range(args.rounds):
                    cold, warm = launch_round(browser, base, appid)
                    fcp, load = static_round(browser, f"{static_base}/{static_page.name}")
                    colds.append(cold)
                    warms.append(warm)
                    fcps.append(fcp)
                    loads.append(load)
                for _ in range(max(3, args.rounds // 3)):
                    setdatas.append(setdata_round(browser, base, bench_appid))
                browser.close()
        finally:
            process.terminate()
            process.wait(timeout=10)
            static_server.shutdown()
    print(f"app {args.app!r}, {args.rounds} rounds, headless Chromium on loopback (medians, ms)")
    print(f"  cold launch, tap -> onReady        {median(colds):8.1f}   (target <= 300)")
    print(f"  warm launch, tap -> onReady        {median(warms):8.1f}   (target <= 100)")
    print(f"  static page, first contentful paint {median(fcps):7.1f}")
    print(f"  static page, load event            {median(loads):8.1f}")
    print(
        f"  ratio cold / static paint          {median(colds) / median(fcps):8.2f}   (target <= 2)"
    )
    print(f"  ratio cold / static load           {median(colds) / median(loads):8.2f}")
    print(f"  setData one row of 1,000, to applied {median(setdatas):6.2f}   (target < 16)")
    print("  raw cold:", " ".join(f"{v:.0f}" for v in colds))
    print("  raw warm:", " ".join(f"{v:.0f}" for v in warms))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
