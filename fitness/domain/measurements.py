"""What a rule measured that a baseline records and ratchets: values that may not get worse.

The ``metrics`` rule type measures, per package, the distance from the main sequence,
the relational cohesion and the worst LCOM4 of its classes, and, for the system, the
propagation cost, NCCD, the largest cycle group and the modularity; a plugin's rule
may measure figures of its own. Each value is a :class:`Measurement`: which package
(or ``system``, or nothing for a figure of the rule as a whole), which metric, the
value, and which way is better. Pure: no I/O.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import TypeGuard

#: What the ``metrics`` rule type measures that a baseline ratchets: per package (its rows
#: in ``details["packages"]``) and for the system (``details["system"]``).
PACKAGE_RATCHETS = ("distance", "relational_cohesion", "max_lcom4")
SYSTEM_RATCHETS = (
    "propagation_cost",
    "normalized_cumulative_component_dependency",
    "largest_cycle_group",
    "modularity",
)
#: The metrics for which a higher value is better (for all others, lower is).
HIGHER_IS_BETTER = frozenset({"relational_cohesion", "modularity"})
#: The subject of the system's figures.
SYSTEM = "system"


@dataclass(frozen=True, order=True)
class Measurement:
    """One measured value: of which ``subject`` (a package, ``system``, or ``""`` for a
    figure of the rule as a whole), which ``metric``, and whether higher is better."""

    subject: str
    metric: str
    value: float
    higher_is_better: bool = False

    @property
    def name(self) -> str:
        """The key a baseline records it under: ``shop.core: distance``,
        ``system: propagation_cost``, or the metric alone."""
        return f"{self.subject}: {self.metric}" if self.subject else self.metric

    def is_worse_than(self, recorded: float) -> bool:
        """Whether the value is worse than ``recorded`` (equal within rounding is not)."""
        if math.isclose(self.value, recorded, rel_tol=1e-9, abs_tol=1e-9):
            return False
        return self.value < recorded if self.higher_is_better else self.value > recorded


@dataclass(frozen=True)
class Measurements:
    """Every value a rule measured that a baseline may ratchet, sorted by name."""

    values: tuple[Measurement, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "values", tuple(sorted(self.values, key=lambda m: m.name)))

    @classmethod
    def of(cls, values: Mapping[str, float], higher_is_better: Iterable[str] = ()) -> Measurements:
        """A rule's own figures: ``{name: value}``, with the names for which higher is
        better (lower is, for the others)."""
        higher = set(higher_is_better)
        return cls(
            tuple(
                Measurement("", name, float(value), name in higher)
                for name, value in values.items()
                if _is_number(value)
            )
        )

    @classmethod
    def of_metrics(
        cls, packages: Iterable[Mapping[str, object]], system: Mapping[str, object] | None
    ) -> Measurements:
        """What the ``metrics`` rule type ratchets of what it measured: its package rows
        (``{"package": name, metric: value, ...}``) and the system's figures."""
        values = [
            Measurement(str(row["package"]), metric, float(value), metric in HIGHER_IS_BETTER)
            for row in packages
            if isinstance(row.get("package"), str)
            for metric in PACKAGE_RATCHETS
            if _is_number(value := row.get(metric))
        ]
        values += [
            Measurement(SYSTEM, metric, float(value), metric in HIGHER_IS_BETTER)
            for metric in SYSTEM_RATCHETS
            if system is not None and _is_number(value := system.get(metric))
        ]
        return cls(tuple(values))

    @classmethod
    def from_details(cls, details: Mapping[str, object]) -> Measurements | None:
        """The measurements that plain data states (``None`` if it states none): a rule's
        own figures in ``details["metrics"]`` (``{name: number}``, with
        ``details["better"]``: ``{name: "higher" | "lower"}``, default lower), and the
        ``metrics`` rule type's rows in ``details["packages"]`` and ``details["system"]``.
        What is not a finite number is left out."""
        if not any(key in details for key in ("metrics", "packages", "system")):
            return None
        raw = details.get("metrics")
        own = [
            Measurement("", str(name), float(value))
            for name, value in (raw.items() if isinstance(raw, Mapping) else ())
            if _is_number(value)
        ]
        packages = details.get("packages")
        system = details.get("system")
        rows = [r for r in packages if isinstance(r, Mapping)] if isinstance(packages, list) else []
        measured = cls.of_metrics(rows, system if isinstance(system, Mapping) else None)
        better = details.get("better")
        directions = better if isinstance(better, Mapping) else {}
        return cls(
            tuple(
                replace(m, higher_is_better=_higher(m.name, directions))
                for m in (*own, *measured.values)
            )
        )

    def to_details(self) -> dict[str, object]:
        """Plain data that :meth:`from_details` reads back: ``metrics`` and ``better``."""
        return {
            "metrics": {m.name: m.value for m in self.values},
            "better": {m.name: "higher" if m.higher_is_better else "lower" for m in self.values},
        }

    def by_name(self) -> dict[str, Measurement]:
        return {m.name: m for m in self.values}


def _higher(name: str, directions: Mapping[object, object]) -> bool:
    if name in directions:
        return directions[name] == "higher"
    return name.rpartition(": ")[2] in HIGHER_IS_BETTER


def _is_number(value: object) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
