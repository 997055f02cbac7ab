# jvp(grad(f)) (Hessian-vector product).
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

x = Tensor(np.array([1.0, 2.0], np.float32))
v = Tensor(np.array([1.0, 0.0], np.float32))
def f(x):
    return (x ** 3).sum() + (x[0] * x[1])
df = mindspore.grad(f)
print(mindspore.jvp(df, x, v))
