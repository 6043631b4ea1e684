"""Moved to :mod:`sambounds.adversary.menu` (the fixed attack menu); this name stays for existing imports."""

from ..adversary.menu import (DEFAULT, QUICK, Budget, Target, budget, class_constants, families, prescribed_schedule,
                              ray_points, restriction_filter, rule_needs_delta, schedules, starts, step_limit,
                              upper_probes)

__all__ = ["DEFAULT", "QUICK", "Budget", "Target", "budget", "class_constants", "families", "prescribed_schedule",
           "ray_points", "restriction_filter", "rule_needs_delta", "schedules", "starts", "step_limit",
           "upper_probes"]
