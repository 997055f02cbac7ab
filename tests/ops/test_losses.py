"""Losses (spec section 7): the reference values, the seed's worked numbers, numerical stability,
gradients against central differences in float64, errors, and (when installed) PyTorch."""

from __future__ import annotations

import numpy as np
import pytest

import minispore as ms
from minispore import Tensor, nn, ops
from tests.helpers import num_grad as _num_grad
from tests.helpers import rng as _rng

# Section 7's inputs.
LOGITS = np.array([[2.0, 1.0, 0.1], [0.5, 2.5, 0.3]], np.float32)
LABELS = np.array([0, 1], np.int32)
A = np.array([[0.2, -1.0], [1.5, 0.3]], np.float32)
T = np.array([[0.0, 1.0], [1.0, 0.0]], np.float32)
# The KL target used by the golden case 079 (the spec's inputs for its KL values are not given).
KL_TARGET = np.array([[0.7, 0.2, 0.1], [0.1, 0.8, 0.1]], np.float32)


def _check_grad(loss_of, x, rtol=1e-6, atol=1e-8):
    """loss_of(Tensor) -> Tensor; compares grad of sum(loss * w) with central differences."""
    x = np.asarray(x, np.float64)
    out = loss_of(Tensor(x)).asnumpy()
    w = _rng(77).normal(size=out.shape) if out.ndim else np.array(1.0)

    def scalar(v):
        return float(np.sum(loss_of(Tensor(v)).asnumpy() * w))

    g = ms.grad(lambda t: ops.sum(loss_of(t) * Tensor(w)))(Tensor(x))
    assert g.shape == x.shape and g.dtype == ms.float64
    num = _num_grad(scalar, x)
    np.testing.assert_allclose(g.asnumpy(), num, rtol=rtol, atol=atol)
    assert np.abs(num).max() > 1e-6  # the check is not vacuous


def _np_log_softmax(x, axis=-1):
    m = x.max(axis=axis, keepdims=True)
    return x - m - np.log(np.exp(x - m).sum(axis=axis, keepdims=True))


# ---- section 7 values -------------------------------------------------------------------------


def test_cross_entropy_spec_values():
    x, y = Tensor(LOGITS), Tensor(LABELS)
    r = ops.cross_entropy(x, y)
    assert r.shape == () and r.dtype == ms.float32
    np.testing.assert_allclose(r.asnumpy(), 0.3185395, rtol=1e-5)
    none = ops.cross_entropy(x, y, reduction="none")
    assert none.shape == (2,)
    np.testing.assert_allclose(none.asnumpy(), [0.41703, 0.22005], rtol=1e-4)
    np.testing.assert_allclose(
        ops.cross_entropy(x, y, reduction="sum").asnumpy(), 0.41703 + 0.22005, rtol=1e-4
    )
    np.testing.assert_allclose(
        ops.cross_entropy(x, y, label_smoothing=0.1).asnumpy(), 0.43687, rtol=1e-4
    )
    w = Tensor(np.array([1.0, 2.0, 3.0], np.float32))
    np.testing.assert_allclose(ops.cross_entropy(x, y, weight=w).asnumpy(), 0.28571, rtol=1e-4)
    np.testing.assert_allclose(
        ops.cross_entropy(x, y, ignore_index=1).asnumpy(), 0.41703, rtol=1e-4
    )


def test_cross_entropy_weighted_mean_divides_by_weight_sum():
    lp = _np_log_softmax(LOGITS.astype(np.float64))
    w = np.array([1.0, 2.0, 3.0])
    exp = -(w[0] * lp[0, 0] + w[1] * lp[1, 1]) / (w[0] + w[1])
    r = ops.cross_entropy(Tensor(LOGITS.astype(np.float64)), Tensor(LABELS), weight=Tensor(w))
    np.testing.assert_allclose(r.asnumpy(), exp, rtol=1e-12)


def test_nll_loss_spec_value():
    r = ops.nll_loss(ops.log_softmax(Tensor(LOGITS)), Tensor(LABELS))
    assert r.shape == ()
    np.testing.assert_allclose(r.asnumpy(), 0.31853908, rtol=1e-5)


def test_bce_with_logits_spec_values():
    a, t = Tensor(A), Tensor(T)
    np.testing.assert_allclose(
        ops.binary_cross_entropy_with_logits(a, t).asnumpy(), 0.79179, rtol=1e-4
    )
    np.testing.assert_allclose(
        ops.binary_cross_entropy_with_logits(a, t, reduction="sum").asnumpy(), 3.16717, rtol=1e-5
    )
    pw = Tensor(np.array([1.0, 2.0], np.float32))
    np.testing.assert_allclose(
        ops.binary_cross_entropy_with_logits(a, t, pos_weight=pw).asnumpy(), 1.12011, rtol=1e-5
    )
    # the autograd tutorial passes ones as weight and pos_weight positionally: same as None
    ones = ops.ones_like(a)
    np.testing.assert_allclose(
        ops.binary_cross_entropy_with_logits(a, t, ones, ones).asnumpy(), 0.79179, rtol=1e-4
    )


