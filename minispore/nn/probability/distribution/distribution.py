"""`Distribution`: the base of MindSpore's probability distributions, a `Cell` (layer 5).

A subclass declares `PARAMETERS` (its per-call parameter names, in order, with constraints),
registers its constructor parameters with `_init_params`, and implements private methods on raw
values (ndarrays, or tracers under a transform): `_log_prob(value, *params)`, `_cdf`, `_mean(*params)`,
`_kl_loss(params_a, params_b)`, `_sample(shape, *params)`, .... The public methods resolve the
parameters (given per call, else those of the constructor), check, cast and broadcast them, and
wrap the results as Tensors. Missing methods derive from others (prob from log_prob, sd from var,
survival from cdf, cross entropy from entropy and KL), as in MindSpore.
"""

from __future__ import annotations

import contextlib

import numpy as np

from minispore import dtype as mstype
from minispore.core.primitive import concrete
from minispore.nn.cell import Cell
from minispore.nn.probability.distribution import _utils as U
from minispore.prims import elementwise as E
from minispore.prims import random as R
from minispore.prims import shape as Sh
from minispore.tensor import Tensor, _wrap

F32, F64 = np.dtype(np.float32), np.dtype(np.float64)

_METHODS = (
    "prob",
    "log_prob",
    "cdf",
    "log_cdf",
    "survival_function",
    "log_survival",
    "mean",
    "mode",
    "sd",
    "var",
    "entropy",
    "kl_loss",
    "cross_entropy",
    "sample",
    "get_dist_args",
    "get_dist_type",
)


def _not_implemented(method, name):
    return NotImplementedError(f"{method} is not implemented for {name} distribution.")


