"""Results of a pytest session, gathered for the baseline and the report.

Each process (the only one, or each pytest-xdist worker) records what its
fitness items found; workers hand theirs to the controller as plain data
(:meth:`SessionRecorder.to_data`, through xdist's ``workeroutput``), and the
controller, the one process that sees every result, updates the baseline
(:func:`fitness.application.baseline.record_checked`) and writes the report
once, at the end of the session.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from fitness.adapters.reporters import format_for_path, render
from fitness.adapters.reporters.context import ReportContext
from fitness.adapters.reporters.files import context_for, write_report
from fitness.adapters.reporters.json_report import result_from_data, result_to_data
from fitness.application.config import LoadedConfig
from fitness.domain.violations import RuleResult


@dataclass
class _ConfigResults:
    rule_names: list[str]
    #: rule index -> (what the rule found, what is reported after the baseline)
    results: dict[int, tuple[RuleResult, RuleResult]] = field(default_factory=dict)
    #: rules checked in test code (the fluent API): name -> (found, reported)
    fluent: dict[str, tuple[RuleResult, RuleResult]] = field(default_factory=dict)


class RecordedRun(NamedTuple):
    """One configuration's rules as a session found them (before the baseline)."""

    config_path: Path
    rule_names: list[str]
    found: list[RuleResult]
    #: rules checked in test code
    fluent: list[RuleResult]


class SessionRecorder:
    def __init__(self) -> None:
        self._configs: dict[str, _ConfigResults] = {}

    def record(
        self,
        config_path: Path,
        rule_names: list[str],
        index: int,
        found: RuleResult,
        reported: RuleResult,
    ) -> None:
        entry = self._configs.setdefault(str(config_path), _ConfigResults(rule_names))
        entry.results[index] = (found, reported)

    def record_fluent(
        self, config_path: Path, rule_names: list[str], found: RuleResult, reported: RuleResult
    ) -> None:
        """A rule checked in test code, under the configuration whose baseline it shares."""
        entry = self._configs.setdefault(str(config_path), _ConfigResults(rule_names))
        entry.fluent[found.rule_name] = (found, reported)

    def __bool__(self) -> bool:
        return any(c.results or c.fluent for c in self._configs.values())

    # Across processes -----------------------------------------------------------

    def to_data(self) -> str:
        return json.dumps(
            {
                path: {
                    "rule_names": c.rule_names,
                    "results": {
                        str(i): [result_to_data(found), result_to_data(reported)]
                        for i, (found, reported) in c.results.items()
                    },
                    "fluent": {
                        name: [result_to_data(found), result_to_data(reported)]
                        for name, (found, reported) in c.fluent.items()
                    },
                }
                for path, c in self._configs.items()
            }
        )

    def merge_data(self, text: str) -> None:
        data: Mapping[str, Any] = json.loads(text)
        for path, body in data.items():
            entry = self._configs.setdefault(path, _ConfigResults(list(body["rule_names"])))
            for index, (found, reported) in body["results"].items():
                entry.results[int(index)] = (result_from_data(found), result_from_data(reported))
            for name, (found, reported) in body.get("fluent", {}).items():
                entry.fluent[name] = (result_from_data(found), result_from_data(reported))

    # At the end of the session --------------------------------------------------

    def reported_results(self) -> list[RuleResult]:
        ordered = []
        for path in sorted(self._configs):
            results = self._configs[path].results
            ordered += [results[i][1] for i in sorted(results)]
            fluent = self._configs[path].fluent
            ordered += [fluent[name][1] for name in sorted(fluent)]
        return ordered

    def by_config(self) -> list[RecordedRun]:
        """What each configuration's rules found (errors included), sorted by path."""
        return [
            RecordedRun(
                Path(path),
                list(entry.rule_names),
                [found for found, _ in entry.results.values()],
                [found for found, _ in entry.fluent.values()],
            )
            for path, entry in sorted(self._configs.items())
        ]

    def write_report(self, report: Path, base: Path, loaded: Callable[[Path], LoadedConfig]) -> str:
        """Write the reported results to ``report`` (its format follows its extension),
        with the context of the first configuration (``loaded`` gives it)."""
        fmt = format_for_path(str(report))
        results = self.reported_results()
        paths = sorted(self._configs)
        context = context_for(loaded(Path(paths[0])), base) if paths else ReportContext()
        write_report(report, render(fmt, results, context))
        return f"fitness report ({fmt}): {report}"
