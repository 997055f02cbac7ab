"""`make_graph`: the text form and the DOT picture of the seed's function, forward and backward,
of Cells with named Parameters, and of a training step (which must change nothing).

Rendering tests skip when Graphviz's `dot` is missing; the text and DOT tests always run.
"""

import contextlib
import importlib
import io
import linecache
import pathlib
import re
import shutil
import warnings

import numpy as np
import pytest

import minispore as ms
from minispore import Parameter, Tensor, nn, ops, picture
from minispore.core.graph import run_graph
from minispore.prims.random import get_generator
from minispore.transforms.make_graph import GraphView, forward_prefix, make_graph

# The package's `make_graph` attribute is the function; the module is reached by name.
make_graph_module = importlib.import_module("minispore.transforms.make_graph")

needs_dot = pytest.mark.skipif(
    shutil.which("dot") is None, reason="Graphviz's dot is not installed"
)


def function(x, y, w, b):
    z = ops.matmul(x, w) + b
    loss = ops.binary_cross_entropy_with_logits(z, y, ops.ones_like(z), ops.ones_like(z))
    return loss


def function_with_logits(x, y, w, b):
    z = ops.matmul(x, w) + b
    loss = ops.binary_cross_entropy_with_logits(z, y, ops.ones_like(z), ops.ones_like(z))
    return loss, z


@pytest.fixture
def seed_inputs():
    rng = np.random.default_rng(0)
    x = ops.ones(5, ms.float32)
    y = ops.zeros(3, ms.float32)
    w = Parameter(Tensor(rng.normal(size=(5, 3)), ms.float32), name="w")
    b = Parameter(Tensor(rng.normal(size=(3,)), ms.float32), name="b")
    return x, y, w, b


def nodes(dot):
    """{node id: (first label line, attribute text)}."""
    found = re.findall(r'^\s*(\w+) \[label="([^"]*)", (.*)\];$', dot, re.M)
    return {n: (label.split("\\n")[0], attrs) for n, label, attrs in found}


def edges(dot):
    """(source first label line, target first label line, edge attributes)."""
    names = {n: label for n, (label, _) in nodes(dot).items()}
    return [
        (names[s], names[t], a)
        for s, t, a in re.findall(r"^\s*(\w+) -> (\w+)(?: \[(.*)\])?;", dot, re.M)
    ]


def cluster(dot, name):
    start = dot.index(f"subgraph cluster_{name}")
    return dot[start : dot.index("\n  }", start)]


SEED_FORWARD = """\
{ lambda x:f32[5] y:f32[3] w:f32[5,3] b:f32[3] ; let
    a:f32[3] = matmul x w
    c:f32[3] = add a b
    d:f32[3] = sigmoid_bce c y
    loss:f32[] = reduce_mean d axis=None keepdims=False
  in (loss,) }"""


def test_seed_forward_text(seed_inputs):
    g = make_graph(function, *seed_inputs)
    assert isinstance(g, GraphView)
    assert str(g) == SEED_FORWARD
    assert repr(g) == SEED_FORWARD  # typed at a prompt, it shows the graph
    assert g.input_kinds == ["input", "input", "parameter", "parameter"]
    assert g.output_labels == ["loss"] and g.n_forward is None


def test_seed_forward_dot_marks_inputs_parameters_and_output(seed_inputs):
    dot = make_graph(function, *seed_inputs).to_dot()
    assert dot.startswith('digraph "function(x, y, w, b)" {')
    by_label = {label: attrs for label, attrs in nodes(dot).values()}
    assert "#dae8fc" in by_label["x"] and "#dae8fc" in by_label["y"]  # inputs: blue
    assert "#ffe6cc" in by_label["w"] and "peripheries=2" in by_label["w"]  # Parameters
    assert "#ffe6cc" in by_label["b"]
    assert "#d5e8d4" in by_label["loss"]  # the output: green
    assert 'label="w\\nParameter f32[5,3]"' in dot and 'label="x\\nf32[5]"' in dot
    assert 'label="loss\\nf32[]"' in dot
    assert set(edges(dot)) == {
        ("x", "matmul", ""),
        ("w", "matmul", ""),
        ("matmul", "add", ""),
        ("b", "add", ""),
        ("add", "sigmoid_bce", ""),
        ("y", "sigmoid_bce", ""),
        ("sigmoid_bce", "reduce_mean", ""),
        ("reduce_mean", "loss", ""),
    }
    assert "cluster" not in dot


