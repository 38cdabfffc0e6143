"""JSON: every result with its violations, chains, files and lines.

Also the way results travel between pytest-xdist workers and the controller,
so :func:`result_from_data` reads back what :func:`result_to_data` wrote.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping, Sequence
from typing import Any

from fitness.adapters.reporters.context import ReportContext, known_count, stale_entries
from fitness.adapters.reporters.text import status_of
from fitness.domain.baseline_summary import BaselineEntry, BaselineSummary, SinceSummary
from fitness.domain.new_since import since_totals
from fitness.domain.rendering import MAX_QUOTE, shorten
from fitness.domain.violations import (
    Chain,
    Link,
    RuleResult,
    Violation,
)

FORMAT_VERSION = 1


def link_to_data(link: Link) -> dict[str, Any]:
    data: dict[str, Any] = {
        "importer": link.importer,
        "imported": link.imported,
        "file": link.file,
        "line_numbers": list(link.line_numbers),
        # Capped like every quoted line (a one-line file may be megabytes).
        "code": shorten(link.code, MAX_QUOTE),
    }
    if link.kind != "import":  # an import's data stays as it was before links had kinds
        data["kind"] = link.kind
    if link.note:  # (likewise: only where the import is made inside a function...)
        data["note"] = link.note
    if link.dynamic_lines:  # (likewise: only dynamic imports say so)
        data["dynamic_lines"] = list(link.dynamic_lines)
    return data


def link_from_data(data: Mapping[str, Any]) -> Link:
    return Link(
        importer=data["importer"],
        imported=data["imported"],
        line_numbers=tuple(data.get("line_numbers", ())),
        file=data.get("file"),
        code=data.get("code", ""),
        kind=data.get("kind", "import"),
        note=data.get("note", ""),
        dynamic_lines=tuple(data.get("dynamic_lines", ())),
    )


def chain_to_data(chain: Chain) -> dict[str, Any]:
    return {
        "modules": list(chain.modules),
        "links": [link_to_data(link) for link in chain.links],
        "extra_firsts": [link_to_data(link) for link in chain.extra_firsts],
        "extra_lasts": [link_to_data(link) for link in chain.extra_lasts],
    }


def chain_from_data(data: Mapping[str, Any]) -> Chain:
    return Chain(
        links=tuple(link_from_data(d) for d in data.get("links", ())),
        extra_firsts=tuple(link_from_data(d) for d in data.get("extra_firsts", ())),
        extra_lasts=tuple(link_from_data(d) for d in data.get("extra_lasts", ())),
    )


def result_to_data(result: RuleResult) -> dict[str, Any]:
    return {
        "rule": result.rule_name,
        "type": result.rule_type,
        "status": status_of(result).lower(),
        # (said for a rule of severity warning only: the default, error, keeps the bytes)
        **({"severity": result.severity} if result.severity != "error" else {}),
        "description": result.description,
        "adr": result.adr,
        "violations": [
            {
                "importer": v.importer,
                "imported": v.imported,
                "summary": v.summary,
                "chains": [chain_to_data(c) for c in v.chains],
            }
            for v in result.violations
        ],
        "errors": list(result.errors),
        "warnings": list(result.warnings),
        "guidance": result.guidance,
        "details": _jsonable(_details_of(result)),
    }


def _details_of(result: RuleResult) -> dict[str, object]:
    """The rule's details, what the baseline did under ``"baseline"``, and what existed at
    the revision of ``--new-since`` under ``"new_since"``."""
    if result.baseline is None and result.since is None:
        return result.details
    details = dict(result.details)
    summary = result.baseline
    if summary is not None:
        details["baseline"] = {
            "known": summary.known,
            "known_chains": summary.known_chains,
            "stale": [dataclasses.asdict(entry) for entry in summary.fixed],
            "strict": summary.strict,
        }
    if result.since is not None:
        details["new_since"] = dataclasses.asdict(result.since)
    return details


def _since_from_data(data: object) -> SinceSummary | None:
    if not isinstance(data, Mapping):
        return None
    return SinceSummary(
        revision=str(data.get("revision", "")),
        commit=str(data.get("commit", "")),
        existed=int(data.get("existed", 0)),
        existed_chains=int(data.get("existed_chains", 0)),
        problem=str(data.get("problem", "")),
    )


def _baseline_from_data(data: object) -> BaselineSummary | None:
    if not isinstance(data, Mapping):
        return None
    return BaselineSummary(
        known=int(data.get("known", 0)),
        known_chains=int(data.get("known_chains", 0)),
        fixed=tuple(BaselineEntry(**entry) for entry in data.get("stale", ())),
        strict=bool(data.get("strict", False)),
    )


def result_from_data(data: Mapping[str, Any]) -> RuleResult:
    return RuleResult(
        rule_name=data["rule"],
        description=data.get("description", ""),
        violations=tuple(
            Violation(
                importer=v["importer"],
                imported=v["imported"],
                summary=v.get("summary", ""),
                chains=tuple(chain_from_data(c) for c in v.get("chains", ())),
            )
            for v in data.get("violations", ())
        ),
        errors=tuple(data.get("errors", ())),
        warnings=tuple(data.get("warnings", ())),
        guidance=data.get("guidance", ""),
        rule_type=data.get("type", ""),
        adr=data.get("adr", ""),
        severity="warning" if data.get("severity") == "warning" else "error",
        details={
            k: v for k, v in data.get("details", {}).items() if k not in ("baseline", "new_since")
        },
        baseline=_baseline_from_data(data.get("details", {}).get("baseline")),
        since=_since_from_data(data.get("details", {}).get("new_since")),
    )


def _jsonable(value: Any) -> Any:
    """Details as JSON can hold them (tuples become lists, unknown objects strings)."""
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [_jsonable(v) for v in value]
        return sorted(items, key=str) if isinstance(value, set | frozenset) else items
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def render(results: Sequence[RuleResult], context: ReportContext) -> str:
    summary: dict[str, object] = {
        "rules": len(results),
        "kept": sum(1 for r in results if r.passed),
        "broken": sum(1 for r in results if r.violations and not r.errors and not r.warned),
        **_warned(results),
        "errors": sum(1 for r in results if r.errors),
        "violations": sum(len(r.violations) for r in results),
        "known": sum(known_count(r) for r in results),
        "stale": sum(len(stale_entries(r)) for r in results),
    }
    if any(r.since is not None for r in results):
        totals, new = since_totals(results)
        summary["new_since"] = {**dataclasses.asdict(totals), "new": new}
    data = {
        "version": FORMAT_VERSION,
        "tool": {"name": "pytest-fitness", "version": context.tool_version},
        "config": context.path(context.config_file),
        "summary": summary,
        "rules": [_with_paths(result_to_data(r), context) for r in results],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _warned(results: Sequence[RuleResult]) -> dict[str, int]:
    """``{"warnings": n}``: the broken rules of severity warning, if any."""
    warned = sum(1 for r in results if r.warned)
    return {"warnings": warned} if warned else {}


def _with_paths(data: dict[str, Any], context: ReportContext) -> dict[str, Any]:
    data["adr"] = context.adr(data["adr"])
    for violation in data["violations"]:
        for chain in violation["chains"]:
            for key in ("links", "extra_firsts", "extra_lasts"):
                for link in chain[key]:
                    if link["file"]:
                        link["file"] = context.path(link["file"])
    return data
