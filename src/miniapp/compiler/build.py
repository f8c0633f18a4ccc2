"""The whole compile: project in, bundle (or every error) out. See docs/bundle-format.md.

Stages report to one Diagnostics collector and carry on, so a developer sees every problem at
once; a bundle exists only when none was found. Nothing here touches the disk except
`compile_project` reading the input and `write_bundle` writing the output.
"""

from __future__ import annotations

import hashlib
import json
import os
import posixpath
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from miniapp.compiler.component_options import StyleOptions, read_style_options
from miniapp.compiler.components import resolve_component
from miniapp.compiler.config import (
    MAIN_PACKAGE,
    AppConfig,
    PackageSpec,
    load_app_config,
    load_component_config,
    page_window,
)
from miniapp.compiler.diagnostics import Diagnostic, Diagnostics
from miniapp.compiler.gcpause import gc_paused
from miniapp.compiler.javascript import (
    JsModule,
    WxsModule,
    analyse_js,
    analyse_wxs,
    logic_file,
    wxs_file,
)
from miniapp.compiler.project import ReadLimits, read_project
from miniapp.compiler.sources import SourceTree
from miniapp.compiler.wxml import CompiledView, compile_view
from miniapp.compiler.wxss import compile_wxss

BUNDLE_FORMAT = 1
CODE_EXTENSIONS = frozenset({".js", ".json", ".wxml", ".wxss", ".wxs"})
# Sources the devtools compile or ignore at upload time; never shipped to the runtime.
NOT_ASSETS = frozenset({".ts", ".less", ".scss", ".sass", ".md", ".map", ".d.ts"})
NOT_ASSET_NAMES = frozenset({"package.json", "package-lock.json", "tsconfig.json", "yarn.lock"})

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True, kw_only=True)
class Limits:
    """Package size limits (WeChat's: 2 MB a package; we default to 20 MB for the whole app)."""

    package_bytes: int = 2 * 1024 * 1024
    total_bytes: int = 20 * 1024 * 1024
    read: ReadLimits = field(default_factory=ReadLimits)


@dataclass(frozen=True, kw_only=True)
class Bundle:
    manifest: dict[str, Any]
    files: dict[str, bytes]  # "files/<hash>.<ext>" -> content


@dataclass(frozen=True, kw_only=True)
class BuildResult:
    diagnostics: list[Diagnostic]
    bundle: Bundle | None
    report: dict[str, Any]

    @property
    def ok(self) -> bool:
        return self.bundle is not None


@dataclass
class _Unit:
    """A page or a component being compiled."""

    path: str
    kind: str  # "page" | "component"
    package: PackageSpec
    config: dict[str, Any]
    components: dict[str, str] = field(default_factory=dict)
    view: CompiledView | None = None
    css: str | None = None


