"""Samples for the special-function primitives (`minispore/prims/special.py`)."""

from __future__ import annotations

SAMPLES: dict = {}
