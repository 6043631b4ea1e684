"""Schedule functionals that schedule-generic bounds are written in (see :mod:`.symbols`).

For steps eta_0..eta_{T-1}:

    eta_max = max_t eta_t,   sum_eta = sum_t eta_t,   sum_eta2 = sum_t eta_t^2,
    prod_mu = prod_t (1 - mu eta_t),
    wsum_mu = sum_t eta_t^2 prod_{s > t} (1 - mu eta_s).

``prod_mu`` and ``wsum_mu`` are what unrolling a recursion e_{t+1} <= (1 - mu eta_t) e_t + C eta_t^2
gives: e_T <= prod_mu e_0 + C wsum_mu (D-SC weak order, docs/theory.md section 4).  They are only
computed when mu is known and every mu eta_t <= 1 (the bounds that use them require eta_t <= 1/beta
<= 1/mu); otherwise they are left out and a bound that needs them reports the missing value.
"""

from __future__ import annotations

import numpy as np


def schedule_sums(steps: np.ndarray, mu: float | None = None) -> dict[str, float]:
    """The functionals of a validated step array (finite, > 0), by symbol name.

    ``wsum_mu`` uses suffix products prod_{s > t} (1 - mu eta_s) from one reversed cumulative
    product (O(T)); a suffix product that underflows to 0 multiplies a term that is itself below
    the float64 range relative to the last term eta_{T-1}^2, so the sum is unaffected.
    """
    steps = np.asarray(steps, dtype=np.float64)
    out = {
        "eta_max": float(steps.max()),
        "sum_eta": float(steps.sum()),
        "sum_eta2": float(np.dot(steps, steps)),
    }
    if mu is not None and mu > 0 and float(mu * steps.max()) <= 1.0:
        factors = 1.0 - mu * steps
        suffix = np.cumprod(factors[::-1])[::-1]  # prod_{s >= t}
        after = np.append(suffix[1:], 1.0)  # prod_{s > t}
        out["prod_mu"] = float(suffix[0])
        out["wsum_mu"] = float(np.dot(steps * steps, after))
    return out
