"""Run golden cases with ``mindspore`` aliased to ``minispore`` (no MindSpore needed).

Usage::

    python tests/golden/run_cases.py [CASE ...]                 # print outputs
    python tests/golden/run_cases.py --json OUT.json [CASE ...]  # machine-readable (used by test_golden.py)

``CASE`` is a case file stem or a substring of one (``003`` or ``003_seed_grad``); with no CASE
every ``cases/*.py`` is run.  Options:

* ``--dir cases_divergent``   run the cases of another folder.
* ``--target NAME``           package that ``mindspore`` resolves to (default ``minispore``; pass
  ``mindspore`` to run the cases against real MindSpore, which is how the harness itself is checked).
* ``--timeout S``             per-case limit in seconds (default 60).

How a case runs: this process imports the target package and numpy once, installs an import hook
so that ``import mindspore``, ``import mindspore.nn as nn``, ``from mindspore import ops`` and
``from mindspore.common.initializer import One`` give ``minispore``, ``minispore.nn``, ...; then
every case runs in its own ``os.fork()``-ed child (fresh globals, fresh copy of all module state,
numpy's global RNG untouched) with stdout captured.  Where ``fork`` is unavailable each case runs in
a fresh subprocess instead.
"""

import argparse
import importlib
import importlib.abc
import importlib.util
import io
import json
import os
import sys
import tempfile
import time
import traceback
import types

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))


class _AliasLoader(importlib.abc.Loader):
    def __init__(self, real_name):
        self.real_name = real_name
        self.real_spec = None

    def create_module(self, spec):
        module = importlib.import_module(self.real_name)
        self.real_spec = module.__spec__
        return module

    def exec_module(self, module):
        # The import system has just set __spec__ to the alias spec; put the real one back so the
        # target's own (relative) imports are unaffected.  Nothing else needs executing.
        module.__spec__ = self.real_spec


class AliasFinder(importlib.abc.MetaPathFinder):
    """Resolve ``alias`` and ``alias.sub.mod`` to ``target`` and ``target.sub.mod``."""

    def __init__(self, alias, target):
        self.alias = alias
        self.target = target

    def find_spec(self, fullname, path=None, target=None):
        if fullname != self.alias and not fullname.startswith(self.alias + "."):
            return None
        real_name = self.target + fullname[len(self.alias) :]
        real_spec = importlib.util.find_spec(real_name)
        if real_spec is None:
            return None
        return importlib.util.spec_from_loader(
            fullname,
            _AliasLoader(real_name),
            is_package=real_spec.submodule_search_locations is not None,
        )


def install_alias(target):
    """Make ``mindspore[.x.y]`` import as ``target[.x.y]`` (no-op when target is mindspore)."""
    if target == "mindspore":
        return
    if REPO not in sys.path:
        sys.path.insert(0, REPO)
    sys.meta_path.insert(0, AliasFinder("mindspore", target))


def run_source(path):
    """Execute one case file in fresh globals; return (stdout, error_text or None)."""
    with open(path, encoding="utf-8") as f:
        src = f.read()
    out, err = io.StringIO(), io.StringIO()
    old = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    error = None
    try:
        code = compile(src, path, "exec")
        # Run as a real __main__ module (as `python case.py` would), so that tools that look
        # functions' globals up through sys.modules / inspect.getmodule see the case's names.
        main_mod = types.ModuleType("__main__")
        main_mod.__file__ = path
        main_mod.__builtins__ = __builtins__
        sys.modules["__main__"] = main_mod
        exec(code, main_mod.__dict__)
    except BaseException:  # noqa: BLE001 - report everything, including SystemExit
        error = traceback.format_exc()
    finally:
        try:
            sys.stdout.flush()
        except Exception:
            pass
        sys.stdout, sys.stderr = old
    return out.getvalue(), error, err.getvalue()


def _child_run(path, result_file, target):
    try:
        stdout, error, stderr = run_source(path)
        res = {"stdout": stdout, "error": error, "stderr": stderr[-5000:], "timeout": False}
    except BaseException:
        res = {"stdout": "", "error": traceback.format_exc(), "stderr": "", "timeout": False}
    with open(result_file, "w", encoding="utf-8") as f:
        json.dump(res, f)


