"""`minispore.nn.probability.distribution`: MindSpore's probability distributions, as Cells
(layer 5). Use it as ``import minispore.nn.probability.distribution as msd``; see
docs/distributions.md."""

from minispore.nn.probability.distribution.bernoulli import Bernoulli
from minispore.nn.probability.distribution.beta import Beta
from minispore.nn.probability.distribution.binomial import Binomial
from minispore.nn.probability.distribution.categorical import Categorical
from minispore.nn.probability.distribution.cauchy import Cauchy
from minispore.nn.probability.distribution.distribution import Distribution
from minispore.nn.probability.distribution.exponential import Exponential
from minispore.nn.probability.distribution.gamma import Gamma
from minispore.nn.probability.distribution.geometric import Geometric
from minispore.nn.probability.distribution.gumbel import Gumbel
from minispore.nn.probability.distribution.log_normal import LogNormal
from minispore.nn.probability.distribution.logistic import Logistic
from minispore.nn.probability.distribution.normal import Normal
from minispore.nn.probability.distribution.poisson import Poisson
from minispore.nn.probability.distribution.uniform import Uniform

__all__ = [
    "Bernoulli",
    "Beta",
    "Binomial",
    "Categorical",
    "Cauchy",
    "Distribution",
    "Exponential",
    "Gamma",
    "Geometric",
    "Gumbel",
    "LogNormal",
    "Logistic",
    "Normal",
    "Poisson",
    "Uniform",
]
