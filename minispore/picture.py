"""Graphviz pictures of captured graphs: DOT text built from a `Graph`, and rendering to SVG/PNG.

The DOT text is plain string building and needs nothing installed. Rendering runs Graphviz's
`dot` program, through the `graphviz` Python package when it is installed (the `graph` extra),
else directly as a subprocess, and replaces the target file atomically.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

from minispore.core.graph import Const, Graph, Var, _const_text, _param_text, short_type

INPUT, PARAMETER, OUTPUT, GRADIENT = "input", "parameter", "output", "gradient"

# Fill and border colours; a picture printed in grey still tells the kinds apart by shape.
_STYLE = {
    INPUT: 'shape=ellipse, style=filled, fillcolor="#dae8fc", color="#6c8ebf"',
    PARAMETER: 'shape=ellipse, peripheries=2, style=filled, fillcolor="#ffe6cc", color="#d79b00"',
    OUTPUT: 'shape=ellipse, style="filled,bold", fillcolor="#d5e8d4", color="#82b366"',
    GRADIENT: 'shape=ellipse, style="filled,bold", fillcolor="#d5e8d4", color="#82b366"',
    "forward": 'shape=box, style="rounded,filled", fillcolor="#f5f5f5", color="#666666"',
    "backward": 'shape=box, style="rounded,filled", fillcolor="#f8cecc", color="#b85450"',
    "const": 'shape=plaintext, fontsize=9, fontcolor="#666666"',
}
_SAVED_EDGE = 'style=dashed, color="#d79b00"'  # a forward value read by the backward pass
_BACKWARD_EDGE = 'color="#b85450"'
_LEGEND = (
    "blue: inputs   orange (double border): Parameters   green: outputs"
    "   dashed: forward values the backward pass reads"
)
_MAX_LINE = 48  # longer equation parameters are cut, the text form has them whole

# Output formats `render_dot` knows; "dot" writes the DOT text itself and needs no Graphviz.
_FORMATS = {
    "svg": "svg",
    "png": "png",
    "pdf": "pdf",
    "jpg": "jpg",
    "jpeg": "jpg",
    "dot": "dot",
    "gv": "dot",
}


class GraphvizNotFoundError(RuntimeError):
    """Graphviz's `dot` program is needed to render a picture and was not found."""


