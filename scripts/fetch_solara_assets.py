#!/usr/bin/env python3
"""Fetch Solara's JavaScript/CSS for offline use: a thin wrapper of ``cohesion-sim fetch-assets``.

Kept for old instructions; the logic lives in :mod:`cohesion_sim.offline_assets`::

    python scripts/fetch_solara_assets.py [--dest DIR] [--all-variants] [--dry-run]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # a source tree that is not installed

from cohesion_sim.offline_assets import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
