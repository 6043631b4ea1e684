"""Moved to :mod:`sambounds.adversary.schedule_families`; this name stays for existing imports."""

from ..adversary.schedule_families import FAMILIES, SIZES, Candidate, candidates, fits, starts_within

__all__ = ["FAMILIES", "SIZES", "Candidate", "candidates", "fits", "starts_within"]
