"""`jit` on every sample of every registered primitive: capture, then a cached replay, against eager.

Random draws are checked with a reseeded generator: the capture draws what the first eager
call draws, and the replay what the second eager call draws (it draws afresh).
"""

from __future__ import annotations

from functools import partial

import numpy as np
import pytest

import minispore  # noqa: F401  (fills the registry)
import minispore.prims.random as prims_random
from minispore.core.primitive import REGISTRY
from minispore.testing import check_jit

from .samples import SAMPLES as _CORE_SAMPLES
from .samples import unpack
from .samples_conv import SAMPLES as _CONV_SAMPLES
from .samples_special import SAMPLES as _SPECIAL_SAMPLES

SAMPLES = {**_CORE_SAMPLES, **_CONV_SAMPLES, **_SPECIAL_SAMPLES}
RANDOM = {n for n, p in REGISTRY.items() if p.impl.__module__ == prims_random.__name__}


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_jit_matches_eager(name):
    prim = REGISTRY[name]
    samples = [unpack(s) for s in SAMPLES[name](np.random.default_rng(0))]
    assert samples, f"'{name}' has an empty sample list"
    failures = []
    for k, (args, params, fn, _) in enumerate(samples):
        target = fn if fn is not None else partial(prim, **params)

        def f(*xs, target=target):
            return target(*xs)

        f.__name__ = f"'{name}' sample {k}"
        try:
            check_jit(f, args, random=name in RANDOM)
        except Exception as e:  # noqa: BLE001 - every failure is reported with its sample
            shapes = ", ".join(
                f"{a.shape} {a.dtype}" if isinstance(a, np.ndarray) else repr(a) for a in args
            )
            failures.append(f"{type(e).__name__}: {e}\n  (args [{shapes}], params {params})")
    if failures:
        pytest.fail(f"{len(failures)} sample(s) of '{name}' failed:\n\n" + "\n\n".join(failures))
