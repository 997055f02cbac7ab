"""`minispore.common`: initializers and dtypes under MindSpore's module paths."""

from minispore import dtype  # noqa: F401
from minispore.parameter import Parameter, ParameterTuple  # noqa: F401
from minispore.tensor import Tensor  # noqa: F401
