"""`cohesion-sim app` on a port already taken: one line and exit 2 (not uvicorn's message and exit 3)."""

import socket
import subprocess

from sweep_helpers import cli, one_line_error


def test_a_busy_port_is_one_line_and_exit_2(monkeypatch):
    started = []
    monkeypatch.setattr(subprocess, "Popen", lambda *a, **k: started.append(a))  # the server must not start
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        one_line_error(cli("app", "--port", str(port), "--no-open"), f"--port {port}", "already in use",
                       "choose another port")  # fmt: skip
    assert started == []


def test_an_unknown_host_is_one_line(monkeypatch):
    monkeypatch.setattr(subprocess, "Popen", lambda *a, **k: (_ for _ in ()).throw(AssertionError("started")))
    one_line_error(cli("app", "--host", "no-such-host.invalid", "--no-open"), "--host no-such-host.invalid")
