"""Record MindSpore 2.10's distribution results as golden values for `test_golden.py`.

Run with real MindSpore (not part of the test suite):

    GLOG_v=3 /work/msenv/bin/python tests/nn/probability/make_golden.py

It writes `golden.json` next to this file: one entry per call, with the call spelled out as data
(distribution, constructor arguments, method, arguments) and MindSpore's result (values, shape
and dtype, or the exception's type). Samples are random: only their shape and dtype are kept.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import mindspore as ms
import mindspore.nn.probability.distribution as msd
import numpy as np
from mindspore import Tensor

ms.set_context(mode=ms.PYNATIVE_MODE, device_target="CPU")
OUT = Path(__file__).with_name("golden.json")


def py(v):
    return {"py": v}


def arr(v, dtype="float32"):
    """A NumPy array given to a constructor."""
    return {"array": v, "dtype": dtype}


def ten(v, dtype="float32"):
    """A Tensor."""
    return {"tensor": v, "dtype": dtype}


def decode(x):
    if isinstance(x, dict):
        if "py" in x:
            return x["py"]
        if "array" in x:
            return np.array(x["array"], dtype=x["dtype"])
        if "tensor" in x:
            return Tensor(np.array(x["tensor"], dtype=x["dtype"]))
        if "tuple" in x:
            return tuple(x["tuple"])
    return x


def encode_result(r):
    if isinstance(r, tuple):
        return {"tuple": [encode_result(v) for v in r]}
    a = r.asnumpy()
    values = [None if math.isnan(v) else v for v in a.astype(np.float64).ravel().tolist()]
    return {"values": values, "shape": list(a.shape), "dtype": str(r.dtype)}


# Per distribution: constructor arguments (scalar batch and a broadcast batch), values for the
# value-based methods, per-call parameters, and distribution b of kl_loss / cross_entropy.
SPECS = {
    "Normal": dict(
        init=[
            {"mean": py(3.0), "sd": py(4.0)},
            {"mean": arr([0.3, -1.0]), "sd": arr([[0.5], [2.0]])},
        ],
        values=[-1.0, 1.0, 2.5, 10.0],
        call={"mean": ten([[0.0], [1.0]]), "sd": ten([[1.0], [2.0]])},
        kl_b={"mean_b": ten([1.0]), "sd_b": ten([1.0, 1.5])},
    ),
    "Bernoulli": dict(
        init=[{"probs": py(0.3)}, {"probs": arr([0.2, 0.9])}],
        values=[-1.0, 0.0, 0.5, 1.0, 2.0],
        call={"probs1": ten([[0.2], [0.7]])},
        kl_b={"probs1_b": ten([0.5])},
    ),
    "Categorical": dict(
        init=[{"probs": arr([0.2, 0.3, 0.5])}, {"probs": arr([[0.1, 0.1, 0.8], [0.3, 0.3, 0.4]])}],
        values=[0.0, 1.0, 2.0, 3.0, -1.0, 0.5],
        values_batch=[0.0, 2.0],
        call={"probs": ten([0.6, 0.3, 0.1])},
        kl_b={"probs_b": ten([0.5, 0.25, 0.25])},
    ),
    "Poisson": dict(
        init=[{"rate": ten([[2.0], [3.5]])}, {"rate": arr([[1.0], [4.0]])}],
        values=[-1.0, 0.0, 1.0, 2.0, 5.0],
        values_batch=[0.0, 1.0, 3.0],
        call={"rate": ten([1.5])},
        kl_b={"rate_b": ten([1.0])},
    ),
    "Exponential": dict(
        init=[{"rate": py(2.0)}, {"rate": arr([0.5, 1.0, 4.0])}],
        values=[-1.0, 0.0, 0.5, 3.0],
        values_batch=[0.0, 0.5, 3.0],
        call={"rate": ten([[1.0], [3.0]])},
        kl_b={"rate_b": ten([1.5])},
    ),
    "Gamma": dict(
        init=[
            {"concentration": arr([2.0]), "rate": arr([1.5])},
            {"concentration": arr([0.5, 1.0, 3.0]), "rate": arr([[1.0], [2.0]])},
        ],
        values=[0.5, 2.0, 5.0],
        values_batch=[0.5, 2.0, 5.0],
        call={"concentration": ten([[0.5], [3.0]]), "rate": ten([1.0])},
        kl_b={"concentration_b": ten([3.0]), "rate_b": ten([1.0])},
    ),
    "Beta": dict(
        init=[
            {"concentration1": arr([2.0]), "concentration0": arr([3.0])},
            {"concentration1": arr([0.5, 4.0]), "concentration0": arr([[2.0], [1.5]])},
        ],
        values=[0.2, 0.7],
        call={"concentration1": ten([[0.5], [4.0]]), "concentration0": ten([2.0])},
        kl_b={"concentration1_b": ten([1.0]), "concentration0_b": ten([1.5])},
    ),
    "Uniform": dict(
        init=[
            {"low": py(0.0), "high": py(2.0)},
            {"low": arr([-1.0, 0.0]), "high": arr([[1.0], [3.0]])},
        ],
        values=[-1.0, 0.0, 0.5, 1.5, 2.0, 3.0],
        values_batch=[-0.5, 0.5],
        call={"low": ten([-2.0]), "high": ten([[1.0], [4.0]])},
        kl_b={"low_b": ten([-1.0, 0.5]), "high_b": ten([3.0])},
    ),
    "LogNormal": dict(
        init=[
            {"loc": py(0.3), "scale": py(0.5)},
            {"loc": arr([0.3]), "scale": arr([[0.2], [0.4]])},
        ],
        values=[-1.0, 0.0, 0.5, 1.5, 4.0],
        values_batch=[0.5, 1.5],
        call={"loc": ten([0.0]), "scale": ten([[1.0], [0.3]])},
        kl_b={"loc_b": ten([0.0]), "scale_b": ten([1.0])},
    ),
    "Geometric": dict(
        init=[{"probs": py(0.3)}, {"probs": arr([0.2, 0.5])}],
        values=[-1.0, 0.0, 1.0, 2.0, 2.5],
        values_batch=[0.0, 3.0],
        call={"probs1": ten([[0.5], [0.9]])},
        kl_b={"probs1_b": ten([0.5])},
    ),
    "Cauchy": dict(
        init=[
            {"loc": py(0.5), "scale": py(2.0)},
            {"loc": arr([0.0, 1.0]), "scale": arr([[1.0], [2.0]])},
        ],
        values=[-3.0, 0.1, 3.0],
        values_batch=[0.1, 3.0],
        call={"loc": ten([0.0]), "scale": ten([[1.0], [3.0]])},
        kl_b={"loc_b": ten([1.0]), "scale_b": ten([1.0])},
    ),
    "Logistic": dict(
        init=[
            {"loc": py(0.5), "scale": py(2.0)},
            {"loc": arr([0.0, 1.0]), "scale": arr([[1.0], [2.0]])},
        ],
        values=[-3.0, 0.1, 3.0],
        values_batch=[0.1, 3.0],
        call={"loc": ten([0.0]), "scale": ten([[1.0], [3.0]])},
        kl_b={"loc_b": ten([1.0]), "scale_b": ten([1.0])},
    ),
    "Gumbel": dict(
        init=[
            {"loc": py(0.0), "scale": py(1.0)},
            {"loc": arr([0.0, 1.0]), "scale": arr([[1.0], [2.0]])},
        ],
        values=[-1.0, 0.5, 3.0],
        values_batch=[0.5, 3.0],
        call=None,  # MindSpore's Gumbel takes no per-call parameters
        kl_b={"loc_b": ten([1.0]), "scale_b": ten([2.0])},
    ),
}

VALUE_METHODS = ["prob", "log_prob", "cdf", "log_cdf", "survival_function", "log_survival"]
STAT_METHODS = ["mean", "sd", "var", "mode", "entropy"]

# Construction and call errors: (id, dist, init, method, args, kwargs).
ERRORS = [
    ("Normal sd <= 0", "Normal", {"mean": py(0.0), "sd": py(-1.0)}, None, [], {}),
    ("Normal sd = 0", "Normal", {"mean": py(0.0), "sd": py(0.0)}, None, [], {}),
    ("Bernoulli probs > 1", "Bernoulli", {"probs": py(1.5)}, None, [], {}),
    ("Geometric probs > 1", "Geometric", {"probs": py(1.5)}, None, [], {}),
    ("Exponential rate <= 0", "Exponential", {"rate": py(-2.0)}, None, [], {}),
    ("Gamma rate <= 0", "Gamma", {"concentration": arr([1.0]), "rate": arr([-1.0])}, None, [], {}),
    ("Beta concentration <= 0", "Beta", {"concentration1": arr([0.0]), "concentration0": arr([1.0])}, None, [], {}),
    ("Uniform low >= high", "Uniform", {"low": py(2.0), "high": py(1.0)}, None, [], {}),
    ("Cauchy scale <= 0", "Cauchy", {"loc": py(0.0), "scale": py(0.0)}, None, [], {}),
    ("Categorical sum != 1", "Categorical", {"probs": arr([0.2, 0.3])}, None, [], {}),
    ("Normal dtype int", "Normal", {"mean": py(0.0), "sd": py(1.0), "dtype": {"mstype": "int32"}}, None, [], {}),
    ("Normal seed < 0", "Normal", {"mean": py(0.0), "sd": py(1.0), "seed": py(-1)}, None, [], {}),
    ("Normal missing mean", "Normal", {}, "mean", [], {}),
    ("Normal missing in log_prob", "Normal", {"mean": py(0.0)}, "log_prob", [ten([1.0])], {}),
    ("Normal value not a Tensor", "Normal", {"mean": py(0.0), "sd": py(1.0)}, "log_prob", [py(1.0)], {}),
    ("Normal param not a Tensor", "Normal", {"mean": py(0.0), "sd": py(1.0)}, "log_prob", [ten([1.0])], {"mean": py(1.0)}),
    ("Normal kl wrong dist", "Normal", {"mean": py(0.0), "sd": py(1.0)}, "kl_loss", [py("Gamma"), ten([0.0]), ten([1.0])], {}),
    ("Cauchy mean", "Cauchy", {"loc": py(0.0), "scale": py(1.0)}, "mean", [], {}),
    ("Cauchy var", "Cauchy", {"loc": py(0.0), "scale": py(1.0)}, "var", [], {}),
    ("Uniform mode", "Uniform", {"low": py(0.0), "high": py(1.0)}, "mode", [], {}),
    ("Logistic kl_loss", "Logistic", {"loc": py(0.0), "scale": py(1.0)}, "kl_loss", [py("Logistic"), ten([0.0]), ten([1.0])], {}),
    ("Normal sample shape list", "Normal", {"mean": py(0.0), "sd": py(1.0)}, "sample", [[2]], {}),
]  # fmt: skip


def build(dist, init):
    kwargs = {}
    for k, v in init.items():
        kwargs[k] = getattr(ms, v["mstype"]) if isinstance(v, dict) and "mstype" in v else decode(v)
    return getattr(msd, dist)(**kwargs)


def _sync():
    # PyNative runs operators asynchronously: flush, so that an error surfaces at its own call.
    try:
        (Tensor(np.zeros(1, np.float32)) + 1).asnumpy()
    except Exception:  # noqa: BLE001, S110 - an error already recorded by the call that caused it
        pass


def run(dist, init, method, args, kwargs):
    _sync()
    try:
        d = build(dist, init)
        if method is None:
            return {"constructed": True}
        out = getattr(d, method)(
            *[decode(a) for a in args], **{k: decode(v) for k, v in kwargs.items()}
        )
        if method == "sample":
            return {"shape": list(out.shape), "dtype": str(out.dtype)}
        return encode_result(out)
    except Exception as e:  # noqa: BLE001 - the exception's type is the recorded result
        return {"error": type(e).__name__, "message": str(e).split("\n")[0][:200]}


def cases():
    for dist, spec in SPECS.items():
        for b, init in enumerate(spec["init"]):
            tag = f"{dist}[{b}]"
            values = spec["values"] if b == 0 else spec.get("values_batch", spec["values"][:2])
            calls = [("", {})]
            if spec["call"] is not None and b == 0:
                calls.append((" per call", spec["call"]))
            for m in VALUE_METHODS:
                for label, kw in calls:
                    yield f"{tag}.{m}{label}", dist, init, m, [ten(values)], kw
            for m in STAT_METHODS:
                for label, kw in calls:
                    yield f"{tag}.{m}{label}", dist, init, m, [], kw
            for m in ("kl_loss", "cross_entropy"):
                kl_args = [py(dist)] + list(spec["kl_b"].values())
                yield f"{tag}.{m}", dist, init, m, kl_args, {}
            for shape in ([], [[2, 3]]):
                args = [{"tuple": s} for s in shape]
                yield (
                    f"{tag}.sample{tuple(shape[0]) if shape else '()'}",
                    dist,
                    init,
                    "sample",
                    args,
                    {},
                )
    yield from ERRORS


def main():
    out = []
    for cid, dist, init, method, args, kwargs in cases():
        out.append(
            {
                "id": cid,
                "dist": dist,
                "init": init,
                "method": method,
                "args": args,
                "kwargs": kwargs,
                "result": run(dist, init, method, args, kwargs),
            }
        )
    OUT.write_text(json.dumps({"mindspore": ms.__version__, "cases": out}, indent=1) + "\n")
    print(f"wrote {len(out)} cases to {OUT}")


if __name__ == "__main__":
    main()
