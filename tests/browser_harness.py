"""Reusable helpers for browser tests of Solara pages (plain module, not a conftest).

Typical use (Playwright sync API)::

    from browser_harness import serve_solara, chromium_launch_args, NetworkRecorder

    with serve_solara(app_py) as url, sync_playwright() as pw:
        browser = pw.chromium.launch(**chromium_launch_args())
        page = browser.new_page()
        rec = NetworkRecorder(page, block_external=True)
        page.goto(url)
        ...
        rec.assert_offline_clean()
        assert "Could not load URL" not in url.log()

Offline rendering needs the CDN assets in ``{sys.prefix}/share/solara/cdn``:
run ``scripts/fetch_solara_assets.py`` once at install time.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Iterator, Mapping
from urllib.parse import urlsplit

LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def free_port(host: str = "127.0.0.1") -> int:
    """Return a TCP port that is free right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def chromium_path() -> str | None:
    """The Chromium executable: $CHROMIUM, else /usr/bin/chromium, else one on PATH; None if absent."""
    for cand in (os.environ.get("CHROMIUM"), "/usr/bin/chromium"):
        if cand and os.path.isfile(cand) and os.access(cand, os.X_OK):
            return cand
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


def chromium_launch_args(headless: bool = True) -> dict:
    """kwargs for playwright's ``chromium.launch`` (also usable as a ``browser_type_launch_args`` override)."""
    exe = chromium_path() or os.environ.get("CHROMIUM") or "/usr/bin/chromium"
    args = list(CHROMIUM_ARGS) if headless else [a for a in CHROMIUM_ARGS if a != "--headless"]
    return {"executable_path": exe, "headless": headless, "args": args}


class ServerURL(str):
    """The server's base URL (a plain ``str``) that also gives access to its log."""

    log_path: Path
    process: subprocess.Popen

    def log(self) -> str:
        """Everything the server wrote to stdout/stderr so far."""
        return self.log_path.read_text(encoding="utf-8", errors="replace")


def _log_tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return "<no log>"


def _stop(proc: subprocess.Popen, timeout: float = 10.0) -> None:
    if proc.poll() is not None:
        return
    # the server runs in its own session/process group (start_new_session=True),
    # so signal that group: it holds only what this harness started
    try:
        if os.name == "posix":
            os.killpg(proc.pid, signal.SIGTERM)
        else:
            proc.terminate()
        proc.wait(timeout=timeout)
    except (subprocess.TimeoutExpired, ProcessLookupError, PermissionError):
        pass
    if proc.poll() is None:
        try:
            if os.name == "posix":
                os.killpg(proc.pid, signal.SIGKILL)
            else:
                proc.kill()
        except ProcessLookupError:
            pass
        proc.wait(timeout=timeout)


@contextlib.contextmanager
def serve_solara(
    app_path: str | os.PathLike,
    port: int | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float = 60.0,
    cwd: str | os.PathLike | None = None,
    extra_args: list[str] | None = None,
    keep_log: bool = False,
) -> Iterator[ServerURL]:
    """Run ``solara run <app_path>`` on 127.0.0.1 and yield its base URL once it answers HTTP 200.

    The yielded value is a ``str`` (e.g. ``"http://127.0.0.1:41234/"``) with ``.log()``,
    ``.log_path`` and ``.process``. The server is always terminated on exit.
    ``cwd`` defaults to the app's folder (Solara reads a ``.env`` file from the cwd).
    The log file is deleted on a clean exit unless ``keep_log``; after an error it is kept.
    """
    app_path = Path(app_path).resolve()
    port = port or free_port()
    cmd = [
        sys.executable, "-m", "solara", "run", str(app_path),
        "--host", "127.0.0.1", "--port", str(port), "--no-open", "--production",
        *(extra_args or []),
    ]
    full_env = dict(os.environ)
    for var in ("VSCODE_PID", "VSCODE_CWD"):  # would make Solara disable its CDN proxy
        full_env.pop(var, None)
    full_env.update({
        "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "false",
        "SOLARA_ASSETS_PROXY": "true",
        "PYTHONUNBUFFERED": "1",
    })
    full_env.update(env or {})

    log_fd, log_name = tempfile.mkstemp(prefix=f"solara-{port}-", suffix=".log")
    log_path = Path(log_name)
    with os.fdopen(log_fd, "wb") as log_file:
        proc = subprocess.Popen(
            cmd, stdout=log_file, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            cwd=str(cwd or app_path.parent), env=full_env, start_new_session=(os.name == "posix"),
        )
    url = ServerURL(f"http://127.0.0.1:{port}/")
    url.log_path, url.process = log_path, proc
    try:
        deadline = time.monotonic() + timeout
        last_err: object = None
        while True:
            if proc.poll() is not None:
                raise RuntimeError(
                    f"solara server exited with code {proc.returncode} before answering.\n"
                    f"command: {' '.join(cmd)}\n--- log tail ({log_path}) ---\n{_log_tail(log_path)}"
                )
            try:
                with urllib.request.urlopen(url, timeout=5) as resp:
                    if resp.status == 200:
                        break
                    last_err = f"HTTP {resp.status}"
            except (urllib.error.URLError, OSError) as e:
                last_err = e
            if time.monotonic() > deadline:
                raise TimeoutError(
                    f"solara server did not answer HTTP 200 on {url} within {timeout:.0f} s "
                    f"(last error: {last_err}).\n--- log tail ({log_path}) ---\n{_log_tail(log_path)}"
                )
            time.sleep(0.25)
        yield url
    except BaseException:
        keep_log = True
        raise
    finally:
        _stop(proc)
        if not keep_log:
            log_path.unlink(missing_ok=True)