class Distribution(Cell):
    """Base class of the distributions, MindSpore's `mindspore.nn.probability.distribution`.

    Every method takes the distribution's parameters either from the constructor or per call,
    positionally in the order of `PARAMETERS` or by name (``d.log_prob(x, mean=m, sd=s)``); a
    parameter given per call must be a Tensor, and evaluates the method for that distribution
    without changing `d`. `kl_loss(dist, *params_b, *params_a)` and `cross_entropy` take the
    other distribution's parameters first (required, named ``<name>_b``), then optionally this
    one's (named ``<name>`` or ``<name>_a``).

    Results are float32; float64 when the distribution was built with `dtype=mstype.float64` or
    when a float64 Tensor is passed per call. NOTE: MindSpore computes per-call float64
    parameters in float32; here they keep float64 (maximum likelihood needs it).

    Attributes:
        PARAMETERS: a class attribute, the per-call parameter names in order, each mapped to its
            constraint: ``'real'``, ``'positive'``, ``'unit_interval'`` ([0, 1]),
            ``'simplex'`` (probabilities along the last axis), ``'nonnegative_integer'``.
            `minispore.mle.fit_distribution` and other generic code read it.

    Args:
        seed: seed of `sample`; None or 0 use minispore's global generator (`set_seed`), a
            positive seed gives the distribution a stream of its own.
        dtype: the dtype of the samples.
        name: the distribution's name, used in messages.
        param: the constructor's arguments (`dict(locals())`), with `param_dict` holding the
            distribution's parameters by name.
    """

    PARAMETERS: dict = {}
    _REPR_LABELS: tuple = ()

    def __init__(self, seed, dtype, name, param):
        super().__init__()
        if seed is None:
            seed = 0
        if not isinstance(name, str):
            raise TypeError(
                f"For '{type(self).__name__}', the 'name' must be a str, but got "
                f"{type(name).__name__}"
            )
        if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
            raise ValueError(
                f"For '{name}', the 'seed' must be int and must >= 0, but got {seed!r} with type "
                f"{type(seed).__name__!r}"
            )
        self._name = name
        self._seed = int(seed)
        self._dtype = dtype
        self._rng = None
        self._parameters = {k: v for k, v in param.items() if k != "self" and not k.startswith("_")}
        self.default_parameters = []
        self.parameter_names = []
        param_dict = self._parameters.get("param_dict", {})
        self.parameter_type = mstype.float64 if dtype == mstype.float64 else mstype.float32
        self._is_scalar_batch = all(
            v is None or type(v) in (int, float) for v in param_dict.values()
        )
        self._batch_shape = self._calc_batch_shape(param_dict)
        self._broadcast_shape = self._batch_shape

    # ---- properties ----------------------------------------------------------------------------
    @property
    def name(self):
        return self._name

    @property
    def dtype(self):
        return self._dtype

    @property
    def seed(self):
        return self._seed

    @property
    def parameters(self):
        """The constructor's arguments, by name."""
        return self._parameters

    @property
    def is_scalar_batch(self):
        return self._is_scalar_batch

    @property
    def batch_shape(self):
        return self._batch_shape

    @property
    def broadcast_shape(self):
        return self._broadcast_shape

    @staticmethod
    def _calc_batch_shape(param_dict):
        shapes = []
        for v in param_dict.values():
            if v is None:
                return None
            shapes.append(np.shape(concrete(v._value)) if isinstance(v, Tensor) else np.shape(v))
        return tuple(np.broadcast_shapes(*shapes)) if shapes else ()

    def extend_repr(self):
        if not self.is_scalar_batch:
            return f"batch_shape = {self._broadcast_shape}"
        return ", ".join(
            f"{label} = {value}" for label, value in zip(self._REPR_LABELS, self.default_parameters)
        )

    # ---- parameters ----------------------------------------------------------------------------
    def _reset_parameters(self):
        self.default_parameters = []
        self.parameter_names = []

    def _add_parameter(self, value, name):
        """Keep a constructor parameter as a Tensor (a Tensor or Parameter is kept as given, so
        gradients reach it) and record it as the default of per-call parameter `name`."""
        if value is None:
            t = None
        elif isinstance(value, Tensor):
            t = value
        elif isinstance(value, bool):
            raise TypeError(f"For '{self.name}', '{name}' cannot be a bool")
        elif isinstance(value, (int, float, list, tuple, np.ndarray, np.generic)):
            t = Tensor(np.asarray(value, dtype=self.parameter_type.np))
        else:
            raise TypeError(
                f"For '{self.name}', unable to convert '{name}' of type {type(value).__name__} "
                f"to a Tensor of type {self.parameter_type}"
            )
        self.default_parameters.append(t)
        self.parameter_names.append(name)
        return t

    def _init_params(self, param, dtypes, **attrs):
        """The constructor the subclasses share: check `dtype` against `dtypes`, run
        `Distribution.__init__`, keep each parameter with `_add_parameter`, then check those whose
        `PARAMETERS` constraint is 'positive' (other constraints the subclass checks itself).

        Args:
            param: the subclass constructor's `locals()` (its arguments, `seed`, `dtype`, `name`).
            dtypes: the dtypes `dtype` may take.
            **attrs: constructor argument -> the attribute that keeps it, in `PARAMETERS` order
                (the per-call names come from `PARAMETERS`: Bernoulli's `probs` is `probs1`).
        """
        param = dict(param, param_dict={arg: param[arg] for arg in attrs})
        U.check_dtype(param["dtype"], dtypes, type(self).__name__)
        Distribution.__init__(self, param["seed"], param["dtype"], param["name"], param)
        for (arg, attr), key in zip(attrs.items(), self.PARAMETERS):
            setattr(self, attr, self._add_parameter(param[arg], key))
        for (arg, attr), key in zip(attrs.items(), self.PARAMETERS):
            if self.PARAMETERS[key] == "positive":
                U.positive(self.name, getattr(self, attr), arg)

    def _names(self):
        return list(self.PARAMETERS)

    def _given(self, method, args, kwargs, names, aliases=None):
        """Map positional and keyword parameters onto `names` (aliases: other accepted names)."""
        if len(args) > len(names):
            raise TypeError(
                f"For '{self.name}.{method}', expected at most {len(names)} parameters "
                f"{tuple(names)}, but got {len(args)} positional arguments"
            )
        given = dict(zip(names, args))
        for key, v in kwargs.items():
            key = (aliases or {}).get(key, key)
            if key not in names:
                raise TypeError(
                    f"For '{self.name}.{method}', unexpected argument '{key}'; the parameters "
                    f"are {tuple(names)}"
                )
            if key in given:
                raise TypeError(f"For '{self.name}.{method}', '{key}' was given twice")
            given[key] = v
        for key, v in given.items():
            if v is not None and not isinstance(v, Tensor):
                raise TypeError(
                    f"For '{self.name}.{method}', '{key}' must be a Tensor or Parameter, but "
                    f"got {type(v).__name__}"
                )
        return given

    def _defaults(self, method, given, names, defaults):
        out = []
        for n, d in zip(names, defaults):
            v = given.get(n)
            if v is None:
                if d is None:
                    raise TypeError(
                        f"For '{self.name}.{method}', the parameter '{n}' is not given: it was "
                        f"not set at construction, so pass it in the call ({n}=Tensor(...))"
                    )
                v = d
            out.append(v)
        return out

    def _compute_dtype(self, tensors):
        if self.parameter_type == mstype.float64 or any(
            t is not None and t.dtype == mstype.float64 for t in tensors
        ):
            return F64
        return F32

    @staticmethod
    def _raw(tensors, dtype, broadcast):
        vals = []
        for t in tensors:
            v = t._value
            if np.asarray(concrete(v)).dtype != dtype:
                v = E.cast(v, dtype=dtype)
            vals.append(v)
        if broadcast and len(vals) > 1:
            shape = tuple(np.broadcast_shapes(*(np.shape(concrete(v)) for v in vals)))
            vals = [
                v if np.shape(concrete(v)) == shape else Sh.broadcast_to(v, shape=shape)
                for v in vals
            ]
        return vals

    def _dist_params(self, method, args, kwargs):
        """This distribution's parameters for `method`: raw values, cast and broadcast."""
        names = self._names()
        given = self._given(method, args, kwargs, names)
        tensors = self._defaults(method, given, names, self.default_parameters)
        dtype = self._compute_dtype([given.get(n) for n in names])
        return self._raw(tensors, dtype, broadcast=True), dtype

    def _pair(self, method, dist, args, kwargs):
        """(parameters of this distribution `a`, parameters of `dist` b) for KL and cross entropy."""
        if dist is None:
            raise ValueError("Input dist must be a constant which is not None.")
        if dist != self._get_dist_type():
            raise ValueError(f"Expected dist input is {self._get_dist_type()}, but got {dist}.")
        names = self._names()
        b_names = [f"{n}_b" for n in names]
        aliases = {f"{n}_a": n for n in names}
        given = self._given(method, args, kwargs, b_names + names, aliases)
        missing = [n for n in b_names if given.get(n) is None]
        if missing:
            raise TypeError(
                f"For '{self.name}.{method}', the parameters of distribution b {tuple(b_names)} "
                f"are required, but {tuple(missing)} are missing"
            )
        b = [given[n] for n in b_names]
        a = self._defaults(method, given, names, self.default_parameters)
        dtype = self._compute_dtype(b + [given.get(n) for n in names])
        return self._raw(a, dtype, broadcast=True), self._raw(b, dtype, broadcast=False), dtype

    def _check_value(self, method, value, dtype):
        if not isinstance(value, Tensor):
            raise TypeError(
                f"For '{self.name}.{method}', 'value' must be a Tensor or Parameter, but got "
                f"{type(value).__name__}"
            )
        v = value._value
        if np.asarray(concrete(v)).dtype != dtype:
            v = E.cast(v, dtype=dtype)
        return v

    # ---- public methods ------------------------------------------------------------------------
    def _run(self, fn, *args):
        with np.errstate(all="ignore"):
            return _wrap(fn(*args))

    def _evaluate(self, method, value, args, kwargs):
        params, dtype = self._dist_params(method, args, kwargs)
        x = self._check_value(method, value, dtype)
        return self._run(getattr(self, "_" + method), x, *params)

    def _describe(self, method, args, kwargs):
        params, _ = self._dist_params(method, args, kwargs)
        return self._run(getattr(self, "_" + method), *params)

    def prob(self, value, *args, **kwargs):
        """The probability (mass or density) of `value`; parameters optional (see the class)."""
        return self._evaluate("prob", value, args, kwargs)

    def log_prob(self, value, *args, **kwargs):
        """The log probability (mass or density) of `value`."""
        return self._evaluate("log_prob", value, args, kwargs)

    def cdf(self, value, *args, **kwargs):
        """The cumulative distribution function P(X <= value)."""
        return self._evaluate("cdf", value, args, kwargs)

    def log_cdf(self, value, *args, **kwargs):
        """log P(X <= value), computed in log space where it matters."""
        return self._evaluate("log_cdf", value, args, kwargs)

    def survival_function(self, value, *args, **kwargs):
        """P(X > value) = 1 - cdf(value)."""
        return self._evaluate("survival_function", value, args, kwargs)

    def log_survival(self, value, *args, **kwargs):
        """log P(X > value)."""
        return self._evaluate("log_survival", value, args, kwargs)

    def mean(self, *args, **kwargs):
        return self._describe("mean", args, kwargs)

    def mode(self, *args, **kwargs):
        return self._describe("mode", args, kwargs)

    def sd(self, *args, **kwargs):
        """The standard deviation."""
        return self._describe("sd", args, kwargs)

    def var(self, *args, **kwargs):
        """The variance."""
        return self._describe("var", args, kwargs)

    def entropy(self, *args, **kwargs):
        return self._describe("entropy", args, kwargs)

    def kl_loss(self, dist, *args, **kwargs):
        """KL(a || b), with `a` this distribution and `b` one of type `dist` (a class name, e.g.
        'Normal') whose parameters come first: ``kl_loss('Normal', mean_b, sd_b[, mean, sd])``."""
        a, b, _ = self._pair("kl_loss", dist, args, kwargs)
        return self._run(self._kl_loss, a, b)

    def cross_entropy(self, dist, *args, **kwargs):
        """H(a, b) = H(a) + KL(a || b); arguments as `kl_loss`."""
        a, b, _ = self._pair("cross_entropy", dist, args, kwargs)
        return self._run(self._cross_entropy, a, b)

    def sample(self, *args, **kwargs):
        """Draw samples of shape `shape + batch_shape`: ``sample(shape=(), *params)``.

        Draws come from minispore's generator, seeded by `minispore.set_seed` (or from the
        distribution's own stream when it was built with a positive `seed`).
        """
        if args:
            shape, args = args[0], args[1:]
        else:
            shape = kwargs.pop("shape", ())
        if not isinstance(shape, tuple) or not all(
            isinstance(s, (int, np.integer)) and not isinstance(s, bool) and s >= 0 for s in shape
        ):
            raise TypeError(
                f"For '{self.name}.sample', 'shape' must be a tuple of non-negative ints, but got "
                f"{shape!r}"
            )
        params, dtype = self._dist_params("sample", args, kwargs)
        with self._generator(), np.errstate(all="ignore"):
            return _wrap(
                self._out(self._sample(tuple(int(s) for s in shape), dtype, *params), dtype)
            )

    def get_dist_args(self, *args, **kwargs):
        """The parameters a call with these arguments would use (defaults filled in)."""
        names = self._names()
        given = self._given("get_dist_args", args, kwargs, names)
        return tuple(
            given.get(n) if given.get(n) is not None else d
            for n, d in zip(names, self.default_parameters)
        )

    def get_dist_type(self):
        """The distribution's type name, e.g. 'Normal'."""
        return self._get_dist_type()

    def _get_dist_type(self):
        return type(self).__name__

    def construct(self, name, *args, **kwargs):
        """Call a method by name: ``d('log_prob', value)`` is ``d.log_prob(value)``."""
        if name not in _METHODS:
            raise _not_implemented(name, self.name)
        return getattr(self, name)(*args, **kwargs)

    @contextlib.contextmanager
    def _generator(self):
        if not self._seed:
            yield
            return
        if self._rng is None:
            self._rng = np.random.default_rng(self._seed)
        saved = R.get_generator()
        R.set_generator(self._rng)
        try:
            yield
        finally:
            R.set_generator(saved)

    # ---- private methods on raw values: derived defaults ---------------------------------------
    def _overrides(self, method):
        return getattr(type(self), method) is not getattr(Distribution, method)

    def _prob(self, x, *p):
        if not self._overrides("_log_prob"):
            raise _not_implemented("prob", self.name)
        return E.exp(self._log_prob(x, *p))

    def _log_prob(self, x, *p):
        if not self._overrides("_prob"):
            raise _not_implemented("log_prob", self.name)
        return E.log(self._prob(x, *p))

    def _cdf(self, x, *p):
        raise _not_implemented("cdf", self.name)

    def _log_cdf(self, x, *p):
        return self._log_of(self._cdf(x, *p), lambda: self._survival_function(x, *p))

    def _survival_function(self, x, *p):
        return E.sub(1.0, self._cdf(x, *p))

    def _log_survival(self, x, *p):
        return self._log_of(self._survival_function(x, *p), lambda: self._cdf(x, *p))

    def _log_of(self, prob, complement):
        """log(prob), or log1p(-complement) where prob > 1/2 and the class computes the
        complement directly (so log cdf keeps its digits where the cdf is close to 1)."""
        if not (self._overrides("_cdf") and self._overrides("_survival_function")):
            return E.log(prob)
        high = E.greater(prob, 0.5)
        other = complement()
        near_one = E.log1p(E.neg(U.safe(high, other, 0.0)))
        return E.where(high, near_one, E.log(U.safe(high, 0.5, prob)))

    def _mean(self, *p):
        raise _not_implemented("mean", self.name)

    def _mode(self, *p):
        raise _not_implemented("mode", self.name)

    def _sd(self, *p):
        if not self._overrides("_var"):
            raise _not_implemented("sd", self.name)
        return E.sqrt(self._var(*p))

    def _var(self, *p):
        if not self._overrides("_sd"):
            raise _not_implemented("var", self.name)
        return E.square(self._sd(*p))

    def _entropy(self, *p):
        raise _not_implemented("entropy", self.name)

    def _kl_loss(self, a, b):
        raise _not_implemented("kl_loss", self.name)

    def _cross_entropy(self, a, b):
        if not (self._overrides("_entropy") and self._overrides("_kl_loss")):
            raise _not_implemented("cross_entropy", self.name)
        return E.add(self._entropy(*a), self._kl_loss(a, b))

    def _sample(self, shape, dtype, *p):
        raise _not_implemented("sample", self.name)

    # ---- helpers for subclasses ----------------------------------------------------------------
    @staticmethod
    def _batch(*params):
        return tuple(np.broadcast_shapes(*(np.shape(concrete(v)) for v in params)))

    @staticmethod
    def _uniform(shape, low=U.TINY):
        """Uniform draws in [low, 1) as float64: `low` = tiny keeps log(u) finite."""
        return R.random_uniform(shape=shape, dtype=F64, low=low, high=1.0)

    @staticmethod
    def _float64(v):
        """`v` as float64 (the random primitives draw in float64, as NumPy's samplers do)."""
        return v if np.asarray(concrete(v)).dtype == F64 else E.cast(v, dtype=F64)

    def _out(self, x, dtype):
        """Cast a sample to the distribution's dtype, or `dtype` for a float distribution."""
        target = self.dtype.np if self.dtype not in U.FLOAT_TYPES else dtype
        return E.cast(x, dtype=np.dtype(target)) if np.asarray(concrete(x)).dtype != target else x


class _LocScale(Distribution):
    """A location-scale family with per-call parameters `loc` (real) and `scale` (> 0): the
    constructor's checks and the properties; subclasses declare their constructor's defaults and
    their formulas."""

    PARAMETERS = {"loc": "real", "scale": "positive"}
    _REPR_LABELS = ("loc", "scale")

    def _init_loc_scale(self, param):
        self._init_params(param, U.FLOAT_TYPES, loc="_loc", scale="_scale")

    @property
    def loc(self):
        return self._loc

    @property
    def scale(self):
        return self._scale
