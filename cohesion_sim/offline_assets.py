"""``cohesion-sim fetch-assets``: Solara's JavaScript and CSS, fetched once so the app works with no internet.

Run at INSTALL time (``make app``, ``make test``, or by hand after ``pip install
"cohesion-sim[app]"``), with the Python of the environment that runs Solara, never at
import or run time::

    cohesion-sim fetch-assets [--dest DIR] [--all-variants] [--dry-run]

Solara's server proxies ``/_solara/cdn/<pkg>@<ver>/<file>`` and serves it from
``{sys.prefix}/share/solara/cdn/`` (or ``$SOLARA_ASSETS_PROXY_CACHE_DIR``)
when the file is there; otherwise it downloads it from cdn.jsdelivr.net, which
fails without internet ("Could not load URL") and leaves the page blank.
The files there are exactly the npm package contents, so this command runs
``npm pack <pkg>@<ver>`` (Node.js's ``npm``, on any OS) and unpacks each tarball's
``package/`` folder to ``<dest>/<pkg>@<ver>/``.

The package list is read from the installed Solara, not hard-coded:

* ``solara/server/templates/*`` (``{{cdn}}/<pkg>@<ver>/...``, loaded by every page);
* ``solara/server/settings.py`` (``fontawesome_path``);
* lazily loaded ones: ``solara/widgets/vue/*.vue`` (vega, vega-lite, vega-embed
  for Altair; @widgetti/vue-grid-layout for mesa's SolaraViz grid) and
  ``solara/components/markdown.py`` (katex, mermaid for solara.Markdown).

Only URLs with a literal version are taken (``echarts@${version}`` is skipped).
The Vue-3 app bundle is fetched only when the installed ipyvue is 3.x (the
Vue-2 one otherwise), unless ``--all-variants``.

Idempotent: a package whose marker exists in ``<dest>/.fetch_solara_assets/``
is skipped. Standard library only (plus the ``npm`` executable).
"""

from __future__ import annotations

import argparse
import importlib.metadata
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

MARKER_DIR = ".fetch_solara_assets"


class AssetsError(Exception):
    """The assets cannot be fetched (no Solara, no npm, npm failed); the message says what to do."""

# "{{cdn}}/pkg@ver/" in jinja templates, "${this.getCdn()}/pkg@ver/" in vue/js.
_CDN_REF = re.compile(
    r"""(?:\{\{\s*cdn\s*\}\}|getCdn\(\)\})/"""
    r"""(?P<spec>(?:@[a-z0-9][\w.-]*/)?[a-z0-9][\w.-]*@[^/\s"'`${}]+)/"""
)
# fontawesome_path: str = "/font-awesome@4.5.0/css/font-awesome.min.css"
_FONTAWESOME = re.compile(r"""fontawesome_path\s*:\s*str\s*=\s*["']/(?P<spec>[^/"']+@[^/"']+)/""")
_VUE3_PKG = re.compile(r"vuetify3")


def _solara_dir() -> Path:
    spec = importlib.util.find_spec("solara")  # does not import solara
    if spec is None or not spec.submodule_search_locations:
        raise AssetsError(f'solara is not installed in this Python ({sys.executable}): pip install "cohesion-sim[app]"')
    return Path(list(spec.submodule_search_locations)[0])


def _ipyvue_major() -> int | None:
    try:
        return int(importlib.metadata.version("ipyvue").split(".")[0])
    except (importlib.metadata.PackageNotFoundError, ValueError):
        return None


def discover_packages(all_variants: bool = False) -> list[tuple[str, str]]:
    """Return [(spec, source)] in a stable order, e.g. ("requirejs@2.3.6", "server/templates/solara.html.j2")."""
    root = _solara_dir()
    files: list[Path] = sorted((root / "server" / "templates").glob("*"))
    files += sorted((root / "widgets" / "vue").glob("*.vue"))
    files += [root / "components" / "markdown.py"]
    found: dict[str, str] = {}
    for path in files:
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        for m in _CDN_REF.finditer(text):
            found.setdefault(m.group("spec"), str(path.relative_to(root)))
    settings = root / "server" / "settings.py"
    if settings.is_file():
        m = _FONTAWESOME.search(settings.read_text(encoding="utf-8"))
        if m:
            found.setdefault(m.group("spec"), "server/settings.py")
    if not found:
        raise AssetsError(f"found no CDN references in {root}; has solara's layout changed?")
    if not all_variants:
        vue3 = _ipyvue_major() == 3
        found = {s: src for s, src in found.items() if bool(_VUE3_PKG.search(s)) == vue3 or "vuetify" not in s}
    return sorted(found.items())


def _marker(dest: Path, spec: str) -> Path:
    return dest / MARKER_DIR / (spec.replace("/", "__") + ".json")


def _is_present(dest: Path, spec: str) -> bool:
    return _marker(dest, spec).is_file() and (dest / spec).is_dir()


def _npm() -> str:
    npm = shutil.which("npm")
    if npm is None:
        raise AssetsError(
            "`npm` was not found on PATH: install Node.js (https://nodejs.org, or `apt-get install npm`), then "
            "re-run. Without these assets the app needs internet to load its JavaScript (it still works online)"
        )
    return npm


def _name_of(spec: str) -> str:
    return spec.rsplit("@", 1)[0]


