"""Record MindSpore 2.10's vmap results and errors, and two tutorial pages: golden.json.

Run with real MindSpore (the test suite never needs it)::

    GLOG_v=3 /work/msenv/bin/python tests/transforms/golden_vmap/record.py

`cases.py` defines the cases; `pages.py` holds the pages' code blocks. For each page block the
printed text or the error (type and first line) is recorded, with every tensor `ops.randn`
drew, so that the test can replay the same draws.
"""

import contextlib
import importlib
import io
import json
import os
import platform
import sys
import tempfile

import mindspore
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from cases import SHAPE_ONLY, cases, run  # noqa: E402
from pages import PAGES  # noqa: E402


def _run_page(name, blocks, skip, workdir):
    """Run the page as a module (MindSpore parses the functions' source, so they must live in a
    file); return (stdout per block, draws, index of the block that raised or None, error)."""
    lines = []
    for i, block in enumerate(blocks):
        lines.append(f"print('@@BLOCK {i}@@')")
        lines.append("pass" if i in skip else block)
    module = f"page_{name}_{len(skip)}"
    with open(os.path.join(workdir, module + ".py"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    draws = []
    original = mindspore.ops.randn

    def randn(*size, **kw):
        t = original(*size, **kw)
        draws.append({"dtype": str(t.asnumpy().dtype), "values": t.asnumpy().tolist()})
        return t

    mindspore.ops.randn = randn
    buf = io.StringIO()
    error = None
    try:
        with contextlib.redirect_stdout(buf):
            importlib.import_module(module)
    except Exception as e:  # noqa: BLE001 - the error is the recorded outcome
        error = (type(e).__name__, str(e).strip().split("\n")[0].strip())
    finally:
        mindspore.ops.randn = original
    parts = buf.getvalue().split("@@BLOCK ")[1:]
    outs = {}
    for part in parts:
        index, text = part.split("@@\n", 1)
        outs[int(index)] = text
    failed = max(outs) if error else None
    return outs, draws, failed, error


def record_pages():
    out = {}
    with tempfile.TemporaryDirectory() as workdir:
        sys.path.insert(0, workdir)
        for name, blocks in PAGES.items():
            skip, errors = set(), {}
            while True:
                outs, draws, failed, error = _run_page(name, blocks, skip, workdir)
                if failed is None:
                    break
                skip.add(failed)
                errors[failed] = error
            results = []
            for i in range(len(blocks)):
                r = {"stdout": outs.get(i, "")}
                if i in errors:
                    r["error"], r["message"] = errors[i]
                results.append(r)
            out[name] = {"blocks": results, "randn": draws}
    return out


def main():
    doc = {
        "versions": {
            "mindspore": mindspore.__version__,
            "numpy": np.__version__,
            "python": platform.python_version(),
        },
        "cases": {},
    }
    for name, thunk in cases(mindspore).items():
        doc["cases"][name] = run(thunk, shape_only=name in SHAPE_ONLY)
        print(name, doc["cases"][name].get("error", "ok"), file=sys.stderr)
    doc["pages"] = record_pages()
    with open(os.path.join(HERE, "golden.json"), "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
