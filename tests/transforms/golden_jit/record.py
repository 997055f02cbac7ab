"""Record the tutorial page's blocks (`page.py`) on MindSpore 2.10: printed text and the
outputs with fixed weights, into `golden.json` and `golden.npz`.

Run with the MindSpore environment from the repository root:
    GLOG_v=3 /work/msenv/bin/python tests/transforms/golden_jit/record.py
"""

from __future__ import annotations

import contextlib
import io
import json
import pathlib
import sys

import numpy as np

HERE = pathlib.Path(__file__).parent
sys.path.insert(0, str(HERE))

import page  # noqa: E402


def main():
    import importlib
    import tempfile

    import mindspore as ms

    texts, outputs = {}, {}
    tmp = pathlib.Path(tempfile.mkdtemp())
    sys.path.insert(0, str(tmp))
    for name, code in page.BLOCKS.items():
        ms.set_context(mode=ms.PYNATIVE_MODE)
        # MindSpore parses the source of what it compiles: each block must be a real module.
        (tmp / f"page_{name}.py").write_text(module_text(name, code))
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            mod = importlib.import_module(f"page_{name}")
        texts[name] = buf.getvalue()
        outputs[name] = mod.output.asnumpy()
        print(name, outputs[name].shape, outputs[name][:2, :3], file=sys.stderr)
    ms.set_context(mode=ms.PYNATIVE_MODE)
    (HERE / "golden.json").write_text(
        json.dumps({"mindspore": ms.__version__, "printed": texts}, indent=1) + "\n"
    )
    np.savez(HERE / "golden.npz", **outputs)


def module_text(name, code):
    """The block, then its second run with fixed weights (which prints nothing)."""
    return (
        code
        + f"\nimport sys\nsys.path.insert(0, {str(HERE)!r})\nimport page as _page\n"
        + "WEIGHTS = _page.weights()\ninput2 = Tensor(_page.second_input())\n"
        + page.FIXED_NETWORK
        + "\n"
        + page.AGAIN[name]
    )


if __name__ == "__main__":
    main()