def test_bce_with_logits_cell_spec_values():
    a, t = Tensor(A), Tensor(T)
    np.testing.assert_allclose(nn.BCEWithLogitsLoss()(a, t).asnumpy(), 0.79179, rtol=1e-4)
    np.testing.assert_allclose(
        nn.BCEWithLogitsLoss(reduction="sum")(a, t).asnumpy(), 3.16717, rtol=1e-5
    )
    pw = Tensor(np.array([1.0, 2.0], np.float32))
    np.testing.assert_allclose(
        nn.BCEWithLogitsLoss(pos_weight=pw)(a, t).asnumpy(), 1.12011, rtol=1e-5
    )
    none = nn.BCEWithLogitsLoss(reduction="none")(a, t)
    assert none.shape == (2, 2)
    with pytest.raises(ValueError, match="reduction"):
        nn.BCEWithLogitsLoss(reduction="avg")


def test_bce_on_probabilities_spec_value():
    p = ops.sigmoid(Tensor(A))
    np.testing.assert_allclose(ops.binary_cross_entropy(p, Tensor(T)).asnumpy(), 0.79179, rtol=1e-4)


def test_mse_l1_spec_values():
    # mean((a - t)^2) = (0.04 + 4 + 0.25 + 0.09) / 4 = 1.095; mean|a - t| = 3 / 4 = 0.75
    a, t = Tensor(A), Tensor(T)
    np.testing.assert_allclose(ops.mse_loss(a, t).asnumpy(), 1.095, rtol=1e-6)
    np.testing.assert_allclose(ops.l1_loss(a, t).asnumpy(), 0.75, rtol=1e-6)
    np.testing.assert_allclose(ops.mse_loss(a, t, reduction="sum").asnumpy(), 4.38, rtol=1e-6)
    np.testing.assert_allclose(
        ops.l1_loss(a, t, reduction="none").asnumpy(), np.abs(A - T), rtol=1e-6
    )


def test_kl_div_reductions():
    # The spec's KL numbers (0.047815 / 0.143445 / 0.286889) could not be reproduced from any
    # sensible reading of its inputs; check the definitions instead: sum p (log p - logits).
    lp = _np_log_softmax(LOGITS.astype(np.float64))
    p = KL_TARGET.astype(np.float64)
    elem = p * (np.log(p) - lp)
    x, y = Tensor(lp), Tensor(p)
    np.testing.assert_allclose(ops.kl_div(x, y, reduction="none").asnumpy(), elem, rtol=1e-12)
    np.testing.assert_allclose(
        ops.kl_div(x, y).asnumpy(), elem.mean(), rtol=1e-12
    )  # mean over elements
    np.testing.assert_allclose(ops.kl_div(x, y, "batchmean").asnumpy(), elem.sum() / 2, rtol=1e-12)
    np.testing.assert_allclose(ops.kl_div(x, y, reduction="sum").asnumpy(), elem.sum(), rtol=1e-12)
    # the golden file's MindSpore 2.10 values for these float32 inputs
    lp32 = ops.log_softmax(Tensor(LOGITS), 1)
    # (KL is a small difference of larger terms: float32 cancellation allows ~1e-3 relative error)
    np.testing.assert_allclose(ops.kl_div(lp32, Tensor(KL_TARGET)).asnumpy(), 0.00103795, rtol=1e-3)
    np.testing.assert_allclose(
        ops.kl_div(lp32, Tensor(KL_TARGET), "batchmean").asnumpy(), 0.00311386, rtol=1e-3
    )
    np.testing.assert_allclose(
        ops.kl_div(lp32, Tensor(KL_TARGET), reduction="sum").asnumpy(), 0.00622772, rtol=1e-3
    )


def test_kl_div_zero_target_contributes_zero():
    lq = np.log(np.array([[0.5, 0.25, 0.25]]))
    p = np.array([[1.0, 0.0, 0.0]])
    r = ops.kl_div(Tensor(lq), Tensor(p), reduction="sum")
    assert np.isfinite(r.asnumpy())
    np.testing.assert_allclose(r.asnumpy(), -np.log(0.5), rtol=1e-12)


def test_smooth_l1_and_huber():
    rng = _rng(1)
    x, y = rng.normal(size=(3, 4)) * 2, rng.normal(size=(3, 4))
    d = np.abs(x - y)
    for beta in (1.0, 0.5):
        exp = np.where(d < beta, 0.5 * d**2 / beta, d - 0.5 * beta)
        r = ops.smooth_l1_loss(Tensor(x), Tensor(y), beta)
        assert r.shape == (3, 4)  # the default reduction is 'none'
        np.testing.assert_allclose(r.asnumpy(), exp, rtol=1e-12)
        np.testing.assert_allclose(
            ops.smooth_l1_loss(Tensor(x), Tensor(y), beta, "mean").asnumpy(), exp.mean(), rtol=1e-12
        )
    for delta in (1.0, 0.7):
        exp = np.where(d <= delta, 0.5 * d**2, delta * (d - 0.5 * delta))
        np.testing.assert_allclose(
            ops.huber_loss(Tensor(x), Tensor(y), delta=delta).asnumpy(), exp.mean(), rtol=1e-12
        )
        np.testing.assert_allclose(
            ops.huber_loss(Tensor(x), Tensor(y), "none", delta).asnumpy(), exp, rtol=1e-12
        )


# ---- loss cells (section 7 lists them as nn classes) ---------------------------------------------