class _Output:
    """Content-addressed files, and which package owns each (for the size report)."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.owners: dict[str, set[str]] = {}

    def add(self, data: bytes, extension: str, *, package: str) -> str:
        name = f"files/{hashlib.sha256(data).hexdigest()[:20]}{extension}"
        self.files[name] = data
        self.owners.setdefault(name, set()).add(package)
        return name

    def add_text(self, text: str, extension: str, *, package: str) -> str:
        return self.add(text.encode("utf-8"), extension, package=package)

    def package_size(self, package: str) -> int:
        return sum(len(self.files[n]) for n, owners in self.owners.items() if package in owners)

    def total(self) -> int:
        return sum(len(data) for data in self.files.values())


@contextmanager
def _guard(diagnostics: Diagnostics, file: str) -> Iterator[None]:
    """Turns a compiler bug on one file into an INTERNAL_ERROR for that file, never a traceback."""
    try:
        yield
    except Exception as exc:  # any bug must still end as a diagnostic
        diagnostics.error("INTERNAL_ERROR", file, f"{type(exc).__name__}: {exc}")


def _style_scope(path: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in path).strip("-")


class _Compiler:
    def __init__(self, tree: SourceTree, limits: Limits, progress: Progress | None) -> None:
        self.tree = tree
        self.limits = limits
        self.progress = progress
        self.diagnostics = Diagnostics()
        self.output = _Output()
        self.units: dict[str, _Unit] = {}
        self.js: dict[str, JsModule] = {}
        self.wxs: dict[str, WxsModule] = {}
        self.app: AppConfig | None = None
        self.app_components: dict[str, str] = {}

    # -- discovery ------------------------------------------------------------------------------

    def _components_of(self, declaring_json: str, config: dict[str, Any]) -> dict[str, str]:
        used = config.get("usingComponents")
        if not isinstance(used, dict) or not used:
            return {}
        # The config is already parsed; the text (decoded once by the tree) only locates keys.
        text = self.tree.text(declaring_json, Diagnostics()) or ""
        resolved: dict[str, str] = {}
        for tag, reference in sorted(used.items()):
            if not isinstance(reference, str):
                continue
            path = resolve_component(
                self.tree,
                from_json=declaring_json,
                json_text=text,
                tag=tag,
                reference=reference,
                diagnostics=self.diagnostics,
            )
            if path is not None:
                resolved[tag] = path
                self._edge(declaring_json, path + ".js", "uses component", line=0)
        return resolved

    def discover(self) -> None:
        app = self.app
        assert app is not None
        app_json = {"usingComponents": app.app.get("usingComponents", {})}
        self.app_components = self._components_of("app.json", app_json)
        queue: list[str] = []
        for package in app.packages:
            for page in package.pages:
                if not (self.tree.has(page + ".js") and self.tree.has(page + ".wxml")):
                    continue
                config = load_component_config(
                    self.tree, page, self.diagnostics, is_component=False
                )
                unit = _Unit(path=page, kind="page", package=package, config=config)
                own = self._components_of(page + ".json", config)
                unit.components = {**self.app_components, **own}
                self.units[page] = unit
                queue.extend(unit.components.values())
        tab_bar = app.app.get("tabBar")
        if isinstance(tab_bar, dict) and tab_bar.get("custom") is True:
            queue.append("custom-tab-bar/index")
        while queue:
            path = queue.pop()
            if path in self.units:
                continue
            if not (self.tree.has(path + ".js") and self.tree.has(path + ".wxml")):
                self.diagnostics.error(
                    "COMPONENT_NOT_FOUND", path, "custom-tab-bar/index needs .json, .js and .wxml"
                )
                continue
            config = load_component_config(self.tree, path, self.diagnostics, is_component=True)
            unit = _Unit(
                path=path, kind="component", package=app.package_for_file(path), config=config
            )
            unit.components = {**self.app_components, **self._components_of(path + ".json", config)}
            self.units[path] = unit
            queue.extend(unit.components.values())

    # -- package boundaries ---------------------------------------------------------------------

    def _edge(self, from_file: str, target: str, what: str, *, line: int, column: int = 0) -> None:
        """Report `from_file` using `target` across packages where WeChat forbids it."""
        app = self.app
        assert app is not None
        source = app.package_for_file(from_file)
        if from_file == "app.json":
            source = app.packages[0]
        destination = app.package_for_file(target)
        if source.name == destination.name:
            return
        if destination.name == MAIN_PACKAGE and not source.independent:
            return
        reason = (
            "an independent subpackage cannot use the main package"
            if source.independent
            else f'package "{source.name}" cannot use files of package "{destination.name}"'
        )
        self.diagnostics.error(
            "PACKAGE_CROSS_REFERENCE",
            from_file,
            f"{what} {target}: {reason}",
            line=line,
            column=column,
        )

    # -- compiling ------------------------------------------------------------------------------

    def _report_progress(self, done: int, total: int, label: str) -> None:
        if self.progress is not None:
            self.progress(done, total, label)

    def compile_units(self) -> None:
        units = sorted(self.units.values(), key=lambda u: u.path)
        total = len(units)
        for done, unit in enumerate(units, start=1):
            self._report_progress(done, total, unit.path)
            wxml = unit.path + ".wxml"
            with _guard(self.diagnostics, wxml):
                unit.view = compile_view(self.tree, wxml, self.diagnostics)
            if unit.view is not None:
                for reference in unit.view.references:
                    self._edge(
                        reference.from_file,
                        reference.target,
                        reference.kind,
                        line=reference.line,
                        column=reference.column,
                    )
            wxss = unit.path + ".wxss"
            if self.tree.has(wxss):
                isolation = self._isolation(unit)
                scope = (
                    _style_scope(unit.path)
                    if unit.kind == "component" and isolation != "shared"
                    else None
                )
                with _guard(self.diagnostics, wxss):
                    style = compile_wxss(self.tree, wxss, self.diagnostics, scope=scope)
                    if style is not None:
                        unit.css = style.css
                        for file in style.files:
                            self._edge(wxss, file, "@import", line=0)

    def _style_options(self, unit: _Unit) -> StyleOptions:
        """What the component's JS declares literally in Component({options: ...})."""
        if unit.kind != "component" or not self.tree.has(unit.path + ".js"):
            return StyleOptions()
        cache = self.tree.memo("build.style_options")
        if unit.path not in cache:
            source = self.tree.text(unit.path + ".js", Diagnostics())
            cache[unit.path] = read_style_options(source) if source else StyleOptions()
        options: StyleOptions = cache[unit.path]
        return options

    def _isolation(self, unit: _Unit) -> str:
        """The component's styleIsolation: its .json, else its JS options, else addGlobalClass
        (either place) as apply-shared, else isolated, as WeChat resolves it."""
        config = unit.config
        isolation = config.get("styleIsolation")
        if isinstance(isolation, str):
            return isolation.removeprefix("page-")
        declared = self._style_options(unit)
        if declared.style_isolation in ("isolated", "apply-shared", "shared"):
            return declared.style_isolation
        if config.get("addGlobalClass") is True or declared.add_global_class:
            return "apply-shared"
        return "isolated"

    def compile_scripts(self) -> None:
        pending = ["app.js"] if self.tree.has("app.js") else []
        pending += [unit.path + ".js" for unit in self.units.values()]
        while pending:
            path = pending.pop()
            if path in self.js or not self.tree.has(path):
                continue
            with _guard(self.diagnostics, path):
                module = analyse_js(self.tree, path, self.diagnostics)
                if module is None:
                    continue
                self.js[path] = module
                for target in module.requires.values():
                    self._edge(path, target, "require", line=0)
                    pending.append(target)

    def compile_wxs(self) -> None:
        pending: list[tuple[str, str, str, int, int]] = []
        for unit in self.units.values():
            if unit.view is None:
                continue
            for source in unit.view.wxs.values():
                pending.append((source.id, source.file, source.code, source.line, source.column))
        while pending:
            module_id, file, code, line, column = pending.pop()
            if module_id in self.wxs:
                continue
            with _guard(self.diagnostics, file):
                module = analyse_wxs(
                    self.tree,
                    id=module_id,
                    file=file,
                    code=code,
                    line=line,
                    column=column,
                    diagnostics=self.diagnostics,
                )
                if module is None:
                    continue
                self.wxs[module_id] = module
                for target in module.requires.values():
                    text = (
                        self.tree.text(target, self.diagnostics) if self.tree.has(target) else None
                    )
                    if text is not None:
                        pending.append((target, target, text, 1, 1))

    # -- output ---------------------------------------------------------------------------------

    def assets(self) -> dict[str, str]:
        app = self.app
        assert app is not None
        assets: dict[str, str] = {}
        for path in self.tree.paths():
            extension = posixpath.splitext(path)[1].lower()
            name = posixpath.basename(path)
            if extension in CODE_EXTENSIONS or extension in NOT_ASSETS or name in NOT_ASSET_NAMES:
                continue
            if path.endswith(".d.ts"):
                continue
            package = app.package_for_file(path).name
            assets[path] = self.output.add(self.tree.data(path), extension, package=package)
        return assets

    def _package_of_module(self, path: str) -> str:
        assert self.app is not None
        return self.app.package_for_file(path.split("#", 1)[0]).name

    def emit(self) -> dict[str, Any]:
        app = self.app
        assert app is not None
        output = self.output
        packages: dict[str, Any] = {}
        for package in app.packages:
            modules = [
                m for p, m in sorted(self.js.items()) if self._package_of_module(p) == package.name
            ]
            wxs_modules = [
                m for i, m in sorted(self.wxs.items()) if self._package_of_module(i) == package.name
            ]
            css = None
            if package.name == MAIN_PACKAGE and self.tree.has("app.wxss"):
                with _guard(self.diagnostics, "app.wxss"):
                    style = compile_wxss(self.tree, "app.wxss", self.diagnostics, scope=None)
                    if style is not None:
                        css = output.add_text(style.css, ".css", package=package.name)
            packages[package.name] = {
                "root": package.root,
                "independent": package.independent,
                "logic": output.add_text(logic_file(modules), ".js", package=package.name),
                "wxs": output.add_text(wxs_file(wxs_modules), ".js", package=package.name),
                "css": css,
                "pages": list(package.pages),
            }
        pages: dict[str, Any] = {}
        components: dict[str, Any] = {}
        for path, unit in sorted(self.units.items()):
            if unit.view is None:
                continue
            # No cycle check: the IR is a tree (parsed ASTs shared, never containing their
            # parents), and skipping the check's id bookkeeping saves a fifth of the encoding.
            view = json.dumps(
                unit.view.ir,
                ensure_ascii=False,
                sort_keys=True,
                separators=(",", ":"),
                check_circular=False,
            )
            entry: dict[str, Any] = {
                "package": unit.package.name,
                "view": output.add_text(view, ".json", package=unit.package.name),
                "css": output.add_text(unit.css, ".css", package=unit.package.name)
                if unit.css
                else None,
                "components": dict(sorted(unit.components.items())),
            }
            if unit.kind == "page":
                entry["config"] = page_window(app, unit.config)
                pages[path] = entry
            else:
                isolation = self._isolation(unit)
                listed = unit.config.get("externalClasses", [])
                external = (
                    [c for c in listed if isinstance(c, str)] if isinstance(listed, list) else []
                )
                external += [
                    c for c in self._style_options(unit).external_classes if c not in external
                ]
                entry["config"] = unit.config
                entry["styleScope"] = _style_scope(path)
                entry["styleIsolation"] = isolation
                entry["externalClasses"] = external
                components[path] = entry
        assets = self.assets()
        for name, entry in packages.items():
            entry["size"] = output.package_size(name)
        return {
            "format": BUNDLE_FORMAT,
            "app": app.app,
            "packages": packages,
            "pages": pages,
            "components": components,
            "assets": assets,
        }

    def report(self, packages: dict[str, Any] | None) -> dict[str, Any]:
        apis: dict[str, list[str]] = {}
        domains: dict[str, list[str]] = {}
        for module in self.js.values():
            for name, position in module.apis:
                apis.setdefault(name, []).append(
                    f"{position.file}:{position.line}:{position.column}"
                )
            for domain, position in module.domains:
                domains.setdefault(domain, []).append(
                    f"{position.file}:{position.line}:{position.column}"
                )
        app = self.app
        sized = sorted(self.tree.paths(), key=lambda path: (-self.tree.size(path), path))
        files: list[dict[str, Any]] = [
            {
                "path": path,
                "package": app.package_for_file(path).name if app else MAIN_PACKAGE,
                "bytes": self.tree.size(path),
            }
            for path in sized
        ]
        package_sizes = {name: entry["size"] for name, entry in (packages or {}).items()}
        return {
            "apis": {k: sorted(v) for k, v in sorted(apis.items())},
            "domains": {k: sorted(v) for k, v in sorted(domains.items())},
            "files": files,
            "packages": package_sizes,
            "total": self.output.total(),
            "limits": {"package": self.limits.package_bytes, "total": self.limits.total_bytes},
        }

    def check_limits(self, packages: dict[str, Any]) -> None:
        for name, entry in packages.items():
            if entry["size"] > self.limits.package_bytes:
                label = "main package" if name == MAIN_PACKAGE else f'subpackage "{name}"'
                self.diagnostics.error(
                    "SIZE_LIMIT",
                    entry["root"] or "app.json",
                    f"{label} is {entry['size']:,} bytes; the limit is "
                    f"{self.limits.package_bytes:,}",
                )
        total = self.output.total()
        if total > self.limits.total_bytes:
            self.diagnostics.error(
                "SIZE_LIMIT",
                "app.json",
                f"the app is {total:,} bytes; the limit is {self.limits.total_bytes:,}",
            )

    def run(self) -> BuildResult:
        with _guard(self.diagnostics, "app.json"):
            self.app = load_app_config(self.tree, self.diagnostics)
        if self.app is None:
            return BuildResult(
                diagnostics=self.diagnostics.sorted(), bundle=None, report=self.report(None)
            )
        self.discover()
        self.compile_units()
        self.compile_scripts()
        self.compile_wxs()
        manifest = self.emit()
        self.check_limits(manifest["packages"])
        report = self.report(manifest["packages"])
        manifest["report"] = report
        if not self.diagnostics.ok:
            return BuildResult(diagnostics=self.diagnostics.sorted(), bundle=None, report=report)
        return BuildResult(
            diagnostics=[],
            bundle=Bundle(manifest=manifest, files=dict(self.output.files)),
            report=report,
        )


