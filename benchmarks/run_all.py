"""Run every benchmark workload in one process and print one table.

``python benchmarks/run_all.py [--quick] [--json FILE] [--impl minispore,torch,autograd]``.
JSON lines go to stdout (or are appended to FILE); progress and the table go to stderr (or to
stdout when ``--json`` is given).
"""

from __future__ import annotations

import argparse
import sys

import _harness as h
import digits_epoch
import import_time
import lenet_step
import mlp_step
import regression_fit
import seed_grad

WORKLOADS = (
    "seed_grad",
    "mlp_step",
    "big_mlp_step",
    "lenet_step",
    "digits_epoch",
    "regression_fit",
    "import_time",
)


def main(argv: list[str] | None = None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    h.add_common_args(parser)
    parser.add_argument(
        "--workload",
        metavar="NAMES",
        default=",".join(WORKLOADS),
        help=f"comma-separated workloads to run (default: all of {', '.join(WORKLOADS)})",
    )
    args = parser.parse_args(argv)
    chosen = args.workload.split(",")
    unknown = set(chosen) - set(WORKLOADS)
    if unknown:
        parser.error(f"unknown workload(s): {', '.join(sorted(unknown))}")
    rows: list[dict] = []
    if "seed_grad" in chosen:
        rows += seed_grad.run(h.settings_from_args(args))
    if "mlp_step" in chosen:
        rows += mlp_step.run(h.settings_from_args(args), mlp_step.SMALL)
    if "big_mlp_step" in chosen:
        rows += mlp_step.run(h.settings_from_args(args, big=True), mlp_step.BIG)
    if "lenet_step" in chosen:
        rows += lenet_step.run(h.settings_from_args(args))
    if "digits_epoch" in chosen:  # also digits_epoch_pipeline; skipped without scikit-learn
        rows += digits_epoch.run(h.settings_from_args(args, big=True))
    if rows:
        h.print_table(rows, h.settings_from_args(args))
    if "regression_fit" in chosen:  # its own table: one row per estimator and dataset
        passed = (["--quick"] if args.quick else []) + (["--json", args.json] if args.json else [])
        rows += regression_fit.main(passed)
    if "import_time" in chosen:  # its own rows and small table: it times processes, not calls
        rows += import_time.main(["--runs", "5" if args.quick else "15"])
    return rows


if __name__ == "__main__":
    main(sys.argv[1:])
