"""`minispore.ops`: the functional API with MindSpore's names and signatures (layer 4).

Compositions of primitives; they declare no rules. The transforms are re-exported here, as
MindSpore exposes `ops.grad`, `ops.value_and_grad`, ....
"""

from minispore.ops.array import (  # noqa: F401
    arange, broadcast_to, cast, cat, chunk, concat, expand_dims, eye, fill, flatten, flip, full,
    full_like, gather, index_select, linspace, masked_fill, narrow, one_hot, ones, ones_like,
    pad, permute, rank, reshape, shape, size, split, squeeze, stack, swapaxes, tile, transpose,
    unsqueeze, zeros, zeros_like,
)
from minispore.ops.linalg import (  # noqa: F401
    bmm, cholesky, dense, det, dot, ger, inverse, matmul, matrix_inverse, outer, solve, trace,
)
from minispore.ops.math import (  # noqa: F401
    abs, absolute, acos, add, all, allclose, amax, amin, any, argmax, argmin, asin, atan, ceil,
    clamp, clip, cos, cosh, cumsum, div, divide, equal, erf, exp, expm1, floor, floor_divide,
    floor_mod, ge, gelu, greater, greater_equal, gt, inv, isclose, isfinite, isinf, isnan, le,
    lerp, less, less_equal, log, log1p, logical_and, logical_not, logical_or, logical_xor,
    logsumexp, lt, max, maximum, mean, min, minimum, mul, multiply, ne, neg, negative, norm,
    not_equal, pow, prod, reciprocal, reduce_sum, relu, remainder, round, rsqrt, sigmoid, sign,
    sin, sinh, softplus, sqrt, square, std, std_mean, sub, subtract, sum, tan, tanh,
    true_divide, var, var_mean, where,
)
from minispore.ops.nn_func import (  # noqa: F401
    binary_cross_entropy, binary_cross_entropy_with_logits, cross_entropy, dropout, huber_loss,
    kl_div, l1_loss, log_softmax, mse_loss, nll_loss, smooth_l1_loss, softmax,
)
from minispore.ops.operations import (  # noqa: F401
    Abs, Add, BatchMatMul, BroadcastTo, Cast, Concat, Cos, Div, Equal, Erf, Exp, ExpandDims,
    GradOperation, Greater, Less, Log, Log1p, LogSoftmax, MatMul, Maximum, Minimum, Mul, Neg,
    OnesLike, Pow, RealDiv, ReduceMax, ReduceMean, ReduceMin, ReduceProd, ReduceSum, ReLU,
    Reshape, Rsqrt, Select, Shape, Sigmoid, Sin, Softmax, Sqrt, Square, Squeeze, Stack, Sub,
    Tan, Tanh, Tile, Transpose, ZerosLike,
)
from minispore.ops.random import normal, rand, randint, randn, randperm, standard_normal, uniform  # noqa: F401
from minispore.ops import tensor_methods as _tensor_methods  # noqa: F401  (installs Tensor methods)
from minispore.ops.state import assign, assign_add, assign_sub, depend, stop_gradient  # noqa: F401
from minispore.transforms import (  # noqa: F401
    get_grad, grad, hessian, jacfwd, jacrev, jvp, value_and_grad, vjp,
)