_CELLS = {
    "MSELoss": (lambda: nn.MSELoss(), (A, T), 1.095),
    "L1Loss": (lambda: nn.L1Loss(), (A, T), 0.75),
    "BCELoss": (lambda: nn.BCELoss(), (1 / (1 + np.exp(-A.astype(np.float64))), T), 0.79179),
    "BCEWithLogitsLoss": (lambda: nn.BCEWithLogitsLoss(), (A, T), 0.79179),
    "CrossEntropyLoss": (lambda: nn.CrossEntropyLoss(), (LOGITS, LABELS), 0.3185395),
    "CrossEntropyLoss_smooth": (
        lambda: nn.CrossEntropyLoss(label_smoothing=0.1),
        (LOGITS, LABELS),
        0.43687,
    ),
    "CrossEntropyLoss_weight": (
        lambda: nn.CrossEntropyLoss(weight=Tensor(np.array([1.0, 2, 3], np.float32))),
        (LOGITS, LABELS),
        0.28571,
    ),
    "CrossEntropyLoss_ignore": (
        lambda: nn.CrossEntropyLoss(ignore_index=1),
        (LOGITS, LABELS),
        0.41703,
    ),
    "NLLLoss": (
        lambda: nn.NLLLoss(),
        (_np_log_softmax(LOGITS.astype(np.float64)), LABELS),
        0.31853908,
    ),
    "KLDivLoss": (
        lambda: nn.KLDivLoss(),
        (_np_log_softmax(LOGITS.astype(np.float64)), KL_TARGET.astype(np.float64)),
        # The float64 truth; MindSpore 2.10 prints 0.00103795, its float32 error (golden 079).
        0.0010381878508095126,
    ),
    "HuberLoss": (
        lambda: nn.HuberLoss(),
        (A, T),
        float(np.mean(np.where(np.abs(A - T) <= 1, 0.5 * (A - T) ** 2, np.abs(A - T) - 0.5))),
    ),
}


@pytest.mark.parametrize("name", sorted(_CELLS))
def test_loss_cell_spec_values(name):
    make, (x, y), expected = _CELLS[name]
    cell = make()
    r = cell(Tensor(x), Tensor(y))
    assert r.shape == ()
    np.testing.assert_allclose(r.asnumpy(), expected, rtol=1e-4)


def test_smooth_l1_loss_cell_default_reduction_is_none():
    r = nn.SmoothL1Loss()(Tensor(A), Tensor(T))
    assert r.shape == (2, 2)


def test_softmax_cross_entropy_with_logits_cell():
    r = nn.SoftmaxCrossEntropyWithLogits(sparse=True)(Tensor(LOGITS), Tensor(LABELS))
    assert r.shape == (2,)  # reduction='none' by default
    np.testing.assert_allclose(r.asnumpy(), [0.41703, 0.22005], rtol=1e-4)


# ---- labels, targets, seed numbers -------------------------------------------------------------


@pytest.mark.parametrize("dtype", [np.int32, np.int64, np.uint8])
def test_integer_label_dtypes_accepted(dtype):
    # MindSpore requires int32; minispore accepts int64 (and other integer types) too.
    y = Tensor(LABELS.astype(dtype))
    np.testing.assert_allclose(ops.cross_entropy(Tensor(LOGITS), y).asnumpy(), 0.3185395, rtol=1e-5)
    np.testing.assert_allclose(
        ops.nll_loss(ops.log_softmax(Tensor(LOGITS)), y).asnumpy(), 0.31853908, rtol=1e-5
    )
    np.testing.assert_allclose(
        ops.cross_entropy(
            Tensor(LOGITS), y, weight=Tensor(np.array([1.0, 2, 3], np.float32))
        ).asnumpy(),
        0.28571,
        rtol=1e-4,
    )


def test_probability_targets():
    x = LOGITS.astype(np.float64)
    onehot = np.eye(3)[LABELS]
    r = ops.cross_entropy(Tensor(x), Tensor(onehot))
    np.testing.assert_allclose(r.asnumpy(), 0.3185395, rtol=1e-6)
    soft = np.array([[0.6, 0.3, 0.1], [0.2, 0.5, 0.3]])
    lp = _np_log_softmax(x)
    per = -(soft * lp).sum(1)
    np.testing.assert_allclose(
        ops.cross_entropy(Tensor(x), Tensor(soft), reduction="none").asnumpy(), per, rtol=1e-12
    )
    np.testing.assert_allclose(
        ops.cross_entropy(Tensor(x), Tensor(soft)).asnumpy(), per.mean(), rtol=1e-12
    )
    w = np.array([1.0, 2.0, 3.0])
    np.testing.assert_allclose(
        ops.cross_entropy(Tensor(x), Tensor(soft), weight=Tensor(w), reduction="sum").asnumpy(),
        -(soft * lp * w).sum(),
        rtol=1e-12,
    )
    sm = soft * 0.8 + 0.2 / 3
    np.testing.assert_allclose(
        ops.cross_entropy(Tensor(x), Tensor(soft), label_smoothing=0.2).asnumpy(),
        (-(sm * lp).sum(1)).mean(),
        rtol=1e-12,
    )


def test_probability_targets_match_class_indices_with_smoothing():
    # One-hot probability targets with smoothing equal class-index targets with smoothing.
    x = Tensor(LOGITS.astype(np.float64))
    a = ops.cross_entropy(x, Tensor(np.eye(3)[LABELS]), label_smoothing=0.1)
    b = ops.cross_entropy(x, Tensor(LABELS), label_smoothing=0.1)
    np.testing.assert_allclose(a.asnumpy(), b.asnumpy(), rtol=1e-12)


