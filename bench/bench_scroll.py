"""Scrolling a 1,000-item scroll-view list with images while it updates, in headless Chromium.

Runs `miniapp serve --demo` on loopback and opens the `scrollbench` example: a scroll-view of
1,000 rows, each with an image (lazy-load) and two texts; the page updates a row on screen every
100 ms and shows the scroll position from every `bindscroll` (a setData per scroll event, as
pages with sticky headers do). The mouse wheel then scrolls it to the bottom, first slowly (120
px per event, ~60 per second) and then in fast flings (800 px per event).

Frames are recorded inside the page's view frame, where the list scrolls and renders:
- every frame's duration from requestAnimationFrame timestamps (a frame "over 50 ms" is a
  delta over 50 ms);
- Chromium's Long Animation Frames (`long-animation-frame` entries: frames whose work took over
  50 ms), from the view frame and from the host page.

Baseline in the same run: a static HTML page with the same 1,000 rows and images in a scrolling
element, updated by its own script the same way, scrolled by the same wheel sequence.

Target (issue 5): no frame over 50 ms. Prints the medians over rounds.

    .venv/bin/python bench/bench_scroll.py --rounds 5
"""

from __future__ import annotations

import argparse
import functools
import http.server
import shutil
import statistics
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Frame, Page, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_launch import (
    CHROMIUM,
    READY,
    ROOT,
    VIEWPORT,
    appid_of,
    start_platform,
)

IMAGES = ROOT / "examples" / "scrollbench" / "images"

# Installed in the frame being measured; `window.__frames` collects until `stop()`.
RECORDER = """() => {
  const rec = { deltas: [], loaf: [], on: true };
  let last = 0;
  const loop = (t) => {
    if (last) rec.deltas.push(t - last);
    last = t;
    if (rec.on) requestAnimationFrame(loop);
  };
  requestAnimationFrame(loop);
  try {
    rec.observer = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) rec.loaf.push(e.duration);
    });
    rec.observer.observe({ type: "long-animation-frame" });
  } catch (error) {
    rec.loaf = null;
  }
  rec.stop = () => {
    rec.on = false;
    if (rec.observer) rec.observer.disconnect();
    return { deltas: rec.deltas, loaf: rec.loaf };
  };
  window.__frames = rec;
}"""

STOP = "() => window.__frames.stop()"

