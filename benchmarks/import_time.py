"""Benchmark ``import_time``: seconds to ``import minispore`` in a fresh interpreter.

``python benchmarks/import_time.py [--runs N]``. Each run starts a new Python process; the
figure is the median wall time of the import statement measured inside it, next to
``import numpy`` alone (minispore's only dependency, imported first by it) in the same run.
Target (issue 2): ``import minispore`` under 0.25 s. Prints one JSON line per row and a table.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys

_PROBE = (
    "import time, sys; t = time.perf_counter(); import {mod}; "
    "print(time.perf_counter() - t); "
    "print(int(any(m.split('.')[0] in ('scipy', 'torch', 'matplotlib') for m in sys.modules)))"
)


def measure(module: str, runs: int) -> tuple[float, bool]:
    times, heavy = [], False
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", _PROBE.format(mod=module)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        times.append(float(out[0]))
        heavy |= out[1] == "1"
    return statistics.median(times), heavy


def main(argv: list[str] | None = None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="fresh interpreters per module")
    args = parser.parse_args(argv)
    rows = []
    base, _ = measure("numpy", args.runs)
    for module in ("numpy", "minispore"):
        t, heavy = (base, False) if module == "numpy" else measure(module, args.runs)
        row = {
            "workload": "import_time",
            "impl": module,
            "median_s": round(t, 4),
            "ratio_vs_numpy": round(t / base, 2),
            "runs": args.runs,
            "pulls_heavy_modules": heavy,
        }
        if module == "minispore":
            row["target"] = {"time_s": 0.25}
            row["meets_target"] = t <= 0.25
        rows.append(row)
        print(json.dumps(row))
    print(f"\n{'impl':<10} {'median':>9} {'vs numpy':>9}  target", file=sys.stderr)
    for r in rows:
        target = (
            ("met" if r["meets_target"] else "MISSED") + " (<= 0.25 s)" if "target" in r else ""
        )
        print(
            f"{r['impl']:<10} {r['median_s']:>8.3f}s {r['ratio_vs_numpy']:>8.2f}x  {target}",
            file=sys.stderr,
        )
    return rows


if __name__ == "__main__":
    main()
