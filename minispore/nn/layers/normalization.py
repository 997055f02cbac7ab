"""`BatchNorm1d`, `BatchNorm2d` and `LayerNorm` with MindSpore's parameters and conventions."""

from __future__ import annotations

import numbers

from minispore import dtype as mstype
from minispore.common.initializer import initializer
from minispore.nn.cell import Cell
from minispore.ops import normalization as NORM
from minispore.ops._utils import value
from minispore.parameter import Parameter
from minispore.tensor import _wrap


class _BatchNorm(Cell):
    """Shared BatchNorm: `gamma`, `beta` (trainable), `moving_mean`, `moving_variance` (not).

    `momentum` is MindSpore's: the weight of the **old** running statistic,
    `new = momentum * old + (1 - momentum) * batch`, with the unbiased batch variance.
    `use_batch_statistics` None uses batch statistics in training mode and the running ones in
    inference mode; True or False forces one of them.
    """

    _name = "BatchNorm2d"
    _ranks = (4,)

    def __init__(
        self,
        num_features,
        eps=1e-5,
        momentum=0.9,
        affine=True,
        gamma_init="ones",
        beta_init="zeros",
        moving_mean_init="zeros",
        moving_var_init="ones",
        use_batch_statistics=None,
        data_format="NCHW",
        dtype=mstype.float32,
    ):
        super().__init__()
        cls = self._name
        if (
            isinstance(num_features, bool)
            or not isinstance(num_features, numbers.Integral)
            or num_features < 1
        ):
            raise ValueError(
                f"For '{cls}', 'num_features' must be a positive int, but got {num_features!r}"
            )
        if not isinstance(momentum, numbers.Real) or not 0 <= momentum <= 1:
            raise ValueError(f"For '{cls}', 'momentum' must be in [0, 1], but got {momentum!r}")
        if data_format != "NCHW":
            raise ValueError(
                f"For '{cls}', only data_format='NCHW' is supported, but got {data_format!r}"
            )
        self.num_features, self.eps, self.momentum = int(num_features), eps, momentum
        self.affine, self.use_batch_statistics = affine, use_batch_statistics
        c = (self.num_features,)
        self.moving_mean = Parameter(
            initializer(moving_mean_init, c, dtype), name="mean", requires_grad=False
        )
        self.moving_variance = Parameter(
            initializer(moving_var_init, c, dtype), name="variance", requires_grad=False
        )
        self.gamma = Parameter(
            initializer(gamma_init, c, dtype), name="gamma", requires_grad=affine
        )
        self.beta = Parameter(initializer(beta_init, c, dtype), name="beta", requires_grad=affine)

    def construct(self, x):
        v = value(x, self._name, "x")
        if v.ndim not in self._ranks:
            raise ValueError(
                f"For '{self._name}', the input must be {' or '.join(f'{r}-D' for r in self._ranks)}, "
                f"but got shape {tuple(v.shape)}"
            )
        if v.shape[1] != self.num_features:
            raise ValueError(
                f"For '{self._name}', the input has {v.shape[1]} channels (axis 1 of {tuple(v.shape)}) "
                f"but num_features is {self.num_features}"
            )
        training = self.training if self.use_batch_statistics is None else self.use_batch_statistics
        return _wrap(
            NORM.batch_norm_value(
                v,
                self.moving_mean,
                self.moving_variance,
                self.gamma,
                self.beta,
                training,
                1 - self.momentum,
                self.eps,
                self._name,
            )
        )

    def extend_repr(self):
        return (
            f"num_features={self.num_features}, eps={self.eps}, momentum={self.momentum}, "
            f"gamma={self.gamma}, beta={self.beta}, moving_mean={self.moving_mean}, "
            f"moving_variance={self.moving_variance}"
        )


class BatchNorm2d(_BatchNorm):
    """Batch normalisation of (N, C, H, W) input per channel."""


class BatchNorm1d(_BatchNorm):
    """Batch normalisation of (N, C) or (N, C, L) input per channel."""

    _name = "BatchNorm1d"
    _ranks = (2, 3)


class LayerNorm(Cell):
    """Normalises over the axes from `begin_norm_axis` on; `gamma`, `beta` have `normalized_shape`.

    Differs from MindSpore 2.10 only in print: MindSpore's repr reads `gammaParameter (...)`
    (a missing '='); ours reads `gamma=Parameter (...)`.
    """

    def __init__(
        self,
        normalized_shape,
        begin_norm_axis=-1,
        begin_params_axis=-1,
        gamma_init="ones",
        beta_init="zeros",
        epsilon=1e-7,
        dtype=mstype.float32,
    ):
        super().__init__()
        if not isinstance(normalized_shape, (tuple, list)):
            raise TypeError(
                f"For 'LayerNorm', 'normalized_shape' must be a tuple or list, but got {type(normalized_shape).__name__}"
            )
        self.normalized_shape = tuple(normalized_shape)
        self.begin_norm_axis, self.begin_params_axis, self.epsilon = (
            begin_norm_axis,
            begin_params_axis,
            epsilon,
        )
        self.gamma = Parameter(initializer(gamma_init, self.normalized_shape, dtype), name="gamma")
        self.beta = Parameter(initializer(beta_init, self.normalized_shape, dtype), name="beta")

    def construct(self, x):
        v = value(x, "LayerNorm", "x")
        begin = self.begin_norm_axis % v.ndim if -v.ndim <= self.begin_norm_axis < v.ndim else None
        pbegin = (
            self.begin_params_axis % v.ndim if -v.ndim <= self.begin_params_axis < v.ndim else None
        )
        if begin is None or pbegin is None or tuple(v.shape[pbegin:]) != self.normalized_shape:
            raise ValueError(
                f"For 'LayerNorm', input shape {tuple(v.shape)} does not fit normalized_shape "
                f"{self.normalized_shape} with begin_norm_axis={self.begin_norm_axis} and "
                f"begin_params_axis={self.begin_params_axis}"
            )
        return _wrap(
            NORM.layer_norm_value(
                v, begin, self.gamma._value, self.beta._value, self.epsilon, "LayerNorm"
            )
        )

    def extend_repr(self):
        return (
            f"normalized_shape={self.normalized_shape}, begin_norm_axis={self.begin_norm_axis}, "
            f"begin_params_axis={self.begin_params_axis}, gamma={self.gamma}, beta={self.beta}"
        )
