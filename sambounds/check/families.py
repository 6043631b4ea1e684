"""Moved to :mod:`sambounds.adversary.families`; this name stays for existing imports."""

from ..adversary.families import BUILDERS, FamilySpec

__all__ = ["BUILDERS", "FamilySpec"]
