"""Benchmark ``regression_fit``: the fit time of each minispore.regression estimator beside
scikit-learn's in the same run, on the diabetes and breast-cancer data and a 100,000 x 50 problem.

Each workload is one estimator on one dataset with default settings (a few hyper-parameters fixed
below). scikit-learn is the reference: minispore's coefficients are checked against its before
anything is timed (within 5e-2 of the largest coefficient, since both stop at their default
tolerances; the tests check 1e-6 at tight tolerances; for l1-penalised logistic regression, where
saga stops far from the optimum, minispore's objective value must be no worse than
scikit-learn's), then both are timed interleaved (the harness's rounds), and the ratio
minispore / scikit-learn is reported. Target: <= 3x.
Peak memory is not measured (scikit-learn allocates in compiled code). Run
``python benchmarks/regression_fit.py [--quick] [--json FILE] [--only NAMES] [--dataset NAMES]``.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import _harness as h
import numpy as np

TARGET = {"time_ratio": 3.0}
RTOL = 5e-2
N_BIG, P_BIG = 100_000, 50


# --------------------------------------------------------------------------------------------
# Data.


def datasets(names: set[str]) -> dict[str, dict[str, np.ndarray]]:
    """Regression and classification versions of each dataset (X, y, labels)."""
    from sklearn.datasets import load_breast_cancer, load_diabetes

    out = {}
    if "diabetes" in names:
        X, y = load_diabetes(return_X_y=True)
        out["diabetes"] = {"X": X, "y": y, "labels": (y > np.median(y)).astype(float)}
    if "cancer" in names:
        X, labels = load_breast_cancer(return_X_y=True)
        X = (X - X.mean(axis=0)) / X.std(axis=0)
        out["cancer"] = {"X": X, "y": labels.astype(float), "labels": labels.astype(float)}
    if "synthetic" in names:
        rng = np.random.default_rng(0)
        X = rng.standard_normal((N_BIG, P_BIG))
        w = rng.standard_normal(P_BIG)
        z = X @ w
        y = z + rng.standard_normal(N_BIG)
        labels = (0.3 * z + rng.logistic(size=N_BIG) > 0).astype(float)
        out["synthetic"] = {"X": X, "y": y, "labels": labels}
    return out


# --------------------------------------------------------------------------------------------
# The estimator pairs: (name, build minispore's, build scikit-learn's, target kind, columns).


@dataclass
class Pair:
    name: str
    ours: Callable[[], object]
    theirs: Callable[[], object]
    target: str = "y"  # "y" (regression) or "labels"
    columns: int | None = None  # use only the first columns (polynomial, stepwise on big data)
    big_columns: int | None = None
    # When set, verification compares objective values (minispore's must be no worse) instead
    # of coefficients: for problems where the default tolerances leave the coefficients apart.
    objective: Callable | None = None


def _sk_logistic(**kw):
    from sklearn.linear_model import LogisticRegression

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        return LogisticRegression(**kw)


def _pairs() -> list[Pair]:
    from sklearn import linear_model as lm
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import PolynomialFeatures

    import minispore.regression as R

    return [
        Pair("LinearRegression", R.LinearRegression, lm.LinearRegression),
        Pair("Ridge", lambda: R.Ridge(alpha=1.0), lambda: lm.Ridge(alpha=1.0)),
        Pair("Lasso", lambda: R.Lasso(alpha=0.01), lambda: lm.Lasso(alpha=0.01)),
        Pair(
            "ElasticNet",
            lambda: R.ElasticNet(alpha=0.01, l1_ratio=0.5),
            lambda: lm.ElasticNet(alpha=0.01, l1_ratio=0.5),
        ),
        Pair(
            "PolynomialRegression",
            lambda: R.PolynomialRegression(degree=2, alpha=1.0),
            lambda: make_pipeline(PolynomialFeatures(2, include_bias=False), lm.Ridge(alpha=1.0)),
            big_columns=10,
        ),
        Pair(
            "LogisticRegression",
            R.LogisticRegression,
            lambda: _sk_logistic(),
            target="labels",
        ),
        Pair(
            "LogisticRegression-l1",
            lambda: R.LogisticRegression("l1", C=1.0),
            # saga's default max_iter=100 stops far from its tol on these data
            lambda: _sk_logistic(C=1.0, l1_ratio=1.0, solver="saga", max_iter=10_000),
            target="labels",
            objective=_l1_logistic_objective,
        ),
        Pair(
            "StepwiseRegression",
            lambda: R.StepwiseRegression("forward", "aic"),
            lambda: SklearnForwardAIC(),
            big_columns=10,
        ),
    ]


def _l1_logistic_objective(result, X, y) -> float:
    """C * sum(logloss) + ||coef||_1 with C = 1, scikit-learn's l1 objective."""
    z = X @ result["coef"] + result["intercept"][0]
    return float(np.sum(np.logaddexp(0.0, z) - y * z) + np.abs(result["coef"]).sum())


