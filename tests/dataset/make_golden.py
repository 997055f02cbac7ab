"""Records MindSpore 2.10's dataset behaviour into `golden.json`: for every case of `cases.py`,
the columns, sizes, shapes, dtypes and rows of the pipelines, the outputs of the transforms,
and the type and message of the errors.

Run with the MindSpore venv from the repository root (never by the test suite):
    GLOG_v=3 /work/msenv/bin/python tests/dataset/make_golden.py
"""

import json
import os
import pathlib
import sys
import tempfile

import mindspore as ms
import mindspore.dataset as ds
import numpy as np

HERE = pathlib.Path(__file__).parent
sys.path.insert(0, str(HERE))

from cases import ERRORS, PIPELINES, TRANSFORMS  # noqa: E402


def array(a, full=False):
    """An array's dtype, shape and values; large numeric arrays keep a digest: the sum, the sum
    of squares and the first 20 values (all the tests compare)."""
    a = np.asarray(a)
    out = {"dtype": str(a.dtype), "shape": list(a.shape)}
    if a.size > 200 and a.dtype.kind in "biuf" and not full:
        wide = a.astype(np.float64)
        out["digest"] = [float(wide.sum()), float((wide * wide).sum()), wide.ravel()[:20].tolist()]
    else:
        out["value"] = a.tolist()
    return out


def pipeline(dataset):
    out = {"columns": dataset.get_col_names(), "size": dataset.get_dataset_size()}
    out["batch_size"] = dataset.get_batch_size()
    out["repeat_count"] = dataset.get_repeat_count()
    out["rows"] = [
        [array(c) for c in row] for row in dataset.create_tuple_iterator(output_numpy=True)
    ]
    if out["rows"]:
        out["output_shapes"] = dataset.output_shapes()
        out["output_types"] = [str(t) for t in dataset.output_types()]
        first = next(dataset.create_tuple_iterator())
        out["tensor_dtypes"] = [str(getattr(t, "dtype", type(t).__name__)) for t in first]
    return out


def error_message(exc, tmp):
    """The message without MindSpore's banners and C++ stack, with the scratch folder as <tmp>."""
    msg = str(exc).replace(tmp, "<tmp>")
    msg = msg.split("- C++ Call Stack")[0]
    lines = [ln for ln in msg.splitlines() if ln.strip() and not set(ln.strip()) <= set("-")]
    return "\n".join(ln for ln in lines if "Dataset Pipeline Error Message" not in ln)[:1500]


def main():
    golden = {"mindspore": ms.__version__, "pipelines": {}, "transforms": {}, "errors": {}}
    with tempfile.TemporaryDirectory() as tmp:
        for name, build in PIPELINES.items():
            golden["pipelines"][name] = pipeline(build(ds, ms, tmp))
        for name, (make, x) in TRANSFORMS.items():
            out = make(ds, ms)(x)
            golden["transforms"][name] = {"input": array(x, True), "output": array(out, True)}
        for name, (run, phrase) in ERRORS.items():
            try:
                run(ds, ms, tmp)
            except Exception as exc:  # noqa: BLE001
                golden["errors"][name] = {
                    "type": type(exc).__name__,
                    "message": error_message(exc, tmp),
                    "phrase": phrase,
                }
            else:
                golden["errors"][name] = {"type": None, "message": "", "phrase": phrase}
    with open(HERE / "golden.json", "w") as f:  # one case per line
        f.write(f'{{"mindspore": {json.dumps(golden["mindspore"])},\n')
        for k, section in enumerate(("errors", "pipelines", "transforms")):
            f.write(f' "{section}": {{\n')
            cases = sorted(golden[section].items())
            for i, (name, case) in enumerate(cases):
                sep = "," if i < len(cases) - 1 else ""
                f.write(f"  {json.dumps(name)}: {json.dumps(case, sort_keys=True)}{sep}\n")
            f.write(" }" + ("," if k < 2 else "") + "\n")
        f.write("}\n")


if __name__ == "__main__":
    os.environ.setdefault("GLOG_v", "3")
    main()
