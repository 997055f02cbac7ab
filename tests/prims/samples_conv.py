"""Samples for the convolution and pooling primitives (`minispore/prims/conv.py`)."""

from __future__ import annotations

SAMPLES: dict = {}
