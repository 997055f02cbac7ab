# Parameters are read at call time: set_data / ops.assign after grad() is created.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

w = Parameter(Tensor(np.array([1.0, 2.0], np.float32)), name='w')
x = Tensor(np.array([3.0, 4.0], np.float32))
def f(x):
    return (x * w * w).sum()
gf = mindspore.value_and_grad(f, None, [w])
print(gf(x))
w.set_data(Tensor(np.array([10.0, 20.0], np.float32)))
print(gf(x))
ops.assign(w, Tensor(np.array([-1.0, 0.5], np.float32)))
print(gf(x))
print(w)
print(w.value())
