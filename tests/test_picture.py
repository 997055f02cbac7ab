"""DOT text and rendering of graphs (`minispore/picture.py`) on hand-built graphs.

The DOT tests always run; the ones that run Graphviz skip when its `dot` program is missing.
"""

import os
import re
import shutil

import numpy as np
import pytest

from minispore import picture
from minispore.core.graph import Const, Equation, Graph, Var, format_graph
from minispore.core.primitive import REGISTRY
from minispore.picture import GraphvizNotFoundError, graph_to_dot, render_dot

needs_dot = pytest.mark.skipif(
    shutil.which("dot") is None, reason="Graphviz's dot is not installed"
)

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def seed_graph():
    """z = x @ w + b; loss = mean(sigmoid_bce(z, y)), and a backward pass for w."""
    x, y = Var((5,), np.float32, "x"), Var((3,), np.float32, "y")
    w, b = Var((5, 3), np.float32, "w"), Var((3,), np.float32, "b")
    m, z = Var((3,), np.float32), Var((3,), np.float32)
    e, loss = Var((3,), np.float32), Var((), np.float32)
    s, gz, gw = Var((3,), np.float32), Var((3,), np.float32), Var((5, 3), np.float32)
    eqns = [
        Equation(REGISTRY["matmul"], [x, w], {}, m),
        Equation(REGISTRY["add"], [m, b], {}, z),
        Equation(REGISTRY["sigmoid_bce"], [z, y], {}, e),
        Equation(REGISTRY["reduce_mean"], [e], {"axis": None, "keepdims": False}, loss),
        Equation(REGISTRY["sigmoid"], [z], {}, s),
        Equation(REGISTRY["sub"], [s, y], {}, gz),
        Equation(REGISTRY["mul"], [Const(np.float32(0.5)), gz], {}, gz2 := Var((3,), np.float32)),
        Equation(REGISTRY["mul"], [x, gz2], {}, gw),
    ]
    return Graph([x, y, w, b], eqns, [loss, gw, gz2])


def edges(dot):
    """(source label, target label, attributes) for every edge of the DOT text."""
    labels = dict(re.findall(r'^\s*(\w+) \[label="([^"]*)"', dot, re.M))
    found = []
    for src, dst, attrs in re.findall(r"^\s*(\w+) -> (\w+)(?: \[(.*)\])?;", dot, re.M):
        found.append((labels[src].split("\\n")[0], labels[dst].split("\\n")[0], attrs))
    return found


def node_line(dot, label_start):
    lines = [ln for ln in dot.splitlines() if f'[label="{label_start}' in ln]
    assert len(lines) == 1, f"expected one node labelled {label_start!r}, got {lines}"
    return lines[0]


def test_forward_dot_marks_inputs_parameters_and_outputs():
    g = seed_graph()
    dot = graph_to_dot(
        g,
        input_kinds=["input", "input", "parameter", "parameter"],
        output_labels=["loss", "dw", "dz"],
        title="function(x, y, w, b)",
    )
    assert dot.startswith('digraph "function(x, y, w, b)" {')
    assert "rankdir=LR" in dot
    assert "cluster" not in dot  # no split given: one picture, no clusters
    x, w = node_line(dot, "x\\n"), node_line(dot, "w\\n")
    assert 'label="x\\nf32[5]"' in x and "#dae8fc" in x and "ellipse" in x
    assert 'label="w\\nParameter f32[5,3]"' in w and "#ffe6cc" in w and "peripheries=2" in w
    loss = node_line(dot, "loss\\n")
    assert 'label="loss\\nf32[]"' in loss and "#d5e8d4" in loss
    mean = node_line(dot, "reduce_mean")
    assert 'label="reduce_mean\\nf32[]\\naxis=None keepdims=False"' in mean
    got = edges(dot)
    assert ("x", "matmul", "") in got and ("w", "matmul", "") in got
    assert ("matmul", "add", "") in got and ("b", "add", "") in got
    assert ("reduce_mean", "loss", "") in got
    assert ("0.5:f32[]", "mul", "") in got  # a constant operand is a small node of its own


