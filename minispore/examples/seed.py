"""The tutorial "functional automatic differentiation", run as written for MindSpore.

`python -m minispore.examples.seed` prints the loss and the gradients of the single-layer model
`z = x @ w + b` with a binary-cross-entropy loss: with `grad`, with two outputs, with
`stop_gradient`, with `has_aux`, and for the same model written as an `nn.Cell` trained through
`value_and_grad`. The code below is the tutorial's, with `import minispore as mindspore`.
"""

import numpy as np

import minispore as mindspore
from minispore import Parameter, Tensor, nn, ops


def main(seed: int = 0) -> None:
    np.random.seed(seed)
    x = ops.ones(5, mindspore.float32)  # input tensor
    y = ops.zeros(3, mindspore.float32)  # expected output
    w = Parameter(Tensor(np.random.randn(5, 3), mindspore.float32), name="w")  # weight
    b = Parameter(
        Tensor(
            np.random.randn(
                3,
            ),
            mindspore.float32,
        ),
        name="b",
    )  # bias

    def function(x, y, w, b):
        z = ops.matmul(x, w) + b
        loss = ops.binary_cross_entropy_with_logits(z, y, ops.ones_like(z), ops.ones_like(z))
        return loss

    loss = function(x, y, w, b)
    print("loss")
    print(loss)

    print("gradients of w and b: grad(function, (2, 3))")
    grad_fn = mindspore.grad(function, (2, 3))
    grads = grad_fn(x, y, w, b)
    print(grads)

    def function_with_logits(x, y, w, b):
        z = ops.matmul(x, w) + b
        loss = ops.binary_cross_entropy_with_logits(z, y, ops.ones_like(z), ops.ones_like(z))
        return loss, z

    print("two outputs (loss, z): every output is differentiated")
    grad_fn = mindspore.grad(function_with_logits, (2, 3))
    grads = grad_fn(x, y, w, b)
    print(grads)

    def function_stop_gradient(x, y, w, b):
        z = ops.matmul(x, w) + b
        loss = ops.binary_cross_entropy_with_logits(z, y, ops.ones_like(z), ops.ones_like(z))
        return loss, ops.stop_gradient(z)

    print("stop_gradient(z): only the loss is differentiated")
    grad_fn = mindspore.grad(function_stop_gradient, (2, 3))
    grads = grad_fn(x, y, w, b)
    print(grads)

    print("has_aux=True: z is returned as auxiliary data")
    grad_fn = mindspore.grad(function_with_logits, (2, 3), has_aux=True)
    grads, (z,) = grad_fn(x, y, w, b)
    print(grads, z)

    class Network(nn.Cell):
        def __init__(self):
            super().__init__()
            self.w = w
            self.b = b

        def construct(self, x):
            z = ops.matmul(x, self.w) + self.b
            return z

    model = Network()
    loss_fn = nn.BCEWithLogitsLoss()

    def forward_fn(x, y):
        z = model(x)
        loss = loss_fn(z, y)
        return loss

    print("nn.Cell + value_and_grad over model.trainable_params()")
    grad_fn = mindspore.value_and_grad(forward_fn, None, weights=model.trainable_params())
    loss, grads = grad_fn(x, y)
    print(loss)
    print(grads)


if __name__ == "__main__":
    main()