STATIC_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<style>
  html, body { margin: 0; height: 100%; overflow: hidden; font-family: sans-serif; }
  .bar { height: 32px; display: flex; gap: 12px; align-items: center; padding: 0 12px;
         border-bottom: 1px solid #eee; font-size: 12px; }
  .list { height: calc(100vh - 33px); overflow-y: auto; }
  .row { height: 64px; box-sizing: border-box; display: flex; align-items: center; gap: 12px;
         padding: 8px 12px; border-bottom: 1px solid #eee; background: #fff; }
  .row.hot { background: #fff7e6; }
  .thumb { width: 48px; height: 48px; border-radius: 6px; flex: none; object-fit: cover;
           background: #f2f2f2; }
  .text { display: flex; flex-direction: column; }
  .name { font-size: 15px; color: #111; } .price { font-size: 13px; color: #e64340; }
</style></head>
<body>
<div class="bar"><span id="scrolled">scrollTop 0</span><span id="updates">updates 0</span></div>
<div class="list" id="list"></div>
<script>
  const list = document.getElementById("list");
  const rows = [];
  for (let i = 0; i < 1000; i++) {
    const row = document.createElement("div");
    row.className = "row";
    const price = (i * 1.5).toFixed(2);
    row.innerHTML = `<img class="thumb" loading="lazy" src="p${i % 12}.png">` +
      `<div class="text"><span class="name">Item ${i}</span>` +
      `<span class="price">¥${price}</span></div>`;
    list.appendChild(row);
    rows.push(row);
  }
  let scrollTop = 0, updates = 0;
  list.addEventListener("scroll", () => {
    scrollTop = Math.round(list.scrollTop);
    document.getElementById("scrolled").textContent = "scrollTop " + scrollTop;
  }, { passive: true });
  setInterval(() => {
    const row = rows[Math.min(999, Math.floor(scrollTop / 64) + 2)];
    updates++;
    row.querySelector(".price").textContent = "¥" + (updates % 997).toFixed(2);
    row.classList.toggle("hot", updates % 2 === 0);
    document.getElementById("updates").textContent = "updates " + updates;
  }, 100);
</script>
</body></html>
"""


def start_baseline(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    for image in IMAGES.glob("*.png"):
        shutil.copy(image, folder / image.name)
    (folder / "list.html").write_text(STATIC_PAGE, encoding="utf-8")

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/list.html"


def scroll(page: Page, at: tuple[float, float]) -> None:
    """The same wheel sequence for both: slow scrolling, then flings to the bottom."""
    page.mouse.move(*at)
    for _ in range(90):
        page.mouse.wheel(0, 120)
        page.wait_for_timeout(16)
    for _ in range(80):
        page.mouse.wheel(0, 800)
        page.wait_for_timeout(16)
    page.wait_for_timeout(300)


def summarise(raw: dict[str, Any]) -> dict[str, float]:
    deltas = sorted(raw["deltas"])
    loaf = raw["loaf"] or []
    return {
        "frames": len(deltas),
        "max": deltas[-1] if deltas else 0.0,
        "p99": deltas[int(0.99 * (len(deltas) - 1))] if deltas else 0.0,
        "over50": sum(1 for d in deltas if d > 50),
        "loaf": len([d for d in loaf if d > 50]),
        "loaf_max": max(loaf, default=0.0),
    }


def miniapp_round(browser: Browser, base: str, appid: str) -> tuple[dict[str, float], float]:
    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = context.new_page()
        page.goto(f"{base}/#discover")
        page.wait_for_selector(f"[data-appid='{appid}']")
        page.evaluate("() => { window.__ready = (" + READY + ")(); }")
        page.click(f"[data-appid='{appid}']")
        page.evaluate("() => window.__ready")
        handle = page.wait_for_selector(".miniapp-app:not([hidden]) .miniapp-page-frame.is-current")
        assert handle is not None
        view: Frame | None = handle.content_frame()
        assert view is not None
        view.wait_for_selector("wx-image img[src]")
        box = handle.bounding_box()
        assert box is not None
        view.evaluate(RECORDER)
        page.evaluate(RECORDER)
        scroll(page, (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2))
        raw = view.evaluate(STOP)
        host = page.evaluate(STOP)
        # The list really went to the bottom and the page kept updating.
        end = view.locator("#end")
        lowered = "lower reached 0" not in end.inner_text()
        assert lowered, "the scroll never reached the end of the list"
        summary = summarise(raw)
        return summary, float(len([d for d in (host["loaf"] or []) if d > 50]))
    finally:
        context.close()


def baseline_round(browser: Browser, url: str) -> dict[str, float]:
    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = context.new_page()
        page.goto(url, wait_until="load")
        page.wait_for_selector(".thumb")
        page.evaluate(RECORDER)
        scroll(page, (VIEWPORT["width"] / 2, VIEWPORT["height"] / 2))
        return summarise(page.evaluate(STOP))
    finally:
        context.close()


def med(rounds: list[dict[str, float]], key: str) -> float:
    return statistics.median(r[key] for r in rounds)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        process, base = start_platform(Path(tmp) / "platform")
        static_dir = Path(tmp) / "static"
        static_dir.mkdir()
        server, static_url = start_baseline(static_dir)
        try:
            appid = appid_of(base, "Scroll benchmark")
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
                )
                miniapp_round(browser, base, appid)  # warms the server and Chromium
                ours: list[dict[str, float]] = []
                hosts: list[float] = []
                bases: list[dict[str, float]] = []
                for _ in range(args.rounds):
                    summary, host_loaf = miniapp_round(browser, base, appid)
                    ours.append(summary)
                    hosts.append(host_loaf)
                    bases.append(baseline_round(browser, static_url))
                browser.close()
        finally:
            process.terminate()
            process.wait(timeout=10)
            server.shutdown()
    print(
        f"scroll 1,000 rows with images while updating, {args.rounds} rounds, "
        "headless Chromium (medians)"
    )
    print(f"{'':34}{'miniapp':>10}{'static page':>14}")
    rows = [
        ("frames recorded", "frames", "{:10.0f}", "{:14.0f}"),
        ("longest frame (ms)", "max", "{:10.1f}", "{:14.1f}"),
        ("99th percentile frame (ms)", "p99", "{:10.1f}", "{:14.1f}"),
        ("frames over 50 ms (rAF)", "over50", "{:10.0f}", "{:14.0f}"),
        ("long animation frames > 50 ms", "loaf", "{:10.0f}", "{:14.0f}"),
        ("longest animation frame (ms)", "loaf_max", "{:10.1f}", "{:14.1f}"),
    ]
    for label, key, left, right in rows:
        print(f"  {label:32}" + left.format(med(ours, key)) + right.format(med(bases, key)))
    print(f"  host page long animation frames > 50 ms: {statistics.median(hosts):.0f}")
    print("  raw longest frames (miniapp):", " ".join(f"{r['max']:.0f}" for r in ours))
    print("  raw longest frames (static): ", " ".join(f"{r['max']:.0f}" for r in bases))


if __name__ == "__main__":
    main()
