"""The architecture over time (``fitness history``): what was measured at each commit,
which commits a run looks at, and which commit introduced each violation. Plain data."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from fitness.domain.errors import FitnessError
from fitness.domain.metrics.report import MetricsReport
from fitness.domain.progress import PROGRESS_KEY, figures_of
from fitness.domain.violations import RuleResult, Violation

#: Bump when a row's data changes (cached rows of another format are measured again).
#: 4: root packages are looked for in the commit only, a commit's plugins are not loaded.
#: 5: a rule naming a module the commit does not have is not applicable (``missing``).
#: 6: the architecture coverage (the modules the rules govern, ``coverage``).
ROW_FORMAT = 6

#: The statuses of a row: measured, or why not.
OK = "ok"
NO_CONFIGURATION = "no configuration"
INVALID_CONFIGURATION = "invalid configuration"
GRAPH_ERROR = "graph error"
#: The commit's files could not be read safely (a bad tree, a missing or too large file).
UNREADABLE_COMMIT = "unreadable commit"


class UnreadableCommit(FitnessError):
    """A commit whose files cannot be read (its row says why; the run goes on)."""


#: The system metrics a row keeps: (column, attribute of ``SystemMetrics``).
SYSTEM_METRICS = (
    ("modules", "modules"),
    ("propagation_cost", "propagation_cost"),
    ("nccd", "normalized_cumulative_component_dependency"),
    ("largest_cycle_group", "largest_cycle_group"),
    ("modularity", "modularity"),
)

Number = int | float | None


@dataclass(frozen=True, order=True)
class Commit:
    """One commit: its full hash, committer time (seconds since the epoch, and as an
    ISO 8601 date in UTC) and the first line of its message."""

    sha: str
    timestamp: int
    date: str
    subject: str = ""

    @property
    def short(self) -> str:
        return self.sha[:10]


@dataclass(frozen=True)
class RuleCount:
    """One rule at one commit: how many violations (``None``: it was not checked),
    which dependencies they are (``importer -> imported``), sorted, and the progress
    figures the rule reports (a migration's importers and imports left); ``error``: why
    it could not be checked; ``missing``: the module it names that the commit does not
    have (yet), when that is why (the rule is then *not applicable* there, rather than
    unusable)."""

    name: str
    violations: int | None
    keys: tuple[str, ...] = ()
    figures: tuple[tuple[str, int], ...] = ()
    error: str = ""
    missing: str = ""

    @property
    def applicable(self) -> bool:
        """Whether the commit has every module the rule names."""
        return not self.missing

    @property
    def reason(self) -> str:
        """Why the rule was not checked at this commit: ``module 'a.b' is not there``
        when it is not applicable, else its error."""
        if "*" in self.missing:
            return f"'{self.missing}' matches no module of this commit"
        if self.missing:
            return f"module '{self.missing}' is not in this commit"
        return self.error


def progress_figures(details: Mapping[str, object]) -> tuple[tuple[str, int], ...]:
    """The figures a row keeps of a migration's progress given as plain data
    (``details["progress"]``): its whole numbers but those of a baseline (history applies
    none), in the rule's order."""
    return figures_of(details.get(PROGRESS_KEY))


@dataclass(frozen=True)
class PackagePoint:
    package: str
    instability: float | None
    distance: float | None


@dataclass(frozen=True)
class CoveragePoint:
    """The architecture coverage at one commit (as ``fitness coverage`` measures it, with
    the row's rules): how many modules the root packages have, and how many of them a
    rule governs."""

    modules: int
    governed: int

    @property
    def share(self) -> float:
        """The share of the modules governed (1.0 without modules, as ``fitness coverage``)."""
        return self.governed / self.modules if self.modules else 1.0


@dataclass(frozen=True)
class HistoryRow:
    """What was measured at one commit; ``status`` says whether it could be (``problem``
    says why not: a missing or invalid configuration, code that cannot be parsed)."""

    commit: Commit
    status: str = OK
    problem: str = ""
    rules: tuple[RuleCount, ...] = ()
    #: column of SYSTEM_METRICS -> value (``None``: undefined)
    system: Mapping[str, Number] = field(default_factory=dict)
    packages: tuple[PackagePoint, ...] = ()
    #: What the rules govern (``None``: not measured, the commit could not be).
    coverage: CoveragePoint | None = None

    @property
    def ok(self) -> bool:
        return self.status == OK

    def to_data(self) -> dict[str, Any]:
        return {
            "commit": self.commit.sha,
            "timestamp": self.commit.timestamp,
            "date": self.commit.date,
            "subject": self.commit.subject,
            "status": self.status,
            "problem": self.problem,
            "rules": [
                {
                    "name": r.name,
                    "violations": r.violations,
                    "keys": list(r.keys),
                    **({"figures": dict(r.figures)} if r.figures else {}),
                    **({"error": r.error} if r.error else {}),
                    **(
                        {"not_applicable": r.reason, "missing_module": r.missing}
                        if r.missing
                        else {}
                    ),
                }
                for r in self.rules
            ],
            "system": {c: self.system[c] for c, _ in SYSTEM_METRICS if c in self.system},
            "packages": [
                {"package": p.package, "instability": p.instability, "distance": p.distance}
                for p in self.packages
            ],
            "coverage": None
            if self.coverage is None
            else {
                "modules": self.coverage.modules,
                "governed": self.coverage.governed,
                "share": round(self.coverage.share, 6),
            },
        }

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> HistoryRow:
        """The row :meth:`to_data` gave; ``KeyError``, ``TypeError`` or ``ValueError`` if
        ``data`` is not one."""
        commit = Commit(
            sha=str(data["commit"]),
            timestamp=int(data["timestamp"]),
            date=str(data["date"]),
            subject=str(data["subject"]),
        )
        rules = tuple(
            RuleCount(
                name=str(r["name"]),
                violations=None if r["violations"] is None else int(r["violations"]),
                keys=tuple(str(k) for k in r["keys"]),
                figures=tuple((str(k), int(v)) for k, v in r.get("figures", {}).items()),
                error=str(r.get("error", "")),
                missing=str(r.get("missing_module", "")),
            )
            for r in data["rules"]
        )
        system = {c: _number(data["system"][c]) for c, _ in SYSTEM_METRICS if c in data["system"]}
        packages = tuple(
            PackagePoint(
                package=str(p["package"]),
                instability=_float(p["instability"]),
                distance=_float(p["distance"]),
            )
            for p in data["packages"]
        )
        covered = data["coverage"]
        coverage = (
            None
            if covered is None
            else CoveragePoint(
                modules=_count(covered["modules"]), governed=_count(covered["governed"])
            )
        )
        return cls(
            commit, str(data["status"]), str(data["problem"]), rules, system, packages, coverage
        )


def _number(value: Any) -> Number:
    if value is None or (isinstance(value, int | float) and not isinstance(value, bool)):
        return value
    raise TypeError(f"not a number: {value!r}")


def _count(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    raise TypeError(f"not a count: {value!r}")


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def violation_key(violation: Violation) -> str:
    """A violation as history follows it from commit to commit: the dependency it is
    about (as a baseline matches it), never line numbers."""
    if violation.imported:
        return f"{violation.importer} -> {violation.imported}"
    return violation.importer


def measured_row(
    commit: Commit,
    results: Iterable[RuleResult],
    metrics: MetricsReport,
    coverage: CoveragePoint | None = None,
) -> HistoryRow:
    """The row of a commit whose rules were checked and whose metrics (and coverage)
    were measured."""
    rules = tuple(
        RuleCount(
            name=result.rule_name,
            violations=None if result.errors else len(result.violations),
            keys=tuple(sorted({violation_key(v) for v in result.violations})),
            figures=result.progress.figures() if result.progress else (),
            error=result.errors[0] if result.errors else "",
            missing=result.missing_module if result.errors else "",
        )
        for result in results
    )
    system = {column: getattr(metrics.system, attribute) for column, attribute in SYSTEM_METRICS}
    packages = tuple(PackagePoint(p.package, p.instability, p.distance) for p in metrics.packages)
    return HistoryRow(commit, OK, "", rules, system, packages, coverage)


# Which commits ---------------------------------------------------------------------------


def thinned(commits: Sequence[Commit], every: int) -> list[Commit]:
    """At most one commit per ``every`` seconds: walking from the oldest, the next one
    kept is the first at least ``every`` seconds after the last one kept; the newest
    is always kept (the series ends where the code is now)."""
    kept: list[Commit] = []
    for commit in commits:
        if not kept or commit.timestamp >= kept[-1].timestamp + every:
            kept.append(commit)
    if commits and kept[-1] != commits[-1]:
        if len(kept) > 1:
            kept[-1] = commits[-1]  # the newest stands for the last interval
        else:
            kept.append(commits[-1])
    return kept


# Which commit introduced each violation ---------------------------------------------------


@dataclass(frozen=True)
class Introduction:
    """A violation of one rule, the commit it appeared at (``at_start``: it was there
    the first time its rule was checked, at the first commit measured or when the rule
    came, so its origin is older) and the one that removed it."""

    rule: str
    violation: str
    commit: Commit
    at_start: bool = False
    fixed_in: Commit | None = None


def introductions(rows: Sequence[HistoryRow]) -> list[Introduction]:
    """Each violation's appearances along ``rows`` (oldest first): a violation that goes
    away and comes back appears twice. Rows that could not be measured are skipped (a
    violation is not new because the commit before could not be measured)."""
    measured = [row for row in rows if row.ok]
    open_: dict[tuple[str, str], Introduction] = {}
    done: list[Introduction] = []
    checked_before: set[str] = set()  # the rules checked at an earlier row
    for row in measured:
        present = {
            (rule.name, key)
            for rule in row.rules
            if rule.violations is not None
            for key in rule.keys
        }
        checked = {rule.name for rule in row.rules if rule.violations is not None}
        for item in sorted(present - open_.keys()):
            # The first time a rule is checked (the first row, a rule added since, one
            # whose modules did not exist before) it finds what was there: not new.
            older = item[0] not in checked_before
            open_[item] = Introduction(item[0], item[1], row.commit, at_start=older)
        for item in sorted(open_.keys() - present):
            if item[0] in checked or item[0] not in {rule.name for rule in row.rules}:
                done.append(_fixed(open_.pop(item), row.commit))
        checked_before |= checked
    done.extend(open_.values())
    order = {row.commit.sha: position for position, row in enumerate(measured)}
    return sorted(done, key=lambda i: (order[i.commit.sha], i.rule, i.violation))


def _fixed(item: Introduction, commit: Commit) -> Introduction:
    return Introduction(item.rule, item.violation, item.commit, item.at_start, commit)


def rule_names(rows: Iterable[HistoryRow]) -> list[str]:
    """Every rule that any row has, in the order they first appear."""
    names: dict[str, None] = {}
    for row in rows:
        for rule in row.rules:
            names.setdefault(rule.name, None)
    return list(names)


def package_names(rows: Iterable[HistoryRow]) -> list[str]:
    return sorted({p.package for row in rows for p in row.packages})
