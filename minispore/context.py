"""Global settings: `set_context`/`get_context`, execution modes and the random seed (layer 4)."""

from __future__ import annotations

import sys

import numpy as np

from minispore.prims import random as _random
from minispore.transforms.jit import jit

__all__ = [
    "COMPATIBLE",
    "GRAPH_MODE",
    "LAX",
    "PYNATIVE_MODE",
    "STRICT",
    "get_context",
    "get_seed",
    "jit",
    "set_context",
    "set_seed",
]

GRAPH_MODE = 0
PYNATIVE_MODE = 1
STRICT = 2  # jit_syntax_level values, accepted for compatibility
COMPATIBLE = 1
LAX = 0

_context = {
    "mode": PYNATIVE_MODE,
    "device_target": "CPU",
    "device_id": 0,
    "jit_syntax_level": STRICT,
    "max_call_depth": 1000,
    "save_graphs": False,
    "pynative_synchronize": False,
    "deterministic": "OFF",
}
_seed = {"value": None}


def set_context(**kwargs):
    """Set global options. `mode` is `PYNATIVE_MODE` (1, default) or `GRAPH_MODE` (0);
    `device_target` accepts 'CPU' (and 'GPU'/'Ascend' are refused with a clear error). Other
    MindSpore options are stored and returned by `get_context` but change nothing here."""
    for key, val in kwargs.items():
        if key == "mode" and val not in (GRAPH_MODE, PYNATIVE_MODE):
            raise ValueError(
                f"For 'set_context', 'mode' must be mindspore.GRAPH_MODE (0) or "
                f"mindspore.PYNATIVE_MODE (1), but got {val!r}"
            )
        if key == "device_target":
            if not isinstance(val, str) or val.upper() not in ("CPU", "GPU", "ASCEND"):
                raise ValueError(
                    f"For 'set_context', 'device_target' must be 'CPU', 'GPU' or 'Ascend', got {val!r}"
                )
            if val.upper() != "CPU":
                raise ValueError(
                    f"minispore runs on the CPU only; device_target={val!r} is not available"
                )
            val = "CPU"
        _context[key] = val


def get_context(attr_key):
    """Return one option set by `set_context` (e.g. `get_context("mode")` -> 1)."""
    if attr_key not in _context:
        raise ValueError(
            f"For 'get_context', unknown option {attr_key!r}; known: {sorted(_context)}"
        )
    return _context[attr_key]


def set_seed(seed):
    """Seed minispore's random generator and NumPy's global one (as MindSpore does)."""
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValueError(f"For 'set_seed', 'seed' must be a non-negative int, but got {seed!r}")
    _seed["value"] = seed
    np.random.seed(seed % 2**32)
    _random.seed_generator(seed)
    # Dataset pipelines are seeded too, as mindspore.set_seed does; a pipeline module loaded
    # later reads the seed from get_seed() instead.
    config = sys.modules.get("minispore.dataset.config")
    if config is not None:
        config._global_seed_set(seed)


def get_seed():
    """The seed given to `set_seed`, or None."""
    return _seed["value"]
