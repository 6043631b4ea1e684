"""Function families with declared, test-verified constants (beta, mu, L, f*, x*).

=====================  ==============================================  =====================
family                 class (declared constants)                      module
=====================  ==============================================  =====================
Quadratic              strongly convex / convex (beta, mu, f*, x*)     :mod:`.quadratic`
LSC, LNC, LS           the lower-bound constructions of docs/theory.md s.5   :mod:`.constructions`
Huber, LogSumExp,      convex (beta, mu, L, f*, x*)                    :mod:`.convex`
LogcoshRidge,
KappaAdversarial
LogisticRegression     finite sum, strongly convex for lam > 0         :mod:`.logistic`
QuadraticFiniteSum,    finite sums with exact constant noise sigma     :mod:`.finite_sum`
LinearNoise            (common Hessian; any family + linear noise)
DoubleWell,            nonconvex (beta, f*; L for Trigonometric a=0)   :mod:`.nonconvex`
Trigonometric,
XYProduct              (constants on the box [-R, R]^2)
FromCallables          a user's own value/grad                         :mod:`.custom`
=====================  ==============================================  =====================

Every family is written against the array namespace of :mod:`._xp` and runs on the NumPy and
torch backends of the simulator (:class:`FromCallables` runs wherever its callables do).
Stochastic families (finite sums for n-SAM / m-SAM): :class:`LS`, :class:`LogisticRegression`,
:class:`QuadraticFiniteSum`, :class:`LinearNoise`.
"""

from .base import Objective, Region, StochasticObjective
from .constructions import LNC, LS, LSC
from .convex import Huber, KappaAdversarial, LogcoshRidge, LogSumExp
from .custom import FromCallables
from .finite_sum import LinearNoise, QuadraticFiniteSum
from .logistic import LogisticRegression
from .nonconvex import DoubleWell, Trigonometric, XYProduct
from .quadratic import Quadratic
from .verify import ConstantsEvidence, sample_constants

__all__ = ["Objective", "Region", "StochasticObjective", "Quadratic", "LSC", "LNC", "LS", "Huber",
           "LogSumExp", "LogcoshRidge", "KappaAdversarial", "LogisticRegression", "QuadraticFiniteSum",
           "LinearNoise", "DoubleWell", "Trigonometric", "XYProduct", "FromCallables", "ConstantsEvidence",
           "sample_constants"]
