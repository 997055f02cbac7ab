"""`nn.Cell`: the base of networks. Attributes register Parameters and sub-cells (layer 5).

Parameter naming follows MindSpore: a Parameter with a default name takes its attribute name;
assigning a cell as a child prefixes every parameter inside it with the child's name, so nested
parameters read `dense_relu_sequential.0.weight`.
"""

from __future__ import annotations

from collections import OrderedDict

from minispore.context import GRAPH_MODE, _context
from minispore.core.primitive import _capturing
from minispore.parameter import Parameter, ParameterTuple
from minispore.tensor import Tensor
from minispore.transforms.jit import jit


class _HookHandle:
    def __init__(self, hooks, key):
        self._hooks, self._key = hooks, key

    def remove(self):
        self._hooks.pop(self._key, None)


def _check_name(name, what):
    if not isinstance(name, str):
        raise TypeError(f"The {what} name must be a str, but got {type(name).__name__}")
    if not name:
        raise KeyError(f"The {what} name must not be empty")
    if "." in name:
        raise KeyError(f"The {what} name {name!r} must not contain '.'")


class Cell:
    """Base class of networks, MindSpore's `mindspore.nn.Cell`.

    Subclasses call `super().__init__()` and define `construct(self, *inputs)`; calling the cell
    runs `construct`. A new cell is in inference mode (`training` False) until `set_train()`.
    A subclass may define `bprop(self, *inputs, out, dout)` to give the cell its own gradient.
    """

    _has_bprop = False  # set per subclass: does it define its own gradient?

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls._has_bprop = hasattr(cls, "bprop")

    def __init__(self, auto_prefix=True, flags=None):
        object.__setattr__(self, "_params", OrderedDict())
        object.__setattr__(self, "_cells", OrderedDict())
        object.__setattr__(self, "_forward_hooks", OrderedDict())
        object.__setattr__(self, "_forward_pre_hooks", OrderedDict())
        object.__setattr__(self, "_auto_prefix", auto_prefix)
        object.__setattr__(self, "_param_prefix", "")  # the attribute path it was registered under
        object.__setattr__(self, "training", False)
        object.__setattr__(self, "requires_grad", False)
        object.__setattr__(self, "_custom", None)
        if flags:
            object.__setattr__(self, "_flags", dict(flags))

    # ---- registration ------------------------------------------------------------------------
    def _registries(self):
        try:
            return self.__dict__["_params"], self.__dict__["_cells"]
        except KeyError:
            raise AttributeError(
                f"{type(self).__name__}.__init__ must call super().__init__() before assigning "
                "attributes"
            ) from None

    def __setattr__(self, name, value):
        if isinstance(value, Parameter):
            params, cells = self._registries()
            _check_name(name, "parameter")
            if value._default_name:
                value.name = name
            cells.pop(name, None)
            params[name] = value
            self.__dict__[name] = value  # mirrored: plain attribute lookup, no __getattr__
        elif isinstance(value, Cell):
            params, cells = self._registries()
            _check_name(name, "cell")
            if self._auto_prefix:
                value._prefix_names(name)
            params.pop(name, None)
            cells[name] = value
            self.__dict__[name] = value
        elif isinstance(value, ParameterTuple):
            for p in value:
                # only still-generated names: a parameter a cell already named keeps it
                if p._default_name and p.name.startswith("Parameter#"):
                    p.name = f"{name}.{p.name}"
            object.__setattr__(self, name, value)
        else:
            d = self.__dict__
            if value is None and (name in d.get("_params", ()) or name in d.get("_cells", ())):
                d["_params" if name in d["_params"] else "_cells"][name] = None
                d[name] = None
                return
            if name in d.get("_params", ()) and isinstance(value, Tensor):
                raise TypeError(
                    f"For '{type(self).__name__}', attribute '{name}' is a Parameter; assign a "
                    "Parameter, or update it with set_data()/ops.assign()"
                )
            if name in d.get("_cells", ()) and value is not None:
                raise TypeError(
                    f"For '{type(self).__name__}', attribute '{name}' is a Cell; assign a Cell"
                )
            object.__setattr__(self, name, value)

    def __getattr__(self, name):
        d = self.__dict__
        params = d.get("_params")
        if params is not None and name in params:
            return params[name]
        cells = d.get("_cells")
        if cells is not None and name in cells:
            return cells[name]
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def __delattr__(self, name):
        d = self.__dict__
        if name in d.get("_params", ()):
            del d["_params"][name]
            d.pop(name, None)
        elif name in d.get("_cells", ()):
            del d["_cells"][name]
            d.pop(name, None)
        else:
            object.__delattr__(self, name)

    def _prefix_names(self, prefix):
        # As MindSpore: a registered sub-cell's parameters are renamed by attribute path from
        # the new owner (an explicit name inside a sub-cell does not survive nesting).
        for path, c in self.cells_and_names():
            object.__setattr__(c, "_param_prefix", f"{prefix}.{path}" if path else prefix)
        for path, p in self.parameters_and_names():
            p.name = f"{prefix}.{path}"

    def insert_param_to_cell(self, param_name, param, check_name_contain_dot=True):
        """Register `param` under `param_name`."""
        if check_name_contain_dot:
            _check_name(param_name, "parameter")
        if not isinstance(param, Parameter) and param is not None:
            raise TypeError(
                f"For 'insert_param_to_cell', 'param' must be a Parameter, got {type(param).__name__}"
            )
        if param is not None and param._default_name:
            param.name = param_name
        self._registries()[0][param_name] = param
        self.__dict__[param_name] = param

    def insert_child_to_cell(self, child_name, child_cell):
        """Register `child_cell` under `child_name`."""
        _check_name(child_name, "cell")
        if not isinstance(child_cell, Cell) and child_cell is not None:
            raise TypeError(
                f"For 'insert_child_to_cell', 'child_cell' must be a Cell, got {type(child_cell).__name__}"
            )
        self._registries()[1][child_name] = child_cell
        self.__dict__[child_name] = child_cell

    # ---- calling -----------------------------------------------------------------------------
    def construct(self, *inputs, **kwargs):
        raise NotImplementedError(f"{type(self).__name__} must define construct()")

    def __call__(self, *args, **kwargs):
        d = self.__dict__
        if "_params" not in d:
            raise AttributeError(f"{type(self).__name__}.__init__ must call super().__init__()")
        if _context["mode"] == GRAPH_MODE and not _capturing:
            return self._graph_call(args, kwargs)
        if d["_forward_pre_hooks"]:
            for hook in list(d["_forward_pre_hooks"].values()):
                res = hook(self, args)
                if res is not None:
                    args = res if isinstance(res, tuple) else (res,)
        if self._has_bprop:
            out = self._call_custom(args, kwargs)
        else:
            out = self.construct(*args, **kwargs)
        if d["_forward_hooks"]:
            for hook in list(d["_forward_hooks"].values()):
                res = hook(self, args, out)
                if res is not None:
                    out = res
        return out

    def _graph_call(self, args, kwargs):
        """GRAPH_MODE: a top-level call runs jitted, with one graph cache per cell; the cells it
        calls in turn are traced into the same graph."""
        jitted = self.__dict__.get("_graph_jit")
        # (A deep copy of the cell carries its original's function: make its own.)
        if jitted is None or jitted.__wrapped__.__self__ is not self:
            jitted = jit(self.__call__)
            object.__setattr__(self, "_graph_jit", jitted)
        return jitted(*args, **kwargs)

    def _call_custom(self, args, kwargs):
        from minispore.custom_grad import CustomFunction

        custom = self.__dict__.get("_custom")
        if custom is None:

            def bprop(*a):
                return self.bprop(*a)

            custom = CustomFunction(
                lambda *a: self.construct(*a), bprop, name=f"{type(self).__name__}.bprop"
            )
            object.__setattr__(self, "_custom", custom)
        if kwargs:
            # Keyword arguments are static for the custom gradient: bind them into construct.
            bound = CustomFunction(
                lambda *a: self.construct(*a, **kwargs), custom.bprop, name=custom._name
            )
            return bound(*args)
        return custom(*args)

    def register_forward_hook(self, hook_fn):
        """`hook_fn(cell, inputs, output)` runs after construct; a non-None result replaces output."""
        key = object()
        self._forward_hooks[key] = hook_fn
        return _HookHandle(self._forward_hooks, key)

    def register_forward_pre_hook(self, hook_fn):
        """`hook_fn(cell, inputs)` runs before construct; a non-None result replaces inputs."""
        key = object()
        self._forward_pre_hooks[key] = hook_fn
        return _HookHandle(self._forward_pre_hooks, key)

    # ---- parameters and cells ----------------------------------------------------------------
    def get_parameters(self, expand=True):
        """All parameters (own first, then sub-cells depth-first), each once; a generator."""
        seen = set()
        for _, p in self._named_parameters("", expand, seen):
            yield p

    def _named_parameters(self, prefix, expand, seen):
        for name, p in self._params.items():
            if p is None or id(p) in seen:
                continue
            seen.add(id(p))
            yield (f"{prefix}{name}", p)
        if expand:
            for cname, c in self._cells.items():
                if c is not None:
                    yield from c._named_parameters(f"{prefix}{cname}.", expand, seen)

    def trainable_params(self, recurse=True):
        """The parameters with `requires_grad=True`, as a list."""
        return [p for p in self.get_parameters(expand=recurse) if p.requires_grad]

    def untrainable_params(self, recurse=True):
        return [p for p in self.get_parameters(expand=recurse) if not p.requires_grad]

    def parameters_and_names(self, name_prefix="", expand=True):
        """`(name, Parameter)` pairs named by attribute path (`sub.weight`), which for an
        explicitly named parameter differs from `param.name`, as in MindSpore 2.10."""
        prefix = f"{name_prefix}." if name_prefix else ""
        yield from self._named_parameters(prefix, expand, set())

    def parameters_dict(self, recurse=True):
        return OrderedDict((p.name, p) for p in self.get_parameters(expand=recurse))

    def cells_and_names(self, cells=None, name_prefix=""):
        """`(name, cell)` pairs, starting with `('', self)`, depth-first."""
        seen = set() if cells is None else cells

        def rec(cell, prefix):
            if id(cell) in seen:
                return
            seen.add(id(cell))
            yield (prefix, cell)
            for n, c in cell._cells.items():
                if c is not None:
                    yield from rec(c, f"{prefix}.{n}" if prefix else n)

        yield from rec(self, name_prefix)

    def cells(self):
        return self._cells.values()

    def name_cells(self):
        return OrderedDict((n, c) for n, c in self._cells.items() if c is not None)

    def set_train(self, mode=True):
        """Set training mode on this cell and every sub-cell; returns self."""
        for _, c in self.cells_and_names():
            object.__setattr__(c, "training", bool(mode))
        return self

    def set_grad(self, requires_grad=True):
        object.__setattr__(self, "requires_grad", requires_grad)
        return self

    def to_float(self, dst_type):
        """Cast this cell's floating parameters to `dst_type`; returns self."""
        from minispore import dtype as mstype

        dt = mstype.to_numpy_dtype(dst_type)
        for p in self.get_parameters():
            if p._value.dtype.kind == "f":
                p._value = p._value.astype(dt)
        return self

    def update_parameters_name(self, prefix="", recurse=True):
        """Rename every parameter `prefix + <attribute path>`."""
        for path, p in self.parameters_and_names(expand=recurse):
            p.name = prefix + path

    # ---- printing ------------------------------------------------------------------------------
    def extend_repr(self):
        return ""

    def __repr__(self):
        # PyTorch's layout, which MindSpore 2.10 prints: a lone one-line extra stays inline.
        extra = self.extend_repr()
        extra_lines = extra.split("\n") if extra else []
        child_lines = [
            f"({n}): " + repr(c).replace("\n", "\n  ")
            for n, c in self._cells.items()
            if c is not None
        ]
        lines = extra_lines + child_lines
        body = ""
        if len(extra_lines) == 1 and not child_lines:
            body = extra_lines[0]
        elif lines:
            body = "\n  " + "\n  ".join(lines) + "\n"
        return f"{type(self).__name__}({body})"
