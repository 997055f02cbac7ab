# sens_param=True: the last positional argument is the cotangent.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

x = Tensor(np.array([1.0, 2.0], np.float32))
y = Tensor(np.array([3.0, -1.0], np.float32))
def f(x, y):
    return x * x * y
print(mindspore.grad(f, 0, sens_param=True)(x, y, Tensor(np.array([1.0, 10.0], np.float32))))
def f2(x, y):
    return x * y, x + y
print(mindspore.grad(f2, (0, 1), sens_param=True)(x, y, (Tensor(np.array([1.0, 2.0], np.float32)), Tensor(np.array([0.5, 0.5], np.float32)))))
print(mindspore.value_and_grad(f, 1, sens_param=True)(x, y, Tensor(np.array([2.0, 2.0], np.float32))))

class Net(nn.Cell):
    def construct(self, x, y, z):
        return x * y * z
xx = Tensor([1, 2], mindspore.float32)
yy = Tensor([-2, 3], mindspore.float32)
zz = Tensor([0, 3], mindspore.float32)
print(mindspore.grad(Net(), (1, 2), sens_param=True)(xx, yy, zz, Tensor([1, 2], mindspore.float32)))
