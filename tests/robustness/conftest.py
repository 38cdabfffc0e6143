"""Settings for the robustness suite: a modest hypothesis profile (2 shared cores)."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

#: Used by tests/robustness/test_properties.py: ``@settings(parent=PROFILE)``.
settings.register_profile(
    "fitness-robustness",
    max_examples=100,
    deadline=None,
    database=None,  # nothing written into the working tree
    # In CI the same examples every run (a gate must not fail at random); locally each
    # run explores new ones, and a failure prints how to reproduce it.
    derandomize=bool(os.environ.get("CI")),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
