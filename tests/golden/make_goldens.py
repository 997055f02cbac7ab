"""Record golden outputs from real MindSpore.

Usage (from anywhere; paths are relative to this file)::

    /work/msenv/bin/python tests/golden/make_goldens.py [--python PATH] [--jobs N] [--only SUBSTR ...]

* ``--python PATH``  interpreter that has real MindSpore installed (default: the
  interpreter running this script, i.e. ``/work/msenv/bin/python``).
* ``--jobs N``       run N cases in parallel (default 2).
* ``--only SUBSTR``  only (re)record cases whose file name contains SUBSTR
  (may be repeated); signatures.json is then left alone unless ``--signatures``
  is also given.

What it does:

1. Every ``cases/NNN_name.py`` is run under real MindSpore in its own
   subprocess (``PATH case.py``, cwd = a temp dir, ``GLOG_v=3`` and friends to
   silence MindSpore's C++ logging).  Its stdout, with any MindSpore log lines
   (``[WARNING] ME(...)`` etc.) removed, is written to ``expected/NNN_name.out``.
   Cases in ``cases_divergent/`` (MindSpore 2.10 behaviour that minispore
   deliberately does not copy) are recorded the same way into
   ``expected_divergent/`` for documentation only.
2. ``expected/signatures.json`` gets ``inspect.signature`` of the public API
   minispore mirrors (names, kinds, defaults as repr).
3. ``expected/VERSIONS.txt`` records the MindSpore / numpy / Python versions.

A case that exits non-zero (an uncaught exception inside MindSpore) is
reported on stderr and makes this script exit 1; its (partial) stdout is still
written so the failure can be inspected.
"""

import argparse
import concurrent.futures
import json
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))

# MindSpore C++ log lines look like
#   [WARNING] ME(12345:1403,MainProcess):2025-01-01-00:00:00.000.000 [file.cc:12] msg
#   [WARNING] CORE(...)... / [ERROR] PIPELINE(...) ...
LOG_LINE = re.compile(r"^\[(WARNING|INFO|DEBUG|ERROR|CRITICAL)\] [A-Z_]+\(\d+")

ENV_EXTRA = {
    "GLOG_v": "3",  # ERROR and above only
    "GLOG_logtostderr": "1",  # never write log files
    "GLOG_stderrthreshold": "3",
    "MS_SUBMODULE_LOG_v": "{}",
    "PYTHONHASHSEED": "0",
    "PYTHONIOENCODING": "utf-8",
    "PYTHONWARNINGS": "ignore",
    "OMP_NUM_THREADS": "1",  # deterministic, and no oversubscription with --jobs
}

# The public API whose signatures minispore must mirror.
SIG_TARGETS = {
    "mindspore": [
        "grad",
        "value_and_grad",
        "jvp",
        "vjp",
        "jacfwd",
        "jacrev",
        "vmap",
        "get_grad",
        "set_seed",
        "get_seed",
        "set_context",
        "get_context",
        "jit",
        "tensor",
        "Tensor",
        "Parameter",
        "ParameterTuple",
    ],
    "mindspore.ops": """
        ones zeros full arange linspace eye ones_like zeros_like
        add sub mul div neg pow exp log log1p expm1 sqrt rsqrt square abs sign
        sin cos tan tanh sigmoid relu gelu softplus maximum minimum clamp clip where erf
        sum mean prod max min argmax argmin logsumexp var std norm
        reshape transpose permute swapaxes expand_dims unsqueeze squeeze flatten
        broadcast_to tile concat cat stack split chunk gather index_select masked_fill
        one_hot pad matmul dot outer bmm dense inverse inv det solve cholesky cast
        binary_cross_entropy_with_logits binary_cross_entropy cross_entropy nll_loss
        mse_loss l1_loss smooth_l1_loss kl_div softmax log_softmax stop_gradient
        grad value_and_grad jvp vjp jacfwd jacrev vmap assign randn
    """.split(),
    "mindspore.nn": ["BCEWithLogitsLoss", "Cell"],
}

