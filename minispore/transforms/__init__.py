"""Function transformations with MindSpore's signatures: grad, value_and_grad, get_grad, jvp,
vjp, jacfwd, jacrev, hessian and vmap (layer 3). Interpreters over the core's traces: none of them
names a primitive.
"""

from minispore.transforms.forward import jvp, vjp
from minispore.transforms.grad import get_grad, grad, value_and_grad
from minispore.transforms.jacobians import hessian, jacfwd, jacrev
from minispore.transforms.make_graph import make_graph
from minispore.transforms.vmap import vmap

__all__ = [
    "get_grad",
    "grad",
    "hessian",
    "jacfwd",
    "jacrev",
    "jvp",
    "make_graph",
    "value_and_grad",
    "vjp",
    "vmap",
]
