"""MLEResult: statistics, intervals, the summary table, and the NumPy normal distribution helpers."""

import math

import numpy as np
import pytest

from minispore import Tensor, mle
from minispore._stats import norm_cdf, norm_ppf, norm_sf
from tests.mle.models import normal_nll

stats = pytest.importorskip("scipy.stats")


def _fit(**kwargs):
    x = Tensor(np.random.default_rng(60).normal(0.3, 1.5, 80))
    return mle.fit(normal_nll, (0.0, 1.0), args=(x,), constraints=(None, "positive"), **kwargs)


def test_statistics_follow_their_definitions():
    res = _fit(names=["mean", "sd"])
    assert res.nobs == 80 and res.df_model == 2
    assert res.aic == pytest.approx(4 - 2 * res.llf, rel=1e-15)
    assert res.bic == pytest.approx(2 * math.log(80) - 2 * res.llf, rel=1e-15)
    z = res.flat_params / res.flat_bse
    np.testing.assert_allclose(res.zvalues, z)
    np.testing.assert_allclose(res.pvalues, 2 * stats.norm.sf(np.abs(z)), rtol=1e-12)
    ci = res.conf_int(0.01)
    q = stats.norm.ppf(0.995)
    np.testing.assert_allclose(
        ci, np.column_stack([z - q, z + q]) * res.flat_bse[:, None], rtol=1e-12
    )
    np.testing.assert_allclose(np.sqrt(np.diag(res.cov)), res.flat_bse)
    with pytest.raises(ValueError, match="'alpha' must be in"):
        res.conf_int(1.5)


def test_nobs_given_inferred_or_unknown():
    assert _fit(nobs=10).bic == pytest.approx(2 * math.log(10) - 2 * _fit().llf)
    res = mle.fit(lambda p: ((p - 3.0) ** 2).sum(), 0.0)
    assert res.nobs is None and math.isnan(res.bic) and "unknown" in res.summary()


def test_summary_table_lists_every_parameter():
    res = _fit(names=["mean", "sd"])
    text = res.summary()
    lines = text.splitlines()
    assert "Maximum likelihood results" in lines[0]
    row = next(line for line in lines if line.startswith("mean "))
    fields = row.split()
    assert float(fields[1]) == pytest.approx(res.flat_params[0], rel=1e-3)
    assert float(fields[2]) == pytest.approx(res.flat_bse[0], rel=1e-3)
    assert float(fields[3]) == pytest.approx(res.zvalues[0], abs=1e-3)
    assert any(line.startswith("sd ") for line in lines)
    assert "[0.025" in text and "0.975]" in text and f"{res.llf:.6g}" in text
    assert str(res) == text and "mean=" in repr(res)


def test_tuple_result_structure():
    res = mle.fit(lambda p: ((p[0] - 1.0) ** 2).sum() + ((p[1] - 2.0) ** 2).sum(),
                  (0.0, np.zeros((2, 2))))  # fmt: skip
    assert isinstance(res.params, tuple) and isinstance(res.bse, tuple)
    assert res.params[0].shape == () and res.params[1].shape == (2, 2)
    assert res.names == ["par0", "par1[0,0]", "par1[0,1]", "par1[1,0]", "par1[1,1]"]
    np.testing.assert_allclose(res.params[1].asnumpy(), np.full((2, 2), 2.0))
    np.testing.assert_allclose(res.flat_bse, np.full(5, np.sqrt(0.5)), rtol=1e-12)


def test_normal_helpers_match_scipy():
    z = np.linspace(-30, 30, 601)
    np.testing.assert_allclose(norm_sf(z), stats.norm.sf(z), rtol=1e-12)
    np.testing.assert_allclose(norm_cdf(z), stats.norm.cdf(z), rtol=1e-12)
    p = np.concatenate([[1e-300, 1e-20, 1e-9], np.linspace(0.001, 0.999, 999), [1 - 1e-12]])
    np.testing.assert_allclose(norm_ppf(p), stats.norm.ppf(p), rtol=1e-13, atol=1e-13)
    assert norm_ppf(0.0) == -np.inf and norm_ppf(1.0) == np.inf
    assert np.isnan(norm_ppf(1.5))  # outside [0, 1], as SciPy: conf_int checks alpha itself