# Run under the MindSpore interpreter; prints JSON on stdout.
SIG_SCRIPT = r'''
import importlib, inspect, json, sys
targets = json.loads(sys.argv[1])


def mindspore_tensor():
    import mindspore
    return mindspore.tensor


def sig_of(obj):
    """Functions: inspect.signature.  Classes: the Python-level __init__ minus
    self if the class has one, else inspect.signature(cls).  (The test applies
    the same rule to minispore.)"""
    if inspect.isclass(obj):
        init = obj.__init__
        if inspect.isfunction(init):
            s = inspect.signature(init)
            return s.replace(parameters=list(s.parameters.values())[1:]), "__init__"
        return inspect.signature(obj), "class"
    return inspect.signature(obj), "function"

out = {}
for modname, names in targets.items():
    mod = importlib.import_module(modname)
    for n in names:
        key = modname + "." + n
        obj = getattr(mod, n, None)
        if obj is None:
            out[key] = {"missing": True}
            continue
        via = None
        try:
            s, how = sig_of(obj)
        except (ValueError, TypeError):
            if key == "mindspore.Tensor":
                # Tensor is a C++ builtin type with no signature; mindspore.tensor
                # documents the same parameters as Tensor(...).
                s, how = inspect.signature(mindspore_tensor()), "function"
                via = "mindspore.tensor"
            else:
                out[key] = {"unavailable": True}
                continue
        params = []
        for p in s.parameters.values():
            d = {"name": p.name, "kind": p.kind.name}
            if p.default is not inspect.Parameter.empty:
                d["default"] = repr(p.default)
            params.append(d)
        entry = {"text": str(s), "how": how, "params": params}
        if via:
            entry["via"] = via
        out[key] = entry

print(json.dumps(out, indent=1, sort_keys=True))
'''

VERSION_SCRIPT = r"""
import sys, numpy, mindspore
print("mindspore", mindspore.__version__)
print("numpy", numpy.__version__)
print("python", sys.version.split()[0])
"""


def clean(text):
    return "".join(line for line in text.splitlines(keepends=True) if not LOG_LINE.match(line))


def run_py(python, args, cwd, timeout=600):
    env = dict(os.environ)
    env.update(ENV_EXTRA)
    return subprocess.run(
        [python] + args,
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=timeout,
    )


def record(python, case_path, out_path):
    with tempfile.TemporaryDirectory() as tmp:
        try:
            proc = run_py(python, [case_path], tmp)
        except subprocess.TimeoutExpired:
            return case_path, False, "timeout"
    out = clean(proc.stdout)
    with open(out_path, "w", encoding="utf-8", newline="\n") as f:
        f.write(out)
    if proc.returncode != 0:
        return case_path, False, clean(proc.stderr)[-3000:]
    return case_path, True, ""


def main():
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--python", default=sys.executable)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--only", action="append", default=[])
    ap.add_argument("--signatures", action="store_true", help="dump signatures even with --only")
    a = ap.parse_args()

    jobs = []
    for cdir, edir in (("cases", "expected"), ("cases_divergent", "expected_divergent")):
        cpath = os.path.join(HERE, cdir)
        epath = os.path.join(HERE, edir)
        os.makedirs(epath, exist_ok=True)
        for fn in sorted(os.listdir(cpath)):
            if not fn.endswith(".py"):
                continue
            if a.only and not any(s in fn for s in a.only):
                continue
            jobs.append((os.path.join(cpath, fn), os.path.join(epath, fn[:-3] + ".out")))

    failed = []
    with concurrent.futures.ThreadPoolExecutor(max(1, a.jobs)) as ex:
        for case, ok, err in ex.map(lambda j: record(a.python, *j), jobs):
            name = os.path.relpath(case, HERE)
            print(("ok    " if ok else "FAIL  ") + name, flush=True)
            if not ok:
                failed.append((name, err))

    if not a.only or a.signatures:
        with tempfile.TemporaryDirectory() as tmp:
            proc = run_py(a.python, ["-c", SIG_SCRIPT, json.dumps(SIG_TARGETS)], tmp)
        if proc.returncode != 0:
            failed.append(("signatures.json", clean(proc.stderr)[-3000:]))
        else:
            sigs = json.loads(clean(proc.stdout))
            with open(
                os.path.join(HERE, "expected", "signatures.json"), "w", encoding="utf-8"
            ) as f:
                json.dump(sigs, f, indent=1, sort_keys=True)
                f.write("\n")
            print(f"ok    expected/signatures.json ({len(sigs)} entries)")
        with tempfile.TemporaryDirectory() as tmp:
            proc = run_py(a.python, ["-c", VERSION_SCRIPT], tmp)
        with open(os.path.join(HERE, "expected", "VERSIONS.txt"), "w", encoding="utf-8") as f:
            f.write(clean(proc.stdout))

    for name, err in failed:
        print(f"\n==== {name} failed:\n{err}", file=sys.stderr)
    recorded = len(jobs) - len([f for f in failed if f[0].endswith(".py")])
    print(f"{recorded} recorded, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
