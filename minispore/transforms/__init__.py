"""Function transformations with MindSpore's signatures: grad, value_and_grad, get_grad, jvp,
vjp, jacfwd, jacrev, and hessian (layer 3). Interpreters over the core's traces: none of them
names a primitive.
"""

from minispore.transforms.forward import jvp, vjp
from minispore.transforms.grad import get_grad, grad, value_and_grad
from minispore.transforms.jacobians import hessian, jacfwd, jacrev

__all__ = ["get_grad", "grad", "hessian", "jacfwd", "jacrev", "jvp", "value_and_grad", "vjp"]