def test_seed_binary_cross_entropy_worked_number():
    r = ops.binary_cross_entropy(
        Tensor(np.array([0.8, 0.2, 0.4], np.float32)), Tensor(np.array([1.0, 0.0, 0.0], np.float32))
    )
    exp = -(np.log(0.8) + np.log(0.8) + np.log(0.6)) / 3
    np.testing.assert_allclose(r.asnumpy(), exp, rtol=1e-6)
    np.testing.assert_allclose(r.asnumpy(), 0.31903, rtol=1e-4)
    assert round(float(r), 3) == 0.319


def test_seed_cross_entropy_worked_number():
    p = Tensor(np.array([[0.3, 0.6, 0.1]], np.float32))
    r = ops.nll_loss(ops.log(p), Tensor(np.array([1], np.int32)))
    np.testing.assert_allclose(r.asnumpy(), -np.log(0.6), rtol=1e-6)
    r1 = ops.nll_loss(ops.log(Tensor(np.array([0.3, 0.6, 0.1]))), Tensor(np.array(1)))  # 1-D input
    np.testing.assert_allclose(r1.asnumpy(), -np.log(0.6), rtol=1e-12)


def test_nll_loss_variants():
    rng = _rng(2)
    lp = _np_log_softmax(rng.normal(size=(5, 4)))
    y = np.array([0, 3, 1, 3, 2])
    w = np.array([0.5, 1.0, 2.0, 1.5])
    picked = lp[np.arange(5), y]
    np.testing.assert_allclose(
        ops.nll_loss(Tensor(lp), Tensor(y), reduction="none").asnumpy(), -picked, rtol=1e-12
    )
    np.testing.assert_allclose(
        ops.nll_loss(Tensor(lp), Tensor(y), reduction="sum").asnumpy(), -picked.sum(), rtol=1e-12
    )
    np.testing.assert_allclose(
        ops.nll_loss(Tensor(lp), Tensor(y), Tensor(w)).asnumpy(),
        -(w[y] * picked).sum() / w[y].sum(),
        rtol=1e-12,
    )
    keep = y != 3
    np.testing.assert_allclose(
        ops.nll_loss(Tensor(lp), Tensor(y), ignore_index=3).asnumpy(),
        -picked[keep].mean(),
        rtol=1e-12,
    )
    none = ops.nll_loss(Tensor(lp), Tensor(y), ignore_index=3, reduction="none").asnumpy()
    np.testing.assert_allclose(none, np.where(keep, -picked, 0.0), rtol=1e-12)


def test_cross_entropy_spatial_inputs():
    rng = _rng(3)
    x = rng.normal(size=(2, 3, 4))  # (N, C, d1)
    y = rng.integers(0, 3, size=(2, 4))
    lp = _np_log_softmax(x, axis=1)
    picked = np.take_along_axis(lp, y[:, None, :], axis=1)[:, 0, :]
    r = ops.cross_entropy(Tensor(x), Tensor(y), reduction="none")
    assert r.shape == (2, 4)
    np.testing.assert_allclose(r.asnumpy(), -picked, rtol=1e-12)
    np.testing.assert_allclose(
        ops.cross_entropy(Tensor(x), Tensor(y)).asnumpy(), -picked.mean(), rtol=1e-12
    )


def test_binary_losses_weights():
    rng = _rng(4)
    x, y = rng.normal(size=(3, 4)), (rng.uniform(size=(3, 4)) > 0.5).astype(np.float64)
    w = rng.uniform(0.5, 2.0, size=(4,))
    pw = rng.uniform(0.5, 3.0, size=(4,))
    p = 1 / (1 + np.exp(-x))
    base = -(pw * y * np.log(p) + (1 - y) * np.log(1 - p)) * w
    r = ops.binary_cross_entropy_with_logits(Tensor(x), Tensor(y), Tensor(w), Tensor(pw), "none")
    np.testing.assert_allclose(r.asnumpy(), base, rtol=1e-10)
    bce = -(y * np.log(p) + (1 - y) * np.log(1 - p))
    np.testing.assert_allclose(
        ops.binary_cross_entropy(Tensor(p), Tensor(y), Tensor(w), "sum").asnumpy(),
        (bce * w).sum(),
        rtol=1e-10,
    )
    full_w = rng.uniform(0.5, 2.0, size=(3, 4))
    np.testing.assert_allclose(
        ops.binary_cross_entropy(Tensor(p), Tensor(y), Tensor(full_w), "none").asnumpy(),
        bce * full_w,
        rtol=1e-10,
    )


def test_bce_broadcast_weight_every_row_weighted():
    # MindSpore 2.10 zeroes rows after the first with a broadcast weight (section 12.12);
    # minispore must give the correct answer.
    p = np.array([[0.2, 0.7], [0.6, 0.4], [0.9, 0.1]])
    y = np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    w = np.array([2.0, 0.5])
    r = ops.binary_cross_entropy(Tensor(p), Tensor(y), Tensor(w), reduction="none").asnumpy()
    exp = -(y * np.log(p) + (1 - y) * np.log(1 - p)) * w
    np.testing.assert_allclose(r, exp, rtol=1e-12)
    assert (r[1:] != 0).all()


def test_binary_cross_entropy_clamps_log():
    r = ops.binary_cross_entropy(
        Tensor(np.array([0.0, 1.0])), Tensor(np.array([1.0, 0.0])), reduction="none"
    )
    np.testing.assert_allclose(r.asnumpy(), [100.0, 100.0])


# ---- numerical stability --------------------------------------------------------------------


