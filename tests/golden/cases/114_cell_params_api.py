# Cell parameter API and naming used by the tutorials.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

class Sub(nn.Cell):
    def __init__(self):
        super().__init__()
        self.weight = Parameter(Tensor(np.ones((2,), np.float32)))
class Net(nn.Cell):
    def __init__(self):
        super().__init__()
        self.a = Parameter(Tensor(np.zeros((1,), np.float32)))
        self.sub = Sub()
        self.c = Parameter(Tensor(np.zeros((3,), np.float32)), name='explicit', requires_grad=False)
    def construct(self, x):
        return x
net = Net()
print([p.name for p in net.trainable_params()])
print([p.name for p in net.untrainable_params()])
print([p.name for p in net.get_parameters()])
print([n for n, p in net.parameters_and_names()])
print(list(net.parameters_dict().keys()))
print(net.training, net.set_train() is net, net.training)
print(type(net.get_parameters()).__name__)