def test_seed_backward_text(seed_inputs):
    g = make_graph(function, *seed_inputs, backward=True, grad_position=(2, 3))
    lines = str(g).splitlines()
    assert lines[:7] == SEED_FORWARD.splitlines()[:1] + ["    # forward"] + (
        SEED_FORWARD.splitlines()[1:5]
    ) + ["    # backward"]
    body = "\n".join(lines[7:])
    assert "sigmoid c" in body and "sub" in body  # d bce / dz = sigmoid(z) - y
    assert re.search(r"∂loss/∂b:f32\[3\] = mul", body)
    assert re.search(r"∂loss/∂w:f32\[5,3\] = mul", body)
    assert lines[-1] == "  in (loss, ∂loss/∂w, ∂loss/∂b) }"
    assert g.n_forward == 4


def test_seed_backward_graph_computes_value_and_grad(seed_inputs):
    x, y, w, b = seed_inputs
    g = make_graph(function, x, y, w, b, backward=True, grad_position=(2, 3))
    got = run_graph(g.graph, [t._value for t in (x, y, w, b)])
    loss, (gw, gb) = ms.value_and_grad(function, (2, 3))(x, y, w, b)
    np.testing.assert_allclose(got[0], loss.asnumpy(), rtol=1e-6)
    np.testing.assert_allclose(got[1], gw.asnumpy(), rtol=1e-6)
    np.testing.assert_allclose(got[2], gb.asnumpy(), rtol=1e-6)


def test_seed_backward_dot_draws_clusters_and_saved_values(seed_inputs):
    dot = make_graph(function, *seed_inputs, backward=True, grad_position=(2, 3)).to_dot()
    fwd, bwd = cluster(dot, "forward"), cluster(dot, "backward")
    for label in ("x\\n", "y\\n", "w\\n", "b\\n", "matmul", "add", "sigmoid_bce", "loss\\n"):
        assert f'label="{label}' in fwd and f'label="{label}' not in bwd
    for label in ("sigmoid\\n", "sub\\n", "∂loss/∂w\\nf32[5,3]", "∂loss/∂b\\nf32[3]"):
        assert f'label="{label}' in bwd and f'label="{label}' not in fwd
    saved = 'style=dashed, color="#d79b00"'
    got = edges(dot)
    assert ("add", "sigmoid", saved) in got  # z, read by d sigmoid_bce
    assert ("y", "sub", saved) in got  # the label
    assert ("x", "reshape", saved) in got  # x, read by d matmul / d w
    # Every edge out of a forward node into the backward cluster is dashed, and only those.
    fwd_ids = set(re.findall(r"^\s*(\w+) \[label=", fwd, re.M))
    bwd_ids = set(re.findall(r"^\s*(\w+) \[label=", bwd, re.M))
    for s, t, attrs in re.findall(r"^\s*(\w+) -> (\w+)(?: \[(.*)\])?;", dot, re.M):
        assert (attrs == saved) == (s in fwd_ids and t in bwd_ids), (s, t, attrs)
    assert 'digraph "function(x, y, w, b) and its backward pass (value_and_grad)"' in dot


def test_several_outputs_are_named_and_the_gradient_is_of_their_sum(seed_inputs):
    g = make_graph(function_with_logits, *seed_inputs, backward=True, grad_position=2)
    assert g.output_labels == ["loss", "z", "∂(loss+z)/∂w"]
    assert g.output_kinds == ["output", "output", "gradient"]
    assert str(g).splitlines()[-1] == "  in (loss, z, ∂(loss+z)/∂w) }"