def test_bce_with_logits_extreme_logits_finite():
    x = np.array([1000.0, -1000.0, 1000.0, -1000.0], np.float32)
    y = np.array([1.0, 0.0, 0.0, 1.0], np.float32)
    r = ops.binary_cross_entropy_with_logits(Tensor(x), Tensor(y), reduction="none").asnumpy()
    assert np.isfinite(r).all()
    np.testing.assert_allclose(r, [0.0, 0.0, 1000.0, 1000.0], atol=1e-6)
    pw = ops.binary_cross_entropy_with_logits(
        Tensor(x), Tensor(y), pos_weight=Tensor(np.full(4, 2.0, np.float32)), reduction="none"
    ).asnumpy()
    assert np.isfinite(pw).all()
    np.testing.assert_allclose(pw, [0.0, 0.0, 1000.0, 2000.0], atol=1e-6)
    g = ms.grad(lambda t: ops.binary_cross_entropy_with_logits(t, Tensor(y)))(Tensor(x))
    assert np.isfinite(g.asnumpy()).all()
    np.testing.assert_allclose(g.asnumpy(), [0.0, 0.0, 0.25, -0.25], atol=1e-6)


def test_log_softmax_softmax_large_logits():
    x = np.array([[1000.0, 0.0, -1000.0], [3e4, 3e4, 3e4]], np.float32)
    ls = ops.log_softmax(Tensor(x)).asnumpy()
    assert np.isfinite(ls).all()
    np.testing.assert_allclose(ls[0], [0.0, -1000.0, -2000.0], rtol=1e-6)
    np.testing.assert_allclose(ls[1], np.log(1 / 3) * np.ones(3), rtol=1e-6)
    sm = ops.softmax(Tensor(x)).asnumpy()
    assert np.isfinite(sm).all()
    np.testing.assert_allclose(sm.sum(-1), 1.0, rtol=1e-6)
    ce = ops.cross_entropy(Tensor(x), Tensor(np.array([2, 0])), reduction="none").asnumpy()
    assert np.isfinite(ce).all()
    # accurate to a few ulps of the largest logit (3e4 in float32: ulp ~2e-3)
    np.testing.assert_allclose(
        ce, [2000.0, np.log(3)], rtol=1e-6, atol=4 * np.spacing(np.float32(3e4))
    )
    g = ms.grad(lambda t: ops.cross_entropy(t, Tensor(np.array([2, 0]))))(Tensor(x))
    assert np.isfinite(g.asnumpy()).all()
    np.testing.assert_allclose(g.asnumpy(), [[0.5, 0.0, -0.5], [-1 / 3, 1 / 6, 1 / 6]], atol=1e-6)


@pytest.mark.parametrize("axis", [0, 1, -1])
def test_softmax_sums_to_one_and_matches_numpy(axis):
    x = _rng(5).normal(size=(3, 4)) * 5
    sm = ops.softmax(Tensor(x), axis).asnumpy()
    np.testing.assert_allclose(sm.sum(axis), 1.0, rtol=1e-12)
    np.testing.assert_allclose(sm, np.exp(_np_log_softmax(x, axis)), rtol=1e-12)
    np.testing.assert_allclose(
        ops.log_softmax(Tensor(x), axis).asnumpy(), _np_log_softmax(x, axis), rtol=1e-12
    )
    assert ops.softmax(Tensor(np.array([1, 2, 3], np.int32))).dtype == ms.float32
    assert ops.softmax(Tensor(x.astype(np.float32)), dtype=ms.float64).dtype == ms.float64


# ---- gradients against central differences ----------------------------------------------------

_LOGITS64 = _rng(6).normal(size=(4, 3))
_Y = np.array([0, 2, 1, 2])
_W3 = np.array([0.5, 2.0, 1.5])
_SOFT = np.array([[0.2, 0.5, 0.3], [0.1, 0.1, 0.8], [0.6, 0.2, 0.2], [1 / 3, 1 / 3, 1 / 3]])
_BX = _rng(7).normal(size=(3, 4))
_BY = (_rng(8).uniform(size=(3, 4)) > 0.5).astype(np.float64)
_BW = _rng(9).uniform(0.5, 2, size=(4,))
_REG_Y = _rng(10).normal(size=(3, 4))

