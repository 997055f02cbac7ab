"""Printing tensors exactly as MindSpore 2.10 does: `repr` with `%.8e` floats and summarisation."""

from __future__ import annotations

import numpy as np

_EDGE = 3
_ROW_LIMIT = 6  # for ndim >= 2, an axis longer than this is summarised to 3 + 3 entries
_FLAT_LIMIT = 1000  # 1-D tensors are summarised only above this many entries


def _element_formatter(dtype: np.dtype):
    kind = dtype.kind
    if kind == "f":
        fmt = "%.4e" if dtype.itemsize == 2 else "%.8e"

        width = 11 if dtype.itemsize == 2 else 15  # sign + d.dddd(dddd)e+xx

        def f(v):
            if not np.isfinite(v):
                # NOTE: MindSpore right-aligns nan and inf to the width of a formatted number.
                s = "nan" if np.isnan(v) else ("inf" if v > 0 else "-inf")
                return s.rjust(width)
            s = fmt % v
            return s if s.startswith("-") else " " + s

        return f
    if kind == "b":
        return lambda v: " True" if v else "False"
    if kind == "c":
        return lambda v: str(v)
    return lambda v: str(int(v))


def _pad(strings):
    width = max(len(s) for s in strings) if strings else 0
    return [s.rjust(width) for s in strings]


def format_value(a: np.ndarray) -> str:
    """The `value=` part of a tensor's repr."""
    if a.ndim == 0:
        # 0-d values print like C++'s default stream output: %g for floats.
        return f"{a.item():g}" if a.dtype.kind == "f" else str(a.item())
    fmt = _element_formatter(a.dtype)
    summarise_all = a.ndim >= 2
    flat_summary = a.ndim == 1 and a.size > _FLAT_LIMIT

    def limit(n):
        return (summarise_all and n > _ROW_LIMIT) or (flat_summary and n > 2 * _EDGE)

    # Format every element that will be shown, then pad them to a common width as NumPy does
    # for integers (floats in %.8e already share a width).
    def rec(x, depth):
        n = x.shape[0]
        if x.ndim == 1:
            items = (
                [fmt(v) for v in x.tolist()]
                if not limit(n)
                else (
                    [fmt(v) for v in x[:_EDGE].tolist()]
                    + ["..."]
                    + [fmt(v) for v in x[-_EDGE:].tolist()]
                )
            )
            return items
        rows = (
            list(range(n))
            if not limit(n)
            else list(range(_EDGE)) + [None] + list(range(n - _EDGE, n))
        )
        return [None if i is None else rec(x[i], depth + 1) for i in rows]

    tree = rec(a, 0)
    leaves = []

    def collect(t):
        if t and isinstance(t[0], str) or (t and all(isinstance(v, str) for v in t)):
            leaves.extend(v for v in t if v != "...")
        else:
            for c in t:
                if c is not None:
                    collect(c)

    collect(tree)
    width = max((len(s) for s in leaves), default=0) if a.dtype.kind in "iu" else 0

    # NOTE: an unsummarised 1-D repr wraps after every 12 floats or bools, or 24 integers,
    # with ", " ending the line and one space starting the next (MindSpore 2.10, golden 026).
    per_line = (24 if a.dtype.kind in "iu" else 12) if a.ndim == 1 and not flat_summary else 0

    def render(t, indent):
        if all(isinstance(v, str) for v in t):
            parts = []
            pieces = [v.rjust(width) if v != "..." else v for v in t]
            out = ""
            for j, v in enumerate(pieces):
                if v == "...":
                    out += " ... "
                    continue
                if j and pieces[j - 1] != "...":
                    out += ", \n " if per_line and j % per_line == 0 else ", "
                out += v
            parts.append(out)
            return "[" + "".join(parts) + "]"
        lines = []
        for c in t:
            lines.append("..." if c is None else render(c, indent + 1))
        sep = ",\n" + " " * (indent + 1)
        body = ""
        for j, line in enumerate(lines):
            if j:
                body += ("\n" + " " * (indent + 1)) if lines[j - 1] == "..." else sep
            body += line
        return "[" + body + "]"

    return render(tree, 0)


def tensor_repr(a: np.ndarray, dtype_name: str) -> str:
    shape = "[" + ", ".join(str(n) for n in a.shape) + "]"
    value = format_value(a)
    glue = "\n" if a.ndim >= 2 else " "
    return f"Tensor(shape={shape}, dtype={dtype_name}, value={glue}{value})"