def _pack(npm: str, specs: list[str], workdir: Path) -> list[dict]:
    cmd = [npm, "pack", "--json", "--silent", "--pack-destination", str(workdir), *specs]
    proc = subprocess.run(cmd, cwd=workdir, capture_output=True, text=True)
    if proc.returncode != 0:
        lines = [line.strip() for line in (proc.stderr or proc.stdout).splitlines() if line.strip()]
        detail = next((line for line in lines if "ERR" in line), lines[-1] if lines else "no output")
        raise AssetsError(f"`npm pack` failed (exit {proc.returncode}; needs the npm registry once): {detail[:300]}")
    out = proc.stdout
    start = out.find("[")  # tolerate anything npm prints before the JSON
    try:
        infos = json.loads(out[start:])
    except ValueError:
        raise AssetsError(f"could not parse the output of `npm pack --json`: {out[-300:]!r}")
    if len(infos) != len(specs):
        raise AssetsError(f"asked npm for {len(specs)} packages, got {len(infos)}")
    for spec, info in zip(specs, infos):
        if info.get("name") != _name_of(spec):
            raise AssetsError(f"npm returned {info.get('id')} for {spec}")
    return infos


def _unpack(tgz: Path, target: Path) -> int:
    """Extract the tarball's top folder (normally ``package/``) into target; return bytes."""
    with tarfile.open(tgz, "r:gz") as tar:
        members = []
        for m in tar.getmembers():
            parts = m.name.split("/", 1)
            if len(parts) < 2 or not parts[1]:
                continue
            m.name = parts[1]
            if m.issym() or m.islnk():
                continue  # npm tarballs have none; never follow links out of dest
            members.append(m)
        tar.extractall(target, members=members, filter="data")
    return sum(m.size for m in members if m.isfile())


def _dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def default_dest() -> Path:
    env = os.environ.get("SOLARA_ASSETS_PROXY_CACHE_DIR")
    return Path(env) if env else Path(sys.prefix) / "share" / "solara" / "cdn"


def fetch_assets(dest: Path | None = None, all_variants: bool = False, dry_run: bool = False) -> str:
    """Fetch the missing packages into ``dest``; returns the one-line report (or the listing with ``dry_run``)."""
    dest = Path(dest or default_dest()).resolve()
    t0 = time.monotonic()
    packages = discover_packages(all_variants)
    specs = [spec for spec, _ in packages]
    if dry_run:
        return "\n".join(
            f"{spec:45s} {'present' if _is_present(dest, spec) else 'missing':8s} (solara/{src})" for spec, src in packages
        )
    missing = [s for s in specs if not _is_present(dest, s)]
    fetched: list[str] = []
    if missing:
        npm = _npm()
        dest.mkdir(parents=True, exist_ok=True)
        (dest / MARKER_DIR).mkdir(exist_ok=True)
        # temp dir inside dest: same filesystem, so the final rename is atomic
        with tempfile.TemporaryDirectory(prefix=".fetch-", dir=dest) as tmp:
            tmpdir = Path(tmp)
            infos = _pack(npm, missing, tmpdir)
            for spec, info in zip(missing, infos):
                staging = tmpdir / ("unpacked-" + info["filename"])
                _unpack(tmpdir / info["filename"], staging)
                target = dest / spec
                target.parent.mkdir(parents=True, exist_ok=True)
                if target.exists():
                    # e.g. a partial cache Solara's proxy wrote while online
                    shutil.rmtree(target)
                os.replace(staging, target)
                _marker(dest, spec).write_text(json.dumps({
                    "spec": spec, "resolved": info["id"], "integrity": info.get("integrity"),
                    "fetched_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                }, indent=1) + "\n")  # fmt: skip
                fetched.append(f"{spec}" + ("" if info["id"] == spec else f" (= {info['version']})"))
    total = sum(_dir_size(dest / s) for s in specs)
    return (
        f"fetch-assets: {len(specs)} packages in {dest} ({total / 1e6:.1f} MB), "
        f"fetched {len(fetched)}{': ' + ', '.join(fetched) if fetched else ''}, "
        f"skipped {len(specs) - len(fetched)} present, {time.monotonic() - t0:.1f} s"
    )


def _add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--dest", type=Path, default=None,
                        help="target folder (default: $SOLARA_ASSETS_PROXY_CACHE_DIR or {sys.prefix}/share/solara/cdn)")
    parser.add_argument("--all-variants", action="store_true", help="fetch both the Vue-2 and the Vue-3 app bundles")
    parser.add_argument("--dry-run", action="store_true", help="list the packages and exit")  # fmt: skip


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "fetch-assets", help="fetch the app's JavaScript and CSS once (needs npm), so it works with no internet",
        description="Fetch the JavaScript and CSS packages Solara loads from its CDN (with `npm pack`) into the "
        "folder its server serves them from, so `cohesion-sim app` works with no internet. Run once after install.",
    )  # fmt: skip
    _add_arguments(parser)
    parser.set_defaults(func=cmd_fetch_assets)


def cmd_fetch_assets(args) -> int:
    from .cli import CliError

    try:
        print(fetch_assets(args.dest, args.all_variants, args.dry_run))
    except AssetsError as exc:
        raise CliError(f"fetch-assets: {exc}") from None
    return 0


def main(argv: list[str] | None = None) -> int:
    """The standalone entry point (``scripts/fetch_solara_assets.py``)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    _add_arguments(parser)
    args = parser.parse_args(argv)
    try:
        print(fetch_assets(args.dest, args.all_variants, args.dry_run))
    except AssetsError as exc:
        print(f"fetch_solara_assets: error: {exc}", file=sys.stderr)
        return 2
    return 0
