"""`minispore.regression`: linear, ridge, polynomial, lasso, elastic-net, logistic and stepwise
regression with scikit-learn's conventions, fitted through minispore objectives (layer 5).
"""

from minispore.regression._validation import ConvergenceWarning, NotFittedError, SingularDesignError
from minispore.regression.linear import LinearRegression, PolynomialRegression, Ridge
from minispore.regression.logistic import LogisticRegression
from minispore.regression.penalized import ElasticNet, Lasso
from minispore.regression.stepwise import StepwiseRegression

__all__ = [
    "ConvergenceWarning",
    "ElasticNet",
    "Lasso",
    "LinearRegression",
    "LogisticRegression",
    "NotFittedError",
    "PolynomialRegression",
    "Ridge",
    "SingularDesignError",
    "StepwiseRegression",
]