def run_forked(path, target, timeout):
    fd, result_file = tempfile.mkstemp(suffix=".json")
    os.close(fd)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # child
            code = 0
            try:
                _child_run(path, result_file, target)
            except BaseException:
                code = 1
            finally:
                os._exit(code)
        deadline = time.monotonic() + timeout
        status = None
        delay = 0.001
        while True:
            wpid, status = os.waitpid(pid, os.WNOHANG)
            if wpid:
                break
            if time.monotonic() > deadline:
                os.kill(pid, 9)
                os.waitpid(pid, 0)
                return {
                    "stdout": "",
                    "error": f"TIMEOUT after {timeout}s",
                    "stderr": "",
                    "timeout": True,
                }
            time.sleep(delay)
            delay = min(delay * 2, 0.02)
        try:
            with open(result_file, encoding="utf-8") as f:
                return json.load(f)
        except Exception:
            return {
                "stdout": "",
                "error": f"case process died (wait status {status!r})",
                "stderr": "",
                "timeout": False,
            }
    finally:
        try:
            os.unlink(result_file)
        except OSError:
            pass


def run_subprocess(path, target, timeout):
    import subprocess

    fd, result_file = tempfile.mkstemp(suffix=".json")
    os.close(fd)
    try:
        try:
            subprocess.run(
                [
                    sys.executable,
                    os.path.abspath(__file__),
                    "--single",
                    path,
                    result_file,
                    "--target",
                    target,
                ],
                timeout=timeout,
                capture_output=True,
            )
        except subprocess.TimeoutExpired:
            return {
                "stdout": "",
                "error": f"TIMEOUT after {timeout}s",
                "stderr": "",
                "timeout": True,
            }
        try:
            with open(result_file, encoding="utf-8") as f:
                return json.load(f)
        except Exception:
            return {"stdout": "", "error": "case process died", "stderr": "", "timeout": False}
    finally:
        os.unlink(result_file)


def select_cases(folder, patterns):
    d = os.path.join(HERE, folder)
    names = sorted(fn[:-3] for fn in os.listdir(d) if fn.endswith(".py"))
    if patterns:
        names = [n for n in names if any(p in n for p in patterns)]
    return [(n, os.path.join(d, n + ".py")) for n in names]


def main(argv=None):
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("cases", nargs="*")
    ap.add_argument("--dir", default="cases")
    ap.add_argument("--target", default=os.environ.get("GOLDEN_TARGET", "minispore"))
    ap.add_argument("--json")
    ap.add_argument("--timeout", type=float, default=60.0)
    ap.add_argument(
        "--single", nargs=2, metavar=("CASE_PATH", "RESULT_JSON"), help=argparse.SUPPRESS
    )
    a = ap.parse_args(argv)

    os.environ.setdefault("GLOG_v", "3")
    if REPO not in sys.path:
        sys.path.insert(0, REPO)
    try:
        install_alias(a.target)
        import numpy  # noqa: F401  (pre-import so children start fast)

        importlib.import_module("mindspore")
    except BaseException:
        tb = traceback.format_exc()
        cases = select_cases(a.dir, a.cases) if not a.single else []
        results = {
            n: {
                "stdout": "",
                "error": f"could not import {a.target!r}:\n{tb}",
                "stderr": "",
                "timeout": False,
            }
            for n, _ in cases
        }
        if a.single:
            with open(a.single[1], "w", encoding="utf-8") as f:
                json.dump({"stdout": "", "error": tb, "stderr": "", "timeout": False}, f)
            return 0
        return _emit(a, results)

    if a.single:
        _child_run(a.single[0], a.single[1], a.target)
        return 0

    runner = run_forked if hasattr(os, "fork") else run_subprocess
    results = {}
    cwd = os.getcwd()
    with tempfile.TemporaryDirectory() as tmp:
        os.chdir(tmp)  # cases must not litter the repo
        try:
            for name, path in select_cases(a.dir, a.cases):
                results[name] = runner(path, a.target, a.timeout)
        finally:
            os.chdir(cwd)
    return _emit(a, results)


def _emit(a, results):
    if a.json:
        with open(a.json, "w", encoding="utf-8") as f:
            json.dump(results, f)
        return 0
    for name, r in results.items():
        print("=" * 20, name)
        sys.stdout.write(r["stdout"])
        if r["error"]:
            print("-" * 8, "ERROR")
            print(r["error"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
