"""Generate the ODD's parameter table from the scenario schema, so the docs cannot drift from the code.

``python -m cohesion_sim.docs`` rewrites the table between the markers in docs/ODD.md;
``python -m cohesion_sim.docs --check`` exits 1 if it is out of date (a test runs this).
"""

from __future__ import annotations

import sys
from pathlib import Path

from .scenario import Scenario

ODD = Path(__file__).resolve().parent.parent / "docs" / "ODD.md"
BEGIN, END = "<!-- parameters:begin -->", "<!-- parameters:end -->"


def _bounds(field) -> str:
    low = high = None
    for meta in field.metadata:
        low = getattr(meta, "ge", low)
        high = getattr(meta, "le", high)
    if low is None and high is None:
        return ""
    return f"{low:g} to {high:g}" if low is not None and high is not None else f">= {low:g}"


def parameter_table() -> str:
    rows = ["| parameter | default | range | why this default |", "|---|---|---|---|"]
    for name, field in Scenario.model_fields.items():
        bounds = _bounds(field)
        if not bounds and not isinstance(field.default, bool):
            continue  # structured inputs (schedules, agenda...) are described in the text
        default = field.default
        rows.append(f"| `{name}` | {default} | {bounds or 'true/false'} | {field.description or ''} |")
    return "\n".join(rows)


def render(text: str) -> str:
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{BEGIN}\n{parameter_table()}\n{END}{tail}"


def main(argv: list[str]) -> int:
    text = ODD.read_text(encoding="utf-8")
    new = render(text)
    if "--check" in argv:
        if new != text:
            print("docs/ODD.md parameter table is out of date: run python -m cohesion_sim.docs", file=sys.stderr)
            return 1
        return 0
    ODD.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
