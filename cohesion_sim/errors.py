"""The one error type users see for bad scenarios, overrides and data (kept here so the core can raise it)."""

import operator


#: Longest error message shown; a runaway message (a huge echoed value) is cut.
MAX_MESSAGE_CHARS = 4000


def one_line(text: str) -> str:
    """``text`` with every control or other unprintable character (newlines included) shown escaped, e.g. ``\\n``."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] if len(repr(ch)) > 3 else f"\\u{ord(ch):04x}"
                   for ch in text)  # fmt: skip


class ScenarioError(ValueError):
    """A scenario (file, name or override) is invalid. The message says where and what is allowed.

    The message is always one printable line: control characters are shown escaped and a
    runaway message is cut.
    """

    def __init__(self, message: str = ""):
        text = one_line(str(message))
        if len(text) > MAX_MESSAGE_CHARS:
            text = text[: MAX_MESSAGE_CHARS - 3] + "..."
        super().__init__(text)


def check_seed(seed) -> int:
    """A run's seed as an int; a ScenarioError if it is not a whole number 0 or more (the one seed check)."""
    try:
        value = int(seed.strip()) if isinstance(seed, str) else operator.index(seed)
    except (TypeError, ValueError):
        value = None
    if value is None or isinstance(seed, bool) or value < 0:
        raise ScenarioError(f"seed: must be a whole number 0 or more, got {str(seed)[:40]!r}")
    return value