class SklearnForwardAIC:
    """The same forward selection by AIC, each candidate fitted by scikit-learn's
    LinearRegression (scikit-learn has no stepwise selection by an information criterion)."""

    def fit(self, X, y):
        from sklearn.linear_model import LinearRegression

        n = len(y)

        def aic(cols):
            if cols:
                resid = y - LinearRegression().fit(X[:, cols], y).predict(X[:, cols])
            else:
                resid = y - y.mean()
            llf = -0.5 * n * (np.log(2 * np.pi) + np.log(resid @ resid / n) + 1)
            return -2 * llf + 2 * (len(cols) + 1)

        selected, current = [], aic([])
        while len(selected) < X.shape[1]:
            scores = {j: aic(selected + [j]) for j in range(X.shape[1]) if j not in selected}
            best = min(scores, key=scores.get)
            if scores[best] >= current:
                break
            selected.append(best)
            current = scores[best]
        self.selected_ = selected
        return self


def _result(est) -> dict[str, np.ndarray]:
    """What is compared: coefficients and intercepts, or the selected columns."""
    if hasattr(est, "selected_"):
        return {"selected": np.array(est.selected_, dtype=float)}
    if hasattr(est, "steps"):  # a scikit-learn pipeline
        est = est.steps[-1][1]
    return {"coef": np.ravel(est.coef_), "intercept": np.ravel(est.intercept_)}


def _impl(name: str, version: str, build, X, y, pool: str = "numpy") -> h.Impl:
    est = build()

    def call():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # default tolerances may warn; timing is the point
            return est.fit(X, y)

    return h.Impl(name, version, call, lambda: _result(call()), memory=False, pool=pool)


# --------------------------------------------------------------------------------------------
# Running and reporting.


def run_pair(pair: Pair, dataset: str, data: dict, settings: h.Settings) -> list[dict]:
    import sklearn

    import minispore

    X = data["X"]
    cols = pair.big_columns if dataset == "synthetic" else pair.columns
    if cols is not None:
        X = np.ascontiguousarray(X[:, :cols])
    y = data[pair.target]
    workload = f"fit {pair.name} {dataset}"
    h.log(f"== {workload}: X {X.shape}")
    impls = [
        _impl("sklearn", sklearn.__version__, pair.theirs, X, y),
        _impl("minispore", h.minispore_version(minispore), pair.ours, X, y),
    ]
    rows = []
    ref = impls[0].first()
    verified = [impls[0]]
    try:
        got = impls[1].first()
        if pair.objective is not None:
            ours, theirs = pair.objective(got, X, y), pair.objective(ref, X, y)
            h.log(f"   objective: minispore {ours:.10g}, scikit-learn {theirs:.10g}")
            worse = ours > theirs + 1e-6 * abs(theirs)
            problems = [f"minispore's objective {ours:.10g} > {theirs:.10g}"] if worse else []
        else:
            problems = [
                p.replace("the NumPy floor", "scikit-learn")
                for p in h.compare("minispore", got, ref, RTOL)
            ]
    except Exception as exc:  # noqa: BLE001 - reported in the row
        problems = [f"first call failed: {type(exc).__name__}: {exc}"]
    if problems:
        for p in problems:
            h.log(f"   {p}")
        rows.append(
            h._row(workload, "minispore", impls[1].version, settings, "wrong", "; ".join(problems))
        )
    else:
        verified.append(impls[1])
    if settings.wait_quiet_s > 0:
        h.wait_quiet(settings.wait_quiet_s)
    monitor = h.CpuMonitor()
    timings = h.time_interleaved(verified, settings)
    others, steal = monitor.shares()
    noisy = others is not None and others + (steal or 0) > h.NOISY_SHARE
    base = None
    for impl in verified:
        t = timings[impl.name]
        if isinstance(t, Exception):
            rows.append(h._row(workload, impl.name, impl.version, settings, "failed", str(t)))
            continue
        row = h._row(workload, impl.name, impl.version, settings, "ok")
        paired = t.pop("paired_ratio", None)
        row.update(t)
        row.update({"estimator": pair.name, "dataset": dataset, "shape": list(X.shape)})
        row.update({"others_cpu": others, "steal_cpu": steal, "noisy": noisy})
        if impl.name == "sklearn":
            base = row
        else:
            row["ratio_vs_sklearn"] = row["median_us"] / base["median_us"]
            if paired is not None:
                row["paired_ratio_vs_sklearn"] = paired
            row["target"] = TARGET
            row["meets_target"] = row["ratio_vs_sklearn"] <= TARGET["time_ratio"]
        h.log(f"   {impl.name:<10} median {h._fmt_us(row['median_us'])}")
        rows.append(row)
    h.emit(rows, settings)
    return rows


