"""Compile speed: a generated ~2 MB package and the largest example, on one core.

Prints the median compile time and source throughput (MB/s), then WXML-only throughput of our
compiler beside WeChat's own template compiler (npm `glass-easel-template-compiler`, run with
Node.js on the same files, timed inside Node so its start-up is excluded).

    .venv/bin/python bench/bench_compile.py [--megabytes 2] [--rounds 5]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import time
from pathlib import Path

from miniapp.compiler.build import Limits, compile_project, compile_tree
from miniapp.compiler.diagnostics import Diagnostics
from miniapp.compiler.project import read_project
from miniapp.compiler.sources import SourceTree
from miniapp.compiler.wxml import compile_view

ROOT = Path(__file__).resolve().parents[1]
SHOWCASE = ROOT / "examples" / "showcase"
GLASS_EASEL = Path(__file__).resolve().parent / "glass-easel"
NO_LIMITS = Limits(package_bytes=1 << 40, total_bytes=1 << 40)


# Data names renamed in every copy, so copies do not repeat each other's binding texts: the
# compiler memoises parses within a compile, and verbatim copies would flatter it.
RENAMED = (
    "greeting",
    "user",
    "products",
    "matrix",
    "letters",
    "stock",
    "keyword",
    "form",
    "mode",
    "hide",
    "items",
    "loading",
    "root",
    "message",
    "price",
    "item",
    "row",
    "cell",
)


def _renamed(data: bytes, copy: int) -> bytes:
    text = data.decode()
    for name in RENAMED:
        # Whole names only: not "wx:for-item" nor "itemList".
        text = re.sub(rf"(?<![\w:-]){name}(?![\w-])", f"{name}{copy}", text)
    return text.encode()


def generated_package(megabytes: float) -> SourceTree:
    """The showcase's main package, its pages copied under new names (and with their data names
    renamed) until the sources reach `megabytes`: realistic WXML, JS and WXSS."""
    project = read_project(SHOWCASE, Diagnostics())
    assert project is not None
    base = {path: project.tree.data(path) for path in project.tree.paths()}
    app = json.loads(base["app.json"])
    templates = {
        page: {
            ext: base[page + ext]
            for ext in (".js", ".wxml", ".wxss", ".json")
            if page + ext in base
        }
        for page in app["pages"]
    }
    files = dict(base)
    pages = list(app["pages"])
    target = int(megabytes * 1024 * 1024)
    copy = 0
    total = sum(len(data) for data in files.values())
    while total < target:
        # One page at a time, so the package stops just past the size asked for.
        for page, sources in templates.items():
            if total >= target:
                break
            new = f"pages/p{copy}/{page.rsplit('/', 1)[1]}"
            for ext, data in sources.items():
                # Same folder depth as the original page, so relative paths still resolve.
                renamed = _renamed(data, copy) if ext in (".wxml", ".js") else data
                files[new + ext] = renamed
                total += len(renamed)
            pages.append(new)
        copy += 1
    app["pages"] = pages
    files["app.json"] = json.dumps(app).encode()
    return SourceTree(files)


def source_bytes(tree: SourceTree) -> int:
    return sum(tree.size(path) for path in tree.paths())


def time_compile(tree: SourceTree, rounds: int) -> tuple[float, int]:
    times = []
    bundle_bytes = 0
    for _ in range(rounds):
        started = time.perf_counter()
        result = compile_tree(SourceTree({p: tree.data(p) for p in tree.paths()}), limits=NO_LIMITS)
        times.append(time.perf_counter() - started)
        if not result.ok:
            raise SystemExit("\n".join(map(str, result.diagnostics[:20])))
        bundle_bytes = sum(len(d) for d in result.bundle.files.values())  # type: ignore[union-attr]
    return statistics.median(times), bundle_bytes


def time_our_wxml(files: dict[str, str], rounds: int) -> float:
    tree = SourceTree({path: text.encode() for path, text in files.items()})
    times = []
    for _ in range(rounds):
        fresh = SourceTree({p: tree.data(p) for p in tree.paths()})
        started = time.perf_counter()
        for path in files:
            compile_view(fresh, path, Diagnostics())
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def time_glass_easel(files: dict[str, str], rounds: int) -> dict[str, float] | None:
    if shutil.which("node") is None or shutil.which("npm") is None:
        return None
    if not (GLASS_EASEL / "node_modules" / "glass-easel-template-compiler").exists():
        subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund", "--silent"], cwd=GLASS_EASEL, check=True
        )
    completed = subprocess.run(
        ["node", "compile_wxml.js"],
        cwd=GLASS_EASEL,
        check=True,
        capture_output=True,
        text=True,
        input=json.dumps({"files": files, "rounds": rounds}),
    )
    result: dict[str, float] = json.loads(completed.stdout)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--megabytes", type=float, default=2.0)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core, as the target says

    tree = generated_package(args.megabytes)
    size = source_bytes(tree)
    seconds, bundle_bytes = time_compile(tree, args.rounds)
    print(
        f"generated package: {len(tree.paths())} files, {size / 1e6:.2f} MB "
        f"({size / 2**20:.2f} MiB) of source"
    )
    print(
        f"  compile (median of {args.rounds}): {seconds * 1000:.0f} ms  "
        f"-> {size / 1e6 / seconds:.2f} MB/s, bundle {bundle_bytes / 1e6:.2f} MB"
    )

    started = time.perf_counter()
    showcase = compile_project(SHOWCASE, limits=NO_LIMITS)
    elapsed = time.perf_counter() - started
    assert showcase.ok
    print(f"examples/showcase (read + compile): {elapsed * 1000:.0f} ms")

    wxml = {path: tree.data(path).decode() for path in tree.paths() if path.endswith(".wxml")}
    wxml_bytes = sum(len(text.encode()) for text in wxml.values())
    ours = time_our_wxml(wxml, args.rounds)
    print(f"\nWXML only: {len(wxml)} files, {wxml_bytes / 1e6:.2f} MB")
    print(
        f"  miniapp compile_view:           {ours * 1000:8.1f} ms  "
        f"{wxml_bytes / 1e6 / ours:6.2f} MB/s"
    )
    theirs = time_glass_easel(wxml, args.rounds)
    if theirs is None:
        print("  glass-easel-template-compiler: skipped (node/npm not installed)")
    else:
        ms = theirs["median_ms"]
        print(
            f"  glass-easel-template-compiler:  {ms:8.1f} ms  "
            f"{wxml_bytes / 1e6 / (ms / 1000):6.2f} MB/s  (errors it reported: "
            f"{int(theirs['errors'])})"
        )
        print(f"  ratio ours / glass-easel time: {ours * 1000 / ms:.2f}")


if __name__ == "__main__":
    main()
