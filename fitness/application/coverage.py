"""Use case: which modules of a project its rules govern (``fitness coverage``)."""

from __future__ import annotations

from fitness.application.ports import Project
from fitness.domain.coverage import COVERAGE_TYPE, Coverage, measure_coverage


def project_coverage(project: Project) -> tuple[Coverage, float | None]:
    """What the configuration's rules govern of the project's root packages, and the
    share ``require_coverage`` asks for (``None``: not set)."""
    config = project.config()
    coverage = measure_coverage(project.graph(), config.rules)
    required = next(
        (getattr(r, "required", None) for r in config.rules if r.type_name == COVERAGE_TYPE),
        None,
    )
    return coverage, required