def graph_to_dot(
    graph: Graph,
    *,
    input_labels: Sequence[str] | None = None,
    input_kinds: Sequence[str] | None = None,
    output_labels: Sequence[str] | None = None,
    output_kinds: Sequence[str] | None = None,
    n_forward: int | None = None,
    title: str | None = None,
) -> str:
    """The DOT text of `graph`: one node per input, equation, constant operand and output.

    Args:
        graph: the graph to draw.
        input_labels: a name per input (default: the `Var`'s name, else `in0`, `in1`, ...).
        input_kinds: `"input"` or `"parameter"` per input (default: all `"input"`).
        output_labels: a name per output (default `out0`, `out1`, ...).
        output_kinds: `"output"` or `"gradient"` per output (default: all `"output"`).
        n_forward: how many leading equations are the forward pass; the rest are drawn as the
            backward pass in a cluster of their own, and edges from forward values into it are
            dashed. None: no clusters.
        title: a line drawn above the picture.

    Returns:
        The DOT source, a `str`.

    Raises:
        ValueError: when a list's length differs from the graph's inputs or outputs, a kind is
            unknown, or `n_forward` is out of range.
    """
    n_in, n_out, n_eq = len(graph.inputs), len(graph.outputs), len(graph.eqns)
    input_labels = _per_item(input_labels, n_in, "input_labels", "inputs")
    if input_labels is None:
        input_labels = [v.name or f"in{i}" for i, v in enumerate(graph.inputs)]
    input_kinds = _per_item(input_kinds, n_in, "input_kinds", "inputs") or [INPUT] * n_in
    output_labels = _per_item(output_labels, n_out, "output_labels", "outputs")
    if output_labels is None:
        output_labels = [f"out{i}" for i in range(n_out)]
    output_kinds = _per_item(output_kinds, n_out, "output_kinds", "outputs") or [OUTPUT] * n_out
    _check_kinds(input_kinds, (INPUT, PARAMETER), "input_kinds")
    _check_kinds(output_kinds, (OUTPUT, GRADIENT), "output_kinds")
    if n_forward is not None and not 0 <= n_forward <= n_eq:
        raise ValueError(
            f"For 'graph_to_dot', n_forward must lie in [0, {n_eq}] (the graph has {n_eq} "
            f"equations), but got {n_forward}"
        )
    split = n_forward is not None
    cut = n_eq if n_forward is None else n_forward

    forward, backward, edges = [], [], []
    source: dict[int, tuple[str, bool]] = {}  # id(Var) -> (node id, is it a backward value)

    for i, (v, label, kind) in enumerate(zip(graph.inputs, input_labels, input_kinds)):
        node = f"i{i}"
        text = f"{label}\n{'Parameter ' if kind == PARAMETER else ''}{_type(v)}"
        forward.append(f"{node} [label={_quote(text)}, {_STYLE[kind]}];")
        source[id(v)] = (node, False)

    def operand_edges(operands, target, target_backward, where):
        for j, a in enumerate(operands):
            if type(a) is Var:
                node, from_backward = source.get(id(a), (None, False))
                if node is None:
                    raise ValueError(
                        f"For 'graph_to_dot', {where} reads a Var that no input or earlier "
                        f"equation defines: {a!r}"
                    )
            else:
                node, from_backward = f"c_{target}_{j}", target_backward
                (backward if target_backward else forward).append(
                    f"{node} [label={_quote(_const_label(a))}, {_STYLE['const']}];"
                )
            style = ""
            if split and target_backward:
                style = f" [{_BACKWARD_EDGE}]" if from_backward else f" [{_SAVED_EDGE}]"
            edges.append(f"{node} -> {target}{style};")

    for k, eq in enumerate(graph.eqns):
        node, is_backward = f"e{k}", k >= cut
        lines = [eq.prim.name, _type(eq.out)]
        params = " ".join(f"{p}={_param_text(x)}" for p, x in eq.params.items())
        if params:
            lines.append(_cut(params))
        style = _STYLE["backward" if is_backward else "forward"]
        (backward if is_backward else forward).append(
            f"{node} [label={_quote(chr(10).join(lines))}, {style}];"
        )
        operand_edges(eq.inputs, node, is_backward, f"equation {k} ({eq.prim.name})")
        source[id(eq.out)] = (node, is_backward)

    for i, (o, label, kind) in enumerate(zip(graph.outputs, output_labels, output_kinds)):
        node, is_backward = f"o{i}", split and kind == GRADIENT
        text = f"{label}\n{_type(o)}"
        (backward if is_backward else forward).append(
            f"{node} [label={_quote(text)}, {_STYLE[kind]}];"
        )
        operand_edges([o], node, is_backward, f"output {i}")

    legend = _LEGEND if split else _LEGEND.split("   dashed")[0]
    label = f"{title}\n{legend}" if title else legend
    out = [f"digraph {_quote(title or 'graph')} {{"]
    out.append(
        '  graph [rankdir=LR, fontname="Helvetica", fontsize=11, nodesep=0.25, ranksep=0.3, '
        f"labelloc=t, label={_quote(label)}];"
    )
    out.append('  node [fontname="Helvetica", fontsize=11, margin="0.08,0.04", height=0.3];')
    out.append('  edge [arrowsize=0.6, color="#444444"];')
    if split:
        out.append(_cluster("forward", "forward", forward))
        out.append(_cluster("backward", "backward", backward))
    else:
        out.extend(f"  {line}" for line in forward + backward)
    out.extend(f"  {line}" for line in edges)
    out.append("}")
    return "\n".join(out) + "\n"


def render_dot(dot: str, path: str | os.PathLike, format: str | None = None) -> Path:
    """Render DOT text to a file: SVG, PNG, PDF or JPG through Graphviz, or the DOT text itself.

    The picture is made in memory first and then written to a temporary file beside `path`
    that replaces `path` in one step, so a failure never damages a file already there.

    Args:
        dot: the DOT source (e.g. from `graph_to_dot`).
        path: where to write; its extension picks the format unless `format` is given.
        format: "svg", "png", "pdf", "jpg", or "dot" (write the DOT text; needs no Graphviz).

    Returns:
        The path written, as a `pathlib.Path`.

    Raises:
        ValueError: when the format is unknown or cannot be told from the extension.
        GraphvizNotFoundError: when Graphviz's `dot` program is not installed.
        RuntimeError: when `dot` fails on the input.
    """
    path = Path(path)
    if format is None:
        fmt = _FORMATS.get(path.suffix.lower().lstrip("."))
        if fmt is None:
            raise ValueError(
                f"For 'render', cannot tell the picture format from the file name '{path.name}': "
                f"use one of the extensions {_known()} or pass format="
            )
    else:
        fmt = _FORMATS.get(str(format).lower().lstrip("."))
        if fmt is None:
            raise ValueError(f"For 'render', format must be one of {_known()}, but got {format!r}")
    data = dot.encode("utf-8") if fmt == "dot" else run_dot(dot, fmt)
    _write_atomic(path, data)
    return path


