"""The researcher's own contribution: a step-size schedule for SAM (linear warm-up, then cosine decay).

The schedule is capped at ``cap / beta`` so that the catalog's schedule-generic theorems
(eta_t <= 1/beta) apply to it.
"""

from __future__ import annotations

from sambounds.schedules import WarmupDecay


def warmup_cosine(T: int, beta: float, *, cap: float = 1.0, warmup_fraction: float = 0.1,
                  floor: float = 0.5) -> WarmupDecay:
    """eta_t rises linearly to cap/beta over the first T * warmup_fraction steps, then a cosine decays
    it to floor * cap/beta."""
    return WarmupDecay(eta_max=cap / beta, warmup=min(int(T * warmup_fraction), T - 1), decay="cosine",
                       eta_min=floor * cap / beta)