def test_backward_split_draws_two_clusters_and_dashed_saved_edges():
    g = seed_graph()
    dot = graph_to_dot(
        g,
        input_kinds=["input", "input", "parameter", "parameter"],
        output_labels=["loss", "∂loss/∂w", "dz"],
        output_kinds=["output", "gradient", "gradient"],
        n_forward=4,
    )
    fwd = dot[dot.index("subgraph cluster_forward") : dot.index("subgraph cluster_backward")]
    bwd = dot[dot.index("subgraph cluster_backward") :].split("\n  }")[0]
    assert 'label="forward"' in fwd and 'label="backward"' in bwd
    for name in ("x\\n", "w\\n", "matmul", "add", "sigmoid_bce", "reduce_mean", "loss\\n"):
        assert f'label="{name}' in fwd and f'label="{name}' not in bwd
    for name in ("sigmoid\\n", "sub\\n", "mul\\n", "∂loss/∂w\\nf32[5,3]"):
        assert f'label="{name}' in bwd and f'label="{name}' not in fwd
    got = edges(dot)
    saved = 'style=dashed, color="#d79b00"'
    # Forward values read by the backward pass: z by sigmoid, y by sub, x by the last mul.
    assert ("add", "sigmoid", saved) in got
    assert ("y", "sub", saved) in got
    assert ("x", "mul", saved) in got
    assert ("sigmoid", "sub", 'color="#b85450"') in got
    assert ("matmul", "add", "") in got  # forward edges stay plain
    assert "dashed: forward values the backward pass reads" in dot


def test_labels_are_escaped():
    v = Var((2,), np.float32, 'a "quoted" \\ name')
    out = Var((2,), np.float32)
    g = Graph([v], [Equation(REGISTRY["neg"], [v], {}, out)], [out])
    dot = graph_to_dot(g, output_labels=["line1\nline2"], title='t"x')
    assert 'label="a \\"quoted\\" \\\\ name\\nf32[2]"' in dot
    assert 'label="line1\\nline2\\nf32[2]"' in dot
    assert 'digraph "t\\"x" {' in dot


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"input_labels": ["x", "y"]}, "input_labels must give one entry per graph input"),
        ({"output_kinds": ["output", "output"]}, "output_kinds must give one entry"),
        ({"input_kinds": ["weight"]}, "each of input_kinds must be one of"),
        ({"n_forward": 5}, r"n_forward must lie in \[0, 1\]"),
    ],
)
def test_graph_to_dot_rejects_bad_arguments(kwargs, match):
    x, out = Var((2,), np.float32, "x"), Var((2,), np.float32)
    g = Graph([x], [Equation(REGISTRY["neg"], [x], {}, out)], [out])
    with pytest.raises(ValueError, match=match):
        graph_to_dot(g, **kwargs)


def test_outputs_may_be_inputs_or_constants():
    x = Var((2,), np.float32, "x")
    g = Graph([x], [], [x, Const(np.float32(2.0))])
    got = edges(graph_to_dot(g))
    assert ("x", "out0", "") in got and ("2.0:f32[]", "out1", "") in got


def test_format_graph_uses_given_names_and_headings():
    g = seed_graph()
    x, y, w, b = g.inputs
    text = format_graph(
        g, names={x: "x", y: "y", w: "w", b: "b", g.outputs[0]: "loss"}, headings={4: "backward"}
    )
    lines = text.splitlines()
    assert lines[0] == "{ lambda x:f32[5] y:f32[3] w:f32[5,3] b:f32[3] ; let"
    assert lines[1] == "    a:f32[3] = matmul x w"
    assert lines[2] == "    c:f32[3] = add a b"  # 'b' is taken by an input: skipped
    assert lines[4] == "    loss:f32[] = reduce_mean d axis=None keepdims=False"
    assert lines[5] == "    # backward"
    assert lines[-1] == "  in (loss, h, g) }"
    # Without names the text form is unchanged: letters in order of appearance.
    assert str(g).splitlines()[0] == "{ lambda a:f32[5] b:f32[3] c:f32[5,3] d:f32[3] ; let"


def test_format_graph_keeps_equal_names_apart():
    a, b = Var((), np.float32), Var((), np.float32)
    out = Var((), np.float32)
    g = Graph([a, b], [Equation(REGISTRY["add"], [a, b], {}, out)], [out])
    assert format_graph(g, names={a: "w", b: "w"}).splitlines()[1] == "    a:f32[] = add w w_1"