def format_table(rows: list[dict]) -> str:
    by_key: dict[tuple[str, str], dict[str, dict]] = {}
    for r in rows:
        name, data = r["workload"].split()[1:]
        by_key.setdefault((name, data), {})[r["impl"]] = r
    header = ["estimator", "dataset", "scikit-learn", "minispore", "ratio", "paired", "target"]
    lines = [header]
    for (name, data), impls in by_key.items():
        sk, ms = impls.get("sklearn"), impls.get("minispore")
        if ms is None or ms.get("status") != "ok":
            status = (ms or {}).get("status", "missing").upper()
            lines.append([name, data, h._fmt_us(sk["median_us"]) if sk else "", status, "", "", ""])
            continue
        verdict = ("met" if ms["meets_target"] else "MISSED") + ("*" if ms.get("noisy") else "")
        lines.append(
            [
                name,
                data,
                h._fmt_us(sk["median_us"]),
                h._fmt_us(ms["median_us"]),
                f"{ms['ratio_vs_sklearn']:.2f}x",
                f"{ms.get('paired_ratio_vs_sklearn', float('nan')):.2f}x",
                f"{verdict} (<= {TARGET['time_ratio']:g}x)",
            ]
        )
    widths = [max(len(str(line[i])) for line in lines) for i in range(len(header))]
    out = []
    for k, line in enumerate(lines):
        out.append("  ".join(str(c).ljust(w) for c, w in zip(line, widths)).rstrip())
        if k == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)


def main(argv: list[str] | None = None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    h.add_common_args(parser)
    parser.add_argument("--only", metavar="NAMES", help="comma-separated estimator names")
    parser.add_argument(
        "--dataset",
        metavar="NAMES",
        default="diabetes,cancer,synthetic",
        help="comma-separated datasets (diabetes, cancer, synthetic)",
    )
    args = parser.parse_args(argv)
    try:
        import sklearn  # noqa: F401
    except ImportError:
        h.log("regression_fit: scikit-learn is not installed; nothing to compare with")
        return []
    names = set(args.dataset.split(","))
    data = datasets(names)
    pairs = _pairs()
    if args.only:
        wanted = set(args.only.split(","))
        pairs = [p for p in pairs if p.name in wanted]
    rows: list[dict] = []
    for dataset in ("diabetes", "cancer", "synthetic"):
        if dataset not in data:
            continue
        settings = h.settings_from_args(args, big=dataset == "synthetic")
        for pair in pairs:
            rows += run_pair(pair, dataset, data[dataset], settings)
    stream = sys.stdout if args.json else sys.stderr
    print("\n" + format_table(rows), file=stream, flush=True)
    if any(r.get("noisy") for r in rows):
        print("* other processes used the CPU while this was timed: noisy.", file=stream)
    return rows


if __name__ == "__main__":
    main(sys.argv[1:])
