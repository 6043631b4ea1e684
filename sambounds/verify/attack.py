"""Moved to :mod:`sambounds.adversary.empirical`; this name stays for existing imports."""

from ..adversary.empirical import CONFIDENCE, Z, FamilyResult, run_family, sample_stats

__all__ = ["CONFIDENCE", "Z", "FamilyResult", "run_family", "sample_stats"]