_LOSS_GRADS = {}
for _red in ("mean", "sum", "none"):
    _LOSS_GRADS.update(
        {
            f"cross_entropy-{_red}": (
                lambda t, r=_red: ops.cross_entropy(t, Tensor(_Y), reduction=r),
                _LOGITS64,
            ),
            f"cross_entropy_weight-{_red}": (
                lambda t, r=_red: ops.cross_entropy(t, Tensor(_Y), Tensor(_W3), reduction=r),
                _LOGITS64,
            ),
            f"cross_entropy_ignore-{_red}": (
                lambda t, r=_red: ops.cross_entropy(t, Tensor(_Y), ignore_index=2, reduction=r),
                _LOGITS64,
            ),
            f"cross_entropy_smooth-{_red}": (
                lambda t, r=_red: ops.cross_entropy(
                    t, Tensor(_Y), label_smoothing=0.2, reduction=r
                ),
                _LOGITS64,
            ),
            f"cross_entropy_all-{_red}": (
                lambda t, r=_red: ops.cross_entropy(t, Tensor(_Y), Tensor(_W3), 0, r, 0.1),
                _LOGITS64,
            ),
            f"cross_entropy_probs-{_red}": (
                lambda t, r=_red: ops.cross_entropy(t, Tensor(_SOFT), reduction=r),
                _LOGITS64,
            ),
            f"cross_entropy_probs_weight_smooth-{_red}": (
                lambda t, r=_red: ops.cross_entropy(
                    t, Tensor(_SOFT), Tensor(_W3), reduction=r, label_smoothing=0.1
                ),
                _LOGITS64,
            ),
            f"nll_loss-{_red}": (
                lambda t, r=_red: ops.nll_loss(ops.log_softmax(t), Tensor(_Y), reduction=r),
                _LOGITS64,
            ),
            f"nll_loss_weight_ignore-{_red}": (
                lambda t, r=_red: ops.nll_loss(ops.log_softmax(t), Tensor(_Y), Tensor(_W3), 0, r),
                _LOGITS64,
            ),
            f"bce_with_logits-{_red}": (
                lambda t, r=_red: ops.binary_cross_entropy_with_logits(t, Tensor(_BY), reduction=r),
                _BX,
            ),
            f"bce_with_logits_weights-{_red}": (
                lambda t, r=_red: ops.binary_cross_entropy_with_logits(
                    t, Tensor(_BY), Tensor(_BW), Tensor(_BW * 2), r
                ),
                _BX,
            ),
            f"bce-{_red}": (
                lambda t, r=_red: ops.binary_cross_entropy(
                    ops.sigmoid(t), Tensor(_BY), reduction=r
                ),
                _BX,
            ),
            f"bce_weight-{_red}": (
                lambda t, r=_red: ops.binary_cross_entropy(
                    ops.sigmoid(t), Tensor(_BY), Tensor(_BW), r
                ),
                _BX,
            ),
            f"mse-{_red}": (lambda t, r=_red: ops.mse_loss(t, Tensor(_REG_Y), r), _BX),
            f"l1-{_red}": (lambda t, r=_red: ops.l1_loss(t, Tensor(_REG_Y), r), _BX),
            f"smooth_l1-{_red}": (
                lambda t, r=_red: ops.smooth_l1_loss(t, Tensor(_REG_Y), 0.8, r),
                _BX,
            ),
            f"huber-{_red}": (lambda t, r=_red: ops.huber_loss(t, Tensor(_REG_Y), r, 0.8), _BX),
            f"kl_div-{_red}": (
                lambda t, r=_red: ops.kl_div(ops.log_softmax(t), Tensor(_SOFT), r),
                _LOGITS64,
            ),
        }
    )
_LOSS_GRADS["kl_div-batchmean"] = (
    lambda t: ops.kl_div(ops.log_softmax(t), Tensor(_SOFT), "batchmean"),
    _LOGITS64,
)
_LOSS_GRADS["log_softmax"] = (lambda t: ops.log_softmax(t, 0), _LOGITS64)
_LOSS_GRADS["softmax"] = (lambda t: ops.softmax(t), _LOGITS64)
_LOSS_GRADS["cross_entropy_spatial"] = (
    lambda t: ops.cross_entropy(t, Tensor(np.array([[0, 2], [1, 1]])), Tensor(_W3)),
    _rng(11).normal(size=(2, 3, 2)),
)


@pytest.mark.parametrize("name", sorted(_LOSS_GRADS))
def test_loss_gradient_matches_central_differences(name):
    fn, x = _LOSS_GRADS[name]
    _check_grad(fn, x)


def test_loss_gradient_wrt_target_for_regression_losses():
    x = Tensor(_BX)
    for fn in (ops.mse_loss, ops.l1_loss, lambda a, b: ops.huber_loss(a, b, delta=0.8)):
        g = ms.grad(lambda y, fn=fn: fn(x, y))(Tensor(_REG_Y))
        num = _num_grad(lambda v, fn=fn: float(fn(x, Tensor(v)).asnumpy()), _REG_Y)
        np.testing.assert_allclose(g.asnumpy(), num, rtol=1e-6, atol=1e-8)


# ---- errors -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "call",
    [
        lambda r: ops.cross_entropy(Tensor(LOGITS), Tensor(LABELS), reduction=r),
        lambda r: ops.nll_loss(Tensor(LOGITS), Tensor(LABELS), reduction=r),
        lambda r: ops.binary_cross_entropy_with_logits(Tensor(A), Tensor(T), reduction=r),
        lambda r: ops.binary_cross_entropy(ops.sigmoid(Tensor(A)), Tensor(T), reduction=r),
        lambda r: ops.mse_loss(Tensor(A), Tensor(T), r),
        lambda r: ops.l1_loss(Tensor(A), Tensor(T), r),
        lambda r: ops.smooth_l1_loss(Tensor(A), Tensor(T), reduction=r),
        lambda r: ops.huber_loss(Tensor(A), Tensor(T), r),
        lambda r: ops.kl_div(Tensor(A), Tensor(T), r),
    ],
)
def test_bad_reduction_raises(call):
    with pytest.raises(ValueError, match="reduction"):
        call("avg")


@pytest.mark.parametrize(
    "op, call",
    [
        (
            "binary_cross_entropy_with_logits",
            lambda: ops.binary_cross_entropy_with_logits(Tensor(A), Tensor(T[0])),
        ),
        (
            "binary_cross_entropy",
            lambda: ops.binary_cross_entropy(Tensor(A), Tensor(np.ones((3, 2), np.float32))),
        ),
        (
            "cross_entropy",
            lambda: ops.cross_entropy(Tensor(LOGITS), Tensor(np.array([0, 1, 2], np.int32))),
        ),
        (
            "cross_entropy",
            lambda: ops.cross_entropy(Tensor(LOGITS), Tensor(np.ones((2, 4), np.float32))),
        ),
        ("nll_loss", lambda: ops.nll_loss(Tensor(LOGITS), Tensor(np.array([0], np.int32)))),
        ("mse_loss", lambda: ops.mse_loss(Tensor(A), Tensor(np.ones(3, np.float32)))),
        ("l1_loss", lambda: ops.l1_loss(Tensor(A), Tensor(np.ones((3, 2), np.float32)))),
    ],
)
def test_shape_mismatch_raises_value_error_naming_op(op, call):
    with pytest.raises(ValueError) as exc:
        call()
    assert f"'{op}'" in str(exc.value)


