"""A few helpers for building SVG text: the live views are plain SVG, drawn by the browser.

SVG keeps a step cheap on the server (a few milliseconds, not a matplotlib render per figure),
stays sharp on any projector, and needs no JavaScript library.
"""

from __future__ import annotations

from html import escape


def attrs(**values) -> str:
    """``stroke_width=2`` -> ``stroke-width="2"``; floats rounded to 0.1; None dropped."""
    parts = []
    for key, value in values.items():
        if value is None:
            continue
        if isinstance(value, float):
            value = f"{value:.1f}"
        parts.append(f'{key.rstrip("_").replace("_", "-")}="{escape(str(value), quote=True)}"')
    return " ".join(parts)


def tag(name: str, content: str = "", **values) -> str:
    inner = attrs(**values)
    return f"<{name} {inner}>{content}</{name}>" if content else f"<{name} {inner}/>"


def text(x: float, y: float, content: str, **values) -> str:
    return tag("text", escape(content), x=x, y=y, **values)


def svg(width: float, height: float, body: list[str], label: str) -> str:
    """A responsive SVG (scales to its container's width) with an accessible label."""
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" width="100%" '
        f'role="img" aria-label="{escape(label, quote=True)}" '
        'style="font-family: Roboto, Helvetica, Arial, sans-serif; display:block">'
    )
    return head + "".join(body) + "</svg>"