def is_local_url(url: str) -> bool:
    """True for URLs that never leave the machine (localhost, data:, blob:, about:)."""
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about", "chrome", "chrome-extension", "devtools"):
        return True
    return (parts.hostname or "") in LOCAL_HOSTS


class NetworkRecorder:
    """Record a page's requests; optionally abort every one that leaves localhost.

    ``external``: URLs of requests to other hosts (attempted, even if blocked).
    ``failed``: local requests that failed or got HTTP >= 400 (e.g. a missing CDN asset).
    ``errors``: uncaught page errors and console errors.
    """

    def __init__(self, page, block_external: bool = True):
        self.page = page
        self.external: list[str] = []
        self.failed: list[str] = []
        self.errors: list[str] = []
        page.on("request", self._on_request)
        page.on("response", self._on_response)
        page.on("requestfailed", self._on_failed)
        page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))
        page.on("console", self._on_console)
        if block_external:
            page.route("**/*", self._route)

    def _route(self, route):
        if is_local_url(route.request.url):
            route.continue_()
        else:
            route.abort("blockedbyclient")

    def _on_request(self, request):
        if not is_local_url(request.url):
            self.external.append(request.url)

    def _on_response(self, response):
        if response.status >= 400 and is_local_url(response.url):
            self.failed.append(f"HTTP {response.status} {response.url}")

    def _on_failed(self, request):
        if is_local_url(request.url):
            self.failed.append(f"{request.failure} {request.url}")

    def _on_console(self, msg):
        if msg.type == "error":
            self.errors.append(f"console: {msg.text}")

    def assert_offline_clean(self, allow_failed: bool = False) -> None:
        problems = []
        if self.external:
            problems.append("requests left localhost:\n  " + "\n  ".join(sorted(set(self.external))))
        if self.failed and not allow_failed:
            problems.append("local requests failed:\n  " + "\n  ".join(self.failed))
        assert not problems, "\n".join(problems) + (
            "\n(page errors: " + "; ".join(self.errors[:10]) + ")" if self.errors else ""
        )


def assert_no_external_requests(page, recorder: NetworkRecorder | None = None) -> None:
    """Assert that no request of ``page`` left localhost (needs a recorder attached before goto)."""
    rec = recorder or getattr(page, "_network_recorder", None)
    if rec is None:
        raise RuntimeError("attach NetworkRecorder(page) (or record_network(page)) before page.goto()")
    assert not rec.external, "requests left localhost:\n  " + "\n  ".join(sorted(set(rec.external)))


def record_network(page, block_external: bool = True) -> NetworkRecorder:
    """Attach a NetworkRecorder to page (retrievable by assert_no_external_requests(page))."""
    rec = NetworkRecorder(page, block_external=block_external)
    page._network_recorder = rec
    return rec


def require_chromium() -> str:
    """Return the Chromium path, or fail (env CI set) / skip the calling test."""
    import pytest

    exe = chromium_path()
    if exe is None:
        msg = "Chromium not found (set $CHROMIUM or apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(msg)
        pytest.skip(msg)
    return exe
