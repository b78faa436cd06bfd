"""The one error type users see for bad scenarios, overrides and data (kept here so the core can raise it)."""

import operator


class ScenarioError(ValueError):
    """A scenario (file, name or override) is invalid. The message says where and what is allowed."""


def check_seed(seed) -> int:
    """A run's seed as an int; a ScenarioError if it is not a whole number 0 or more (the one seed check)."""
    try:
        value = int(seed.strip()) if isinstance(seed, str) else operator.index(seed)
    except (TypeError, ValueError):
        value = None
    if value is None or isinstance(seed, bool) or value < 0:
        raise ScenarioError(f"seed: must be a whole number 0 or more, got {str(seed)[:40]!r}")
    return value