def test_unnamed_outputs_and_nested_and_keyword_inputs():
    g = make_graph(lambda xs, scale=None: xs[0] * scale + xs[1], (T([1.0]), T([2.0])), scale=T(3.0))
    assert g.input_labels == ["xs[0]", "xs[1]", "scale"]
    assert g.output_labels == ["out"]
    assert str(g).splitlines()[0] == "{ lambda xs[0]:f32[1] xs[1]:f32[1] scale:f32[] ; let"


def T(a):
    return Tensor(np.asarray(a, np.float32))


class Net(nn.Cell):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Dense(4, 3)
        self.fc2 = nn.Dense(3, 2)

    def construct(self, x):
        logits = self.fc2(ops.relu(self.fc1(x)))
        return logits


def test_cell_parameters_appear_by_name():
    net = Net()
    x = T(np.ones((2, 4)))
    g = make_graph(net, x)
    assert g.input_labels == ["x", "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"]
    assert g.input_kinds == ["input"] + ["parameter"] * 4
    assert g.output_labels == ["logits"]
    text = str(g)
    assert "= dense x fc1.weight fc1.bias" in text
    assert "logits:f32[2,2] = dense" in text and "fc2.weight fc2.bias" in text
    dot = g.to_dot()
    assert dot.startswith('digraph "Net.construct(x)" {')
    assert 'label="fc1.weight\\nParameter f32[3,4]"' in dot


def test_cell_backward_over_its_weights():
    net = Net()
    loss_fn = nn.MSELoss()
    x, y = T(np.ones((2, 4))), T(np.zeros((2, 2)))

    def forward_fn(x, y):
        loss = loss_fn(net(x), y)
        return loss

    g = make_graph(
        forward_fn, x, y, backward=True, grad_position=None, weights=net.trainable_params()
    )
    assert g.output_labels == [
        "loss",
        "∂loss/∂fc1.weight",
        "∂loss/∂fc1.bias",
        "∂loss/∂fc2.weight",
        "∂loss/∂fc2.bias",
    ]
    assert g.output_kinds == ["output"] + ["gradient"] * 4
    assert g.n_forward is not None
    bwd = cluster(g.to_dot(), "backward")
    assert 'label="∂loss/∂fc1.weight\\nf32[3,4]"' in bwd


def test_training_step_is_drawn_and_nothing_changes():
    net = Net()
    loss_fn = nn.MSELoss()
    opt = nn.Adam(net.trainable_params(), 0.1)
    x, y = T(np.ones((2, 4))), T(np.zeros((2, 2)))
    grad_fn = ms.value_and_grad(lambda x, y: loss_fn(net(x), y), None, opt.parameters)

    def train_step(x, y):
        loss, grads = grad_fn(x, y)
        opt(grads)
        noise = ops.randn((2,))  # a random draw: the generator must be put back too
        return loss, noise

    before = {p.name: p.asnumpy().copy() for p in opt.parameters}
    moments = [m.asnumpy().copy() for m in opt.moment1]
    state = get_generator().bit_generator.state
    g = make_graph(train_step, x, y)
    assert g.output_labels[:2] == ["loss", "noise"]
    assert "new fc1.weight" in g.output_labels
    assert "new_fc1.weight:f32[3,4] =" in str(g)
    for p in opt.parameters:
        np.testing.assert_array_equal(p.asnumpy(), before[p.name])
    for m, m0 in zip(opt.moment1, moments):
        np.testing.assert_array_equal(m.asnumpy(), m0)
    assert get_generator().bit_generator.state == state


def test_forward_prefix_accepts_the_joint_graph_and_refuses_others(seed_inputs):
    fwd = make_graph(function, *seed_inputs).graph
    joint = make_graph(function, *seed_inputs, backward=True, grad_position=(2, 3)).graph
    assert forward_prefix(fwd, joint) == 4
    other = make_graph(function_with_logits, *seed_inputs, backward=True).graph
    assert forward_prefix(fwd, other) == 4  # the same forward equations
    swapped = make_graph(function, *seed_inputs, backward=True, grad_position=(2, 3)).graph
    swapped.eqns[0], swapped.eqns[1] = swapped.eqns[1], swapped.eqns[0]
    assert forward_prefix(fwd, swapped) is None
    changed = make_graph(function, *seed_inputs, backward=True, grad_position=(2, 3)).graph
    changed.eqns[3].params = {"axis": 0, "keepdims": False}
    assert forward_prefix(fwd, changed) is None
    assert forward_prefix(joint, fwd) is None  # longer than the graph it should prefix


