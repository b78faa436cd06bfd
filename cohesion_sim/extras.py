"""Optional dependencies: which pip extra brings which module, and one clear line when one is missing.

``pip install "cohesion-sim[all]"`` installs every extra a user needs; each command checks
what it needs before it writes anything (:func:`require`), so a missing package ends in
one line naming the extra to install, never in a traceback or a half-written folder.
"""

from __future__ import annotations

from importlib.util import find_spec

#: top-level module -> the extra of pyproject.toml that installs it
EXTRA_OF = {
    "pyarrow": "sweep",
    "duckdb": "sweep",
    "SALib": "sweep",
    "scipy": "sweep",
    "dask": "dask",
    "distributed": "dask",
    "solara": "app",
    "ipyvue": "app",
    "ipyvuetify": "app",
    "altair": "app",
    "jupyterlab": "notebooks",
    "ipykernel": "notebooks",
}


class MissingExtraError(ImportError):
    """An optional dependency is not installed; the message says which extra brings it."""


def install_hint(module: str) -> str:
    extra = EXTRA_OF.get(module.split(".")[0], "all")
    return f'pip install "cohesion-sim[{extra}]"'


def missing(*modules: str) -> list[str]:
    """The modules (top-level names) that cannot be imported here, without importing them."""
    gone = []
    for name in modules:
        try:
            if find_spec(name) is None:
                gone.append(name)
        except (ImportError, ValueError):  # a broken install, or sys.modules[name] = None
            gone.append(name)
    return gone


def require(*modules: str, purpose: str) -> None:
    """Raise :class:`MissingExtraError` naming the extra if any of ``modules`` is not installed.

    ``purpose`` says what needs them, e.g. ``"--format parquet"`` or ``"cohesion-sim sweep"``.
    """
    gone = missing(*modules)
    if gone:
        raise MissingExtraError(f"{purpose} needs {', '.join(gone)}, which is not installed: {install_hint(gone[0])}")


def message_for(exc: ModuleNotFoundError) -> str | None:
    """A one-line message for an import of an optional module that failed, or None if it is not one."""
    name = (exc.name or "").split(".")[0]
    if name not in EXTRA_OF:
        return None
    return f"{name} is not installed: {install_hint(name)}"


__all__ = ["EXTRA_OF", "MissingExtraError", "install_hint", "message_for", "missing", "require"]
