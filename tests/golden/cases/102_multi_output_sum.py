# Multiple outputs: the gradient is that of the sum of all Tensor outputs.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

x = Tensor(np.array([1.0, 2.0], np.float32))
def f(x):
    return x ** 3, 2 * x
print(mindspore.grad(f)(x))
def f_list(x):
    return [x * x, x]
print(mindspore.grad(f_list)(x))
def f_dict(x):
    return {'a': x * x, 'b': 3 * x}
print(mindspore.grad(f_dict)(x))
def f_nested(x):
    return (x * x, (x, 4 * x))
print(mindspore.grad(f_nested)(x))
def f_nontensor(x):
    return x * x, 3, None
print(mindspore.grad(f_nontensor)(x))
print(mindspore.value_and_grad(f)(x))