def test_backward_falls_back_to_one_graph_when_the_prefix_differs(seed_inputs, monkeypatch):
    monkeypatch.setattr(make_graph_module, "forward_prefix", lambda fwd, joint: None)
    with pytest.warns(RuntimeWarning, match="drawn as one graph"):
        g = make_graph(function, *seed_inputs, backward=True, grad_position=(2, 3))
    assert g.n_forward is None
    assert str(g).splitlines()[1] == "    # forward and backward (not told apart)"
    dot = g.to_dot()
    assert "cluster" not in dot and 'label="∂loss/∂w\\nf32[5,3]"' in dot


def test_make_graph_errors(seed_inputs):
    with pytest.raises(TypeError, match="For 'make_graph', fn must be a function or a Cell"):
        make_graph(3, *seed_inputs)
    with pytest.raises(RuntimeError, match="Position index 7 is exceed input size"):
        make_graph(function, *seed_inputs, backward=True, grad_position=7)
    with pytest.raises(TypeError, match="jit: bool\\(\\) needs the value of a Tensor"):
        make_graph(lambda x: x if x.sum() > 0 else -x, T([1.0]))


def test_no_warning_on_the_usual_path(seed_inputs):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        make_graph(function, *seed_inputs, backward=True, grad_position=(2, 3))


@needs_dot
def test_render_svg_and_png(seed_inputs, tmp_path):
    g = make_graph(function, *seed_inputs, backward=True, grad_position=(2, 3))
    svg = g.render(tmp_path / "seed.svg").read_text()
    assert "<svg" in svg and "∂loss/∂w" in svg and "sigmoid_bce" in svg
    assert g.render(str(tmp_path / "seed.png")).read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert g._repr_svg_().lstrip().startswith(("<?xml", "<svg", "<!DOCTYPE"))


def test_without_graphviz_render_raises_and_jupyter_shows_text(seed_inputs, monkeypatch, tmp_path):
    monkeypatch.setattr(picture, "_graphviz_module", lambda: None)
    monkeypatch.setattr(picture, "_dot_executable", lambda: None)
    g = make_graph(function, *seed_inputs)
    with pytest.raises(picture.GraphvizNotFoundError, match="minispore\\[graph\\]"):
        g.render(tmp_path / "seed.svg")
    assert g._repr_svg_() is None
    assert g.render(tmp_path / "seed.dot").read_text() == g.to_dot()


def test_exported_at_top_level():
    assert ms.make_graph is make_graph
    assert "make_graph" in ms.__all__


def test_docs_example_prints_what_the_page_shows(monkeypatch):
    page = (pathlib.Path(__file__).resolve().parents[2] / "docs" / "graphs.md").read_text("utf-8")
    blocks = re.findall(r"```(\w*)\n(.*?)```", page, re.S)
    code = next(b for lang, b in blocks if lang == "python" and "def function" in b)
    shown = [b for lang, b in blocks if lang == "text"]
    rendered = []
    monkeypatch.setattr(GraphView, "render", lambda self, path, format=None: rendered.append(path))
    # Let inspect read the block's source, as it reads a script's: outputs are named from it.
    name = "<docs/graphs.md>"
    monkeypatch.setitem(linecache.cache, name, (len(code), None, code.splitlines(True), name))
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, name, "exec"), {"__name__": "graphs_md"})
    assert out.getvalue() == "".join(shown)
    assert rendered == ["docs/images/seed_graph.svg"]
    assert (
        pathlib.Path(__file__).resolve().parents[2] / "docs" / "images" / "seed_graph.svg"
    ).is_file()
