"""set_context / get_context / set_seed and the package surface."""

import subprocess
import sys

import numpy as np
import pytest

import minispore as ms
from minispore import ops


def test_modes_and_defaults():
    assert ms.PYNATIVE_MODE == 1 and ms.GRAPH_MODE == 0
    assert ms.get_context("mode") == ms.PYNATIVE_MODE
    assert ms.get_context("device_target") == "CPU"
    ms.set_context(mode=ms.GRAPH_MODE)
    try:
        assert ms.get_context("mode") == 0
    finally:
        ms.set_context(mode=ms.PYNATIVE_MODE)


def test_bad_context_values_raise():
    with pytest.raises(ValueError, match="mode"):
        ms.set_context(mode=5)
    with pytest.raises(ValueError, match="CPU"):
        ms.set_context(device_target="GPU")
    with pytest.raises(ValueError, match="unknown option"):
        ms.get_context("no_such_option")


def test_set_seed_makes_draws_reproducible_and_reseeds_numpy():
    ms.set_seed(42)
    a, na = ops.randn(3, 2), np.random.rand()
    ms.set_seed(42)
    b, nb = ops.randn(3, 2), np.random.rand()
    np.testing.assert_array_equal(a.asnumpy(), b.asnumpy())
    assert na == nb
    assert ms.get_seed() == 42
    with pytest.raises(ValueError):
        ms.set_seed(-1)


def test_jit_decorator_forms_keep_semantics():
    @ms.jit
    def f(x):
        return x * 2

    g = ms.jit(lambda x: x + 1)

    @ms.jit(jit_level="O1")
    def h(x):
        return x - 1

    x = ms.Tensor([1.0, 2.0])
    np.testing.assert_allclose(f(x).asnumpy(), [2, 4])
    np.testing.assert_allclose(g(x).asnumpy(), [2, 3])
    np.testing.assert_allclose(ms.grad(lambda x: h(x).sum())(x).asnumpy(), [1, 1])


def test_public_names_exist():
    for name in ms.__all__:
        assert hasattr(ms, name), name
    for name in (
        "float16",
        "float32",
        "float64",
        "int8",
        "int16",
        "int32",
        "int64",
        "uint8",
        "bool_",
    ):
        assert getattr(ms.dtype, name) is getattr(ms, name)
    from minispore import Parameter, ParameterTuple, Tensor, nn, ops  # noqa: F401


def test_import_is_quick_and_does_not_pull_heavy_modules():
    code = (
        "import sys, time; t = time.perf_counter(); import minispore; "
        "print(time.perf_counter() - t); "
        "print(any(m.startswith(('scipy', 'torch', 'matplotlib')) for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    seconds, heavy = out.stdout.split()
    assert heavy == "False"
    # Generous bound for a loaded CI machine; benchmarks/import_time.py measures it properly.
    assert float(seconds) < 2.0
