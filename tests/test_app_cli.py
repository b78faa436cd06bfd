"""``cohesion-sim app``: arguments, the server command, and a real start-up on a free port."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from cohesion_sim.app import cli as app_cli
from cohesion_sim.cli import build_parser

sys.path.insert(0, str(Path(__file__).resolve().parent))
from browser_harness import free_port  # noqa: E402


def test_app_listens_on_loopback_by_default():
    args = build_parser().parse_args(["app"])
    assert args.host == "127.0.0.1" and args.port == 8765 and args.func is app_cli.cmd_app
    args = build_parser().parse_args(["app", "--host", "0.0.0.0", "--port", "9000", "--no-open"])
    assert (args.host, args.port, args.no_open) == ("0.0.0.0", 9000, True)


def test_server_command_and_environment():
    command = app_cli.server_command("127.0.0.1", 8765)
    assert command[:4] == [sys.executable, "-m", "solara", "run"]
    assert command[4] == "cohesion_sim.app.page"
    assert command[command.index("--host") + 1] == "127.0.0.1" and "--production" in command and "--no-open" in command
    assert "--no-open" not in app_cli.server_command("127.0.0.1", 8765, open_browser=True)
    env = app_cli.server_env({"VSCODE_PID": "1", "PATH": "/bin"})
    assert env["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] == "false" and env["SOLARA_ASSETS_PROXY"] == "true"
    assert "VSCODE_PID" not in env and env["PATH"] == "/bin"


def test_bad_port_is_one_line():
    result = subprocess.run([sys.executable, "-m", "cohesion_sim", "app", "--port", "0"], capture_output=True,
                            text=True, timeout=60)  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.strip() == "cohesion-sim: error: --port must be between 1 and 65535, got 0"


def test_cli_start_up_does_not_import_solara():
    code = "import sys, cohesion_sim.cli as c; c.build_parser(); print('solara' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "False", result.stderr


def test_app_command_serves_the_page_and_stops_cleanly():
    port = free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "cohesion_sim", "app", "--port", str(port), "--no-open"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, start_new_session=True,
    )  # fmt: skip
    try:
        first_line = process.stdout.readline()
        assert f"http://127.0.0.1:{port}/" in first_line
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                    assert response.status == 200
                    break
            except OSError:
                assert process.poll() is None, process.stdout.read()
                assert time.monotonic() < deadline, "the app did not answer within 90 s"
                time.sleep(0.3)
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=20) == 0
        with pytest.raises(OSError):  # the server went down with the command
            time.sleep(0.5)
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=3)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