# ---- rendering ------------------------------------------------------------------------------


@needs_dot
@pytest.mark.parametrize("via_package", [True, False])
def test_render_svg_and_png(tmp_path, monkeypatch, via_package):
    if not via_package:  # the subprocess path, as when the graphviz package is missing
        monkeypatch.setattr(picture, "_graphviz_module", lambda: None)
    elif picture._graphviz_module() is None:
        pytest.skip("the graphviz package is not installed")
    dot = graph_to_dot(seed_graph(), n_forward=4)
    svg = render_dot(dot, tmp_path / "g.svg")
    png = render_dot(dot, tmp_path / "g.png")
    text = svg.read_text()
    assert text.lstrip().startswith(("<?xml", "<svg", "<!DOCTYPE"))
    assert "<svg" in text and "reduce_mean" in text
    assert png.read_bytes().startswith(PNG_MAGIC)
    # An explicit format wins over the extension.
    assert render_dot(dot, tmp_path / "g.img", format="png").read_bytes().startswith(PNG_MAGIC)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.img", "g.png", "g.svg"]


def test_render_dot_text_needs_no_graphviz(tmp_path, monkeypatch):
    monkeypatch.setattr(picture, "_graphviz_module", lambda: None)
    monkeypatch.setattr(picture, "_dot_executable", lambda: None)
    dot = graph_to_dot(seed_graph())
    assert render_dot(dot, tmp_path / "g.gv").read_text() == dot


def test_missing_graphviz_error_names_the_extra_and_the_system_package(tmp_path, monkeypatch):
    monkeypatch.setattr(picture, "_graphviz_module", lambda: None)
    monkeypatch.setattr(picture, "_dot_executable", lambda: None)
    target = tmp_path / "g.svg"
    target.write_text("old picture")
    with pytest.raises(GraphvizNotFoundError) as info:
        render_dot(graph_to_dot(seed_graph()), target)
    msg = str(info.value)
    assert "minispore[graph]" in msg and "apt install graphviz" in msg and "'dot'" in msg
    assert target.read_text() == "old picture"
    assert os.listdir(tmp_path) == ["g.svg"]


def test_missing_dot_behind_the_graphviz_package(tmp_path, monkeypatch):
    graphviz = pytest.importorskip("graphviz")

    def pipe(*args, **kwargs):
        raise graphviz.ExecutableNotFound(("dot",))

    monkeypatch.setattr(graphviz, "pipe", pipe)
    with pytest.raises(GraphvizNotFoundError, match="minispore\\[graph\\]"):
        render_dot(graph_to_dot(seed_graph()), tmp_path / "g.png")
    assert os.listdir(tmp_path) == []


@needs_dot
@pytest.mark.parametrize("via_package", [True, False])
def test_failed_render_leaves_the_existing_file_untouched(tmp_path, monkeypatch, via_package):
    if not via_package:
        monkeypatch.setattr(picture, "_graphviz_module", lambda: None)
    target = tmp_path / "g.svg"
    target.write_text("old picture")
    with pytest.raises(RuntimeError, match="Graphviz's dot failed"):
        render_dot("digraph { this is not dot", target)
    assert target.read_text() == "old picture"
    assert os.listdir(tmp_path) == ["g.svg"]


def test_failed_write_leaves_the_existing_file_and_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "g.dot"
    target.write_text("old")

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(picture.os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        render_dot("digraph {}", target)
    assert target.read_text() == "old"
    assert os.listdir(tmp_path) == ["g.dot"]


def test_render_rejects_unknown_formats_and_missing_folders(tmp_path):
    with pytest.raises(ValueError, match="cannot tell the picture format from the file name"):
        render_dot("digraph {}", tmp_path / "g.txt")
    with pytest.raises(ValueError, match="format must be one of"):
        render_dot("digraph {}", tmp_path / "g.svg", format="bmp2")
    with pytest.raises(FileNotFoundError, match="does not exist"):
        render_dot("digraph {}", tmp_path / "missing" / "g.dot")
