"""`minispore.mle`: maximum likelihood estimation on the autodiff engine.

`fit` minimises any negative log-likelihood written with minispore ops (gradients from `grad`,
observed information from `hessian`); `fit_distribution` fits the distributions of
`minispore.nn.probability.distribution`. See docs/mle.md.
"""

from minispore.mle.constraints import (
    Constraint,
    Interval,
    Positive,
    Real,
    Simplex,
    UnitInterval,
    interval,
    positive,
    probability,
    real,
    simplex,
    unit_interval,
)
from minispore.mle.distributions import fit_distribution
from minispore.mle.fit import ConvergenceWarning, fit
from minispore.mle.result import MLEResult

__all__ = [
    "Constraint",
    "ConvergenceWarning",
    "Interval",
    "MLEResult",
    "Positive",
    "Real",
    "Simplex",
    "UnitInterval",
    "fit",
    "fit_distribution",
    "interval",
    "positive",
    "probability",
    "real",
    "simplex",
    "unit_interval",
]