def test_float_class_labels_rejected():
    with pytest.raises(TypeError, match="nll_loss"):
        ops.nll_loss(Tensor(LOGITS), Tensor(np.array([0.0, 1.0], np.float32)))
    # float labels of shape (N,) are not probability targets of shape (N, C)
    with pytest.raises((TypeError, ValueError), match="cross_entropy"):
        ops.cross_entropy(Tensor(LOGITS), Tensor(np.array([0.0, 1.0], np.float32)))


@pytest.mark.parametrize("label", [3, -1])
def test_out_of_range_class_raises(label):
    y = Tensor(np.array([0, label], np.int32))
    with pytest.raises(IndexError, match="cross_entropy"):
        ops.cross_entropy(Tensor(LOGITS), y)
    with pytest.raises(IndexError, match="cross_entropy"):
        ops.cross_entropy(Tensor(LOGITS), y, weight=Tensor(np.ones(3, np.float32)))
    with pytest.raises(IndexError, match="nll_loss"):
        ops.nll_loss(Tensor(LOGITS), y)


def test_bad_weight_and_smoothing():
    with pytest.raises(ValueError, match="weight"):
        ops.cross_entropy(Tensor(LOGITS), Tensor(LABELS), weight=Tensor(np.ones(2, np.float32)))
    with pytest.raises(ValueError, match="label_smoothing"):
        ops.cross_entropy(Tensor(LOGITS), Tensor(LABELS), label_smoothing=1.5)
    with pytest.raises(ValueError, match="pos_weight"):
        ops.binary_cross_entropy_with_logits(
            Tensor(A), Tensor(T), pos_weight=Tensor(np.full(3, 2.0, np.float32))
        )
    with pytest.raises(ValueError, match="weight"):
        ops.binary_cross_entropy_with_logits(
            Tensor(A), Tensor(T), weight=Tensor(np.full(3, 2.0, np.float32))
        )
    with pytest.raises(ValueError, match="weight"):
        ops.binary_cross_entropy(
            ops.sigmoid(Tensor(A)), Tensor(T), weight=Tensor(np.ones(3, np.float32))
        )
    with pytest.raises(ValueError, match="beta"):
        ops.smooth_l1_loss(Tensor(A), Tensor(T), beta=0.0)


@pytest.mark.parametrize("arg", ["weight", "pos_weight"])
def test_bce_with_logits_all_ones_weight_of_wrong_shape_rejected(arg):
    # An all-ones weight of a shape that does not broadcast is as invalid as any other.
    with pytest.raises(ValueError, match=arg):
        ops.binary_cross_entropy_with_logits(
            Tensor(A), Tensor(T), **{arg: Tensor(np.ones(3, np.float32))}
        )


def test_non_tensor_loss_input_raises_type_error():
    with pytest.raises(TypeError, match="cross_entropy"):
        ops.cross_entropy(LOGITS, Tensor(LABELS))
    with pytest.raises(TypeError, match="mse_loss"):
        ops.mse_loss(Tensor(A), T)


# ---- PyTorch reference -----------------------------------------------------------------------


_SPATIAL_X = _rng(12).normal(size=(2, 3, 4, 2))
_SPATIAL_P = _rng(13).dirichlet(np.ones(3), size=(2, 4, 2)).transpose(0, 3, 1, 2)
_SPATIAL_Y = _rng(14).integers(0, 3, size=(2, 4, 2))