def run_dot(dot: str, fmt: str) -> bytes:
    """Run Graphviz's `dot` on `dot` and return the picture's bytes in format `fmt`."""
    data = dot.encode("utf-8")
    graphviz = _graphviz_module()
    if graphviz is not None:
        try:
            return graphviz.pipe("dot", fmt, data, quiet=True)
        except graphviz.ExecutableNotFound:
            raise _not_found() from None
        except graphviz.CalledProcessError as e:
            raise _dot_failed(e.returncode, e.stderr) from None
    exe = _dot_executable()
    if exe is None:
        raise _not_found()
    import subprocess  # here: it is slow to import and rendering is rare

    proc = subprocess.run([exe, f"-T{fmt}"], input=data, capture_output=True, check=False)
    if proc.returncode != 0:
        raise _dot_failed(proc.returncode, proc.stderr)
    return proc.stdout


def _graphviz_module():
    """The `graphviz` package, or None when it is not installed (tests replace this)."""
    try:
        import graphviz
    except ImportError:
        return None
    return graphviz


def _dot_executable() -> str | None:
    """The path of the system `dot` program, or None (tests replace this)."""
    return shutil.which("dot")


def _not_found() -> GraphvizNotFoundError:
    return GraphvizNotFoundError(
        "For 'render', drawing a picture needs Graphviz's 'dot' program, which was not found. "
        "Install the system package (apt install graphviz, brew install graphviz, or conda "
        "install graphviz) and, for the Python bindings, the 'graph' extra "
        "(pip install 'minispore[graph]'). Without it, to_dot() still gives the DOT text and "
        "render('graph.dot') writes it."
    )


def _dot_failed(code, stderr) -> RuntimeError:
    msg = stderr.decode("utf-8", "replace").strip() if isinstance(stderr, bytes) else stderr
    return RuntimeError(f"For 'render', Graphviz's dot failed (exit status {code}): {msg}")


def _write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to a temporary file beside `path`, then rename it over `path`."""
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise FileNotFoundError(f"For 'render', the folder '{directory}' does not exist")
    try:
        mode = os.stat(path).st_mode & 0o777
    except FileNotFoundError:
        mode = 0o644  # mkstemp's 0o600 would hide a picture meant to be shared
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _per_item(values, n, arg, what):
    if values is None:
        return None
    values = list(values)
    if len(values) != n:
        raise ValueError(
            f"For 'graph_to_dot', {arg} must give one entry per graph {what[:-1]} "
            f"({n} {what}), but got {len(values)}"
        )
    return values


def _check_kinds(kinds, allowed, arg):
    for k in kinds:
        if k not in allowed:
            raise ValueError(
                f"For 'graph_to_dot', each of {arg} must be one of {allowed}, but got {k!r}"
            )


def _cluster(name, label, lines):
    body = "\n".join(f"    {line}" for line in lines)
    return (
        f"  subgraph cluster_{name} {{\n"
        f'    label={_quote(label)}; labelloc=t; style="rounded,dashed"; color="#999999";\n'
        f"{body}\n  }}"
    )


def _type(v) -> str:
    return short_type(v.shape, v.dtype)


def _const_label(c: Const) -> str:
    return _cut(_const_text(c.value))


def _cut(text: str) -> str:
    return text if len(text) <= _MAX_LINE else text[: _MAX_LINE - 1] + "…"


def _quote(text: str) -> str:
    """A DOT double-quoted string showing `text` as is; newlines become centred line breaks."""
    text = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + text.replace("\r\n", "\n").replace("\n", "\\n") + '"'


def _known() -> str:
    return ", ".join(f"'{k}'" for k in _FORMATS)