def compile_tree(
    tree: SourceTree, *, limits: Limits | None = None, progress: Progress | None = None
) -> BuildResult:
    """Compile an in-memory project whose root holds app.json."""
    with gc_paused():
        try:
            return _Compiler(tree, limits or Limits(), progress).run()
        finally:
            # Freed now, by reference counting, rather than scanned by the first collection
            # after the pause: the memos hold every token, AST and parse of the compile.
            tree.forget_memos()


def compile_project(
    source: Path, *, limits: Limits | None = None, progress: Progress | None = None
) -> BuildResult:
    """Compile a project folder or zip (project.config.json's miniprogramRoot honoured)."""
    limits = limits or Limits()
    diagnostics = Diagnostics()
    project = read_project(source, diagnostics, limits=limits.read)
    if project is None:
        return BuildResult(diagnostics=diagnostics.sorted(), bundle=None, report={})
    return compile_tree(project.tree, limits=limits, progress=progress)


def manifest_bytes(manifest: dict[str, Any]) -> bytes:
    return (json.dumps(manifest, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode()


def write_bundle(bundle: Bundle, out_dir: Path) -> None:
    """Write the bundle into `out_dir` all at once: built beside it, then swapped in by rename.

    An existing `out_dir` is replaced only once the new bundle is completely written, so a reader
    never sees half a bundle.
    """
    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=out_dir.parent))
    try:
        (staging / "files").mkdir()
        for name, data in sorted(bundle.files.items()):
            (staging / name).write_bytes(data)
        (staging / "manifest.json").write_bytes(manifest_bytes(bundle.manifest))
        if out_dir.exists():
            retired = out_dir.with_name(f".{out_dir.name}.old-{os.getpid()}")
            out_dir.rename(retired)
            staging.rename(out_dir)
            shutil.rmtree(retired, ignore_errors=True)
        else:
            staging.rename(out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
