# Seed tutorial, block 7: nn.Cell + BCEWithLogitsLoss + value_and_grad over weights.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

np.random.seed(0)
x = ops.ones(5, mindspore.float32)  # input tensor
y = ops.zeros(3, mindspore.float32)  # expected output
w = Parameter(Tensor(np.random.randn(5, 3), mindspore.float32), name='w') # weight
b = Parameter(Tensor(np.random.randn(3,), mindspore.float32), name='b') # bias

# 定义神经网络模型
# Define model
class Network(nn.Cell):
    def __init__(self):
        super().__init__()
        self.w = w
        self.b = b

    def construct(self, x):
        z = ops.matmul(x, self.w) + self.b
        return z


# Instantiate model
model = Network()
# Instantiate loss function
loss_fn = nn.BCEWithLogitsLoss()


# Define forward function
def forward_fn(x, y):
    z = model(x)
    loss = loss_fn(z, y)
    return loss


# 注入损失函数
grad_fn = mindspore.value_and_grad(forward_fn, None, weights=model.trainable_params())
loss, grads = grad_fn(x, y)
print(grads)
print(loss)
print(model.trainable_params())
print(type(model.trainable_params()).__name__)
print([p.name for p in model.trainable_params()])
print(model(x))
