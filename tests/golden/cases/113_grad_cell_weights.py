# grad of an nn.Cell directly, w.r.t. inputs and trainable params.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

class Net(nn.Cell):
    def __init__(self):
        super().__init__()
        self.w = Parameter(Tensor(np.array([[1.0, -1.0], [0.5, 2.0]], np.float32)), name='w')
        self.b = Parameter(Tensor(np.array([0.1, 0.2], np.float32)), name='b')
    def construct(self, x):
        return ops.tanh(ops.matmul(x, self.w) + self.b).sum()
net = Net()
x = Tensor(np.array([[0.5, 1.0], [-1.0, 0.5]], np.float32))  # keeps |tanh arg| < 3
print(mindspore.grad(net)(x))
print(mindspore.grad(net, None, net.trainable_params())(x))
print(mindspore.value_and_grad(net, 0, net.trainable_params())(x))
print([p.name for p in net.trainable_params()])
