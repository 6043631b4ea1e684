"""Moved to :mod:`sambounds.adversary.strategies`; this name stays for existing imports."""

from ..adversary.strategies import FAMILIES, Family, Problem, Target, family_names, problems, resolve_families

__all__ = ["FAMILIES", "Family", "Problem", "Target", "family_names", "problems", "resolve_families"]