def _torch_cases(torch):
    F = torch.nn.functional
    t = torch.tensor
    cases = []
    for r in ("mean", "sum", "none"):
        cases += [
            (
                f"cross_entropy-{r}",
                lambda x, r=r: ops.cross_entropy(x, Tensor(_Y), reduction=r),
                lambda x, r=r: F.cross_entropy(x, t(_Y), reduction=r),
                _LOGITS64,
            ),
            (
                f"cross_entropy_weight_ignore_smooth-{r}",
                lambda x, r=r: ops.cross_entropy(x, Tensor(_Y), Tensor(_W3), 0, r, 0.15),
                lambda x, r=r: F.cross_entropy(
                    x, t(_Y), t(_W3), ignore_index=0, reduction=r, label_smoothing=0.15
                ),
                _LOGITS64,
            ),
            (
                f"cross_entropy_probs_weight_smooth-{r}",
                lambda x, r=r: ops.cross_entropy(
                    x, Tensor(_SOFT), Tensor(_W3), reduction=r, label_smoothing=0.1
                ),
                lambda x, r=r: F.cross_entropy(
                    x, t(_SOFT), t(_W3), reduction=r, label_smoothing=0.1
                ),
                _LOGITS64,
            ),
            (
                f"nll_loss_weight_ignore-{r}",
                lambda x, r=r: ops.nll_loss(x, Tensor(_Y), Tensor(_W3), 1, r),
                lambda x, r=r: F.nll_loss(x, t(_Y), t(_W3), ignore_index=1, reduction=r),
                _np_log_softmax(_LOGITS64),
            ),
            (
                f"bce_with_logits-{r}",
                lambda x, r=r: ops.binary_cross_entropy_with_logits(
                    x, Tensor(_BY), Tensor(_BW), Tensor(_BW + 1), r
                ),
                lambda x, r=r: F.binary_cross_entropy_with_logits(
                    x, t(_BY), t(_BW), reduction=r, pos_weight=t(_BW + 1)
                ),
                _BX,
            ),
            (
                f"bce-{r}",
                lambda x, r=r: ops.binary_cross_entropy(x, Tensor(_BY), Tensor(_BW), r),
                lambda x, r=r: F.binary_cross_entropy(x, t(_BY), t(_BW), reduction=r),
                1 / (1 + np.exp(-_BX)),
            ),
            (
                f"mse-{r}",
                lambda x, r=r: ops.mse_loss(x, Tensor(_REG_Y), r),
                lambda x, r=r: F.mse_loss(x, t(_REG_Y), reduction=r),
                _BX,
            ),
            (
                f"l1-{r}",
                lambda x, r=r: ops.l1_loss(x, Tensor(_REG_Y), r),
                lambda x, r=r: F.l1_loss(x, t(_REG_Y), reduction=r),
                _BX,
            ),
            (
                f"smooth_l1-{r}",
                lambda x, r=r: ops.smooth_l1_loss(x, Tensor(_REG_Y), 0.7, r),
                lambda x, r=r: F.smooth_l1_loss(x, t(_REG_Y), reduction=r, beta=0.7),
                _BX,
            ),
            (
                f"huber-{r}",
                lambda x, r=r: ops.huber_loss(x, Tensor(_REG_Y), r, 0.7),
                lambda x, r=r: F.huber_loss(x, t(_REG_Y), reduction=r, delta=0.7),
                _BX,
            ),
            (
                f"kl_div-{r}",
                lambda x, r=r: ops.kl_div(x, Tensor(_SOFT), r),
                lambda x, r=r: F.kl_div(x, t(_SOFT), reduction=r),
                _np_log_softmax(_LOGITS64),
            ),
        ]
    cases += [
        (
            "kl_div-batchmean",
            lambda x: ops.kl_div(x, Tensor(_SOFT), "batchmean"),
            lambda x: F.kl_div(x, t(_SOFT), reduction="batchmean"),
            _np_log_softmax(_LOGITS64),
        ),
        (
            "cross_entropy_spatial",
            lambda x: ops.cross_entropy(x, Tensor(np.array([[0, 2], [1, 1]]))),
            lambda x: F.cross_entropy(x, t(np.array([[0, 2], [1, 1]]))),
            _rng(11).normal(size=(2, 3, 2)),
        ),
        (
            "cross_entropy_unbatched",
            lambda x: ops.cross_entropy(x, Tensor(np.array(2)), Tensor(_W3), label_smoothing=0.1),
            lambda x: F.cross_entropy(x, t(2), t(_W3), label_smoothing=0.1),
            _LOGITS64[0],
        ),
        (
            "cross_entropy_spatial_probs",
            lambda x: ops.cross_entropy(x, Tensor(_SPATIAL_P), Tensor(_W3), label_smoothing=0.2),
            lambda x: F.cross_entropy(x, t(_SPATIAL_P), t(_W3), label_smoothing=0.2),
            _SPATIAL_X,
        ),
        (
            "cross_entropy_spatial_all",
            lambda x: ops.cross_entropy(x, Tensor(_SPATIAL_Y), Tensor(_W3), 1, "mean", 0.3),
            lambda x: F.cross_entropy(
                x, t(_SPATIAL_Y), t(_W3), ignore_index=1, label_smoothing=0.3
            ),
            _SPATIAL_X,
        ),
        (
            "nll_loss_spatial",
            lambda x: ops.nll_loss(x, Tensor(_SPATIAL_Y), Tensor(_W3), 1, "none"),
            lambda x: F.nll_loss(x, t(_SPATIAL_Y), t(_W3), ignore_index=1, reduction="none"),
            _SPATIAL_X,
        ),
        ("log_softmax", lambda x: ops.log_softmax(x, 0), lambda x: F.log_softmax(x, 0), _LOGITS64),
        ("softmax", lambda x: ops.softmax(x, 1), lambda x: F.softmax(x, 1), _LOGITS64),
    ]
    return cases


@pytest.mark.filterwarnings("ignore:reduction:UserWarning")
def test_losses_match_torch():
    torch = pytest.importorskip("torch")
    cases = _torch_cases(torch)
    assert len(cases) > 30
    for name, ours, theirs, x in cases:
        out = ours(Tensor(x)).asnumpy()
        w = _rng(5).normal(size=out.shape)
        xt = torch.tensor(x, dtype=torch.float64, requires_grad=True)
        ref = theirs(xt)
        np.testing.assert_allclose(
            out, ref.detach().numpy(), rtol=1e-10, atol=1e-12, err_msg=f"{name}: value"
        )
        (ref * torch.tensor(w)).sum().backward()
        g = ms.grad(lambda v, ours=ours, w=w: ops.sum(ours(v) * Tensor(w)))(Tensor(x))
        np.testing.assert_allclose(
            g.asnumpy(), xt.grad.numpy(), rtol=1e-10, atol=1e-12, err_msg=f"{name}: grad"
        )
