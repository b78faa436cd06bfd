"""``cohesion-sim app``: start the classroom app (Solara) on this machine.

Light on purpose: Solara is imported only by the server process, never when the CLI starts.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys

DEFAULT_HOST = "127.0.0.1"  # loopback: only this computer can connect unless --host says otherwise
DEFAULT_PORT = 8765
PAGE_MODULE = "cohesion_sim.app.page"


def register(subparsers) -> None:
    app = subparsers.add_parser(
        "app", help="start the classroom app in the browser (Solara)",
        description="Start the classroom app. Open the printed address in a browser; Ctrl+C stops it.",
    )  # fmt: skip
    app.add_argument("--host", default=DEFAULT_HOST,
                     help=f"address to listen on (default: {DEFAULT_HOST}, this computer only; "
                     "0.0.0.0 lets other computers on the network connect)")  # fmt: skip
    app.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default: {DEFAULT_PORT})")
    app.add_argument("--no-open", action="store_true", help="do not open a browser window")
    app.set_defaults(func=cmd_app)


def server_command(host: str, port: int, open_browser: bool = False) -> list[str]:
    """The ``solara run`` command line for the app."""
    command = [sys.executable, "-m", "solara", "run", PAGE_MODULE, "--host", host, "--port", str(port), "--production"]
    if not open_browser:
        command.append("--no-open")
    return command


def server_env(base: dict[str, str] | None = None) -> dict[str, str]:
    """Environment for the server: no telemetry; JavaScript and CSS served locally (works offline)."""
    env = dict(os.environ if base is None else base)
    for var in ("VSCODE_PID", "VSCODE_CWD"):  # Solara turns its local asset proxy off under VS Code
        env.pop(var, None)
    env.update({
        "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "false",
        "SOLARA_ASSETS_PROXY": "true",
        "SOLARA_THEME_SHOW_BANNER": "false",  # no "runs on Solara" badge on the projector
    })
    return env


def cmd_app(args) -> int:
    from importlib.util import find_spec

    from ..cli import CliError

    if find_spec("solara") is None:
        raise CliError("the app needs Solara: pip install 'cohesion-sim[app]'")
    if not 0 < args.port < 65536:
        raise CliError(f"--port must be between 1 and 65535, got {args.port}")
    _check_port_free(args.host, args.port)
    shown = "127.0.0.1" if args.host in ("0.0.0.0", "::") else args.host
    print(f"cohesion-sim app: starting on http://{shown}:{args.port}/  (Ctrl+C to stop)", flush=True)
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print(f"  listening on {args.host}: other computers on the network can connect", flush=True)
    process = subprocess.Popen(server_command(args.host, args.port, open_browser=not args.no_open), env=server_env())
    previous = signal.signal(signal.SIGTERM, _interrupt)  # stop the server too when this process is terminated
    try:
        return process.wait()
    except KeyboardInterrupt:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        print("cohesion-sim app: stopped", file=sys.stderr)
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)


def _check_port_free(host: str, port: int) -> None:
    """One clear line (exit 2) if the address is taken, instead of uvicorn's own message and exit 3."""
    import socket

    from ..cli import CliError

    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM,
                                                             flags=socket.AI_PASSIVE)[0]  # fmt: skip
    except socket.gaierror as exc:
        raise CliError(f"--host {host}: not an address this computer can listen on ({exc.strerror})") from None
    with socket.socket(family, kind, proto) as probe:
        if os.name == "posix":  # as uvicorn does: a port in TIME_WAIT after a restart is free
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            raise CliError(f"--port {port}: {host}:{port} is already in use or not allowed ({exc.strerror}); "
                           "stop the other server or choose another port, e.g. --port 8766") from None  # fmt: skip


def _interrupt(signum, frame):
    raise KeyboardInterrupt
