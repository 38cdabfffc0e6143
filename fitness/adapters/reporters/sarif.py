"""SARIF 2.1.0, for GitHub code scanning and other static-analysis dashboards.

One ``result`` per violation (with ``--new-since REV`` only the new ones, each with
``baselineState: new``; the run's ``properties.newSince`` counts what existed at
the revision): its primary location is the first import of its first chain;
every import of every chain is a related location and a step of
a code flow, so a viewer can walk the chain. Rule errors and warnings (a stale
baseline entry, an unmatched ignore) point at the rule in ``pyproject.toml``.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Sequence
from typing import Any

from fitness.adapters.reporters.context import ReportContext, first_site, known_count
from fitness.domain.new_since import since_totals
from fitness.domain.rendering import is_url, quote_source, sentence
from fitness.domain.violations import Chain, Link, RuleResult, Violation

SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
INFORMATION_URI = "https://pypi.org/project/pytest-fitness/"
SRCROOT = "%SRCROOT%"


def _slug(rule_name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", rule_name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-") or "rule"


def rule_id(rule_name: str) -> str:
    """A stable identifier from the rule's name: ``fitness/layered-architecture``.

    A name the slug cannot spell (non-ASCII characters: ``Schichten für Domäne``)
    gets a hash of the whole name too (``fitness/schichten-fur-domane-1a2b3c4d``),
    so names that differ only there get different ids.
    """
    slug = _slug(rule_name)
    if not rule_name.isascii():
        slug += "-" + _fingerprint(rule_name)[:8]
    return f"fitness/{slug}"


def rule_ids(rule_names: Sequence[str]) -> dict[str, str]:
    """Each rule's id, unique in the run: names with the same slug (``A-b``, ``a b``)
    get a hash of the name each, the same whatever the other rules are."""
    ids = {name: rule_id(name) for name in dict.fromkeys(rule_names)}
    taken: dict[str, int] = {}
    for ident in ids.values():
        taken[ident] = taken.get(ident, 0) + 1
    return {
        name: ident if taken[ident] == 1 else f"{ident}-{_fingerprint(name)[:8]}"
        for name, ident in ids.items()
    }


def _location(
    context: ReportContext, file: str, line: int | None, message: str = "", ident: int | None = None
) -> dict[str, Any]:
    physical: dict[str, Any] = {
        "artifactLocation": {"uri": context.path(file), "uriBaseId": SRCROOT}
    }
    if line:
        physical["region"] = {"startLine": line}
    location: dict[str, Any] = {"physicalLocation": physical}
    if ident is not None:
        location["id"] = ident
    if message:
        location["message"] = {"text": message}
    return location


def _link_location(context: ReportContext, link: Link, ident: int | None = None) -> dict[str, Any]:
    line = link.line_numbers[0] if link.line_numbers else None
    quoted = f": {quote_source(link.code)}" if link.code else ""
    quoted += f" {link.mark}" if link.mark else ""
    text = f"{link.importer} {link.verb} {link.imported}{quoted}"
    return _location(context, link.file or "", line, text, ident)


def _chain_links(chain: Chain) -> list[Link]:
    return [link for link in (*chain.links, *chain.extra_firsts, *chain.extra_lasts) if link.file]


def _message(violation: Violation) -> str:
    lines = [sentence(violation.summary)]
    for chain in violation.chains:
        lines.append(f"Chain: {chain}")
    return "\n".join(lines)


def _fingerprint(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:32]


def _violation_result(
    result: RuleResult, index: int, violation: Violation, context: ReportContext, rule: str
) -> dict[str, Any]:
    links = [link for chain in violation.chains for link in _chain_links(chain)]
    primary = first_site(links)
    if primary is not None:
        locations = [_link_location(context, primary)]
    else:
        file, line = context.rule_location(result.rule_name)
        locations = [_location(context, file, line)]
    item: dict[str, Any] = {
        "ruleId": rule,
        "ruleIndex": index,
        "level": result.severity,  # (SARIF's levels: "error", "warning")
        "message": {"text": _message(violation)},
        "locations": locations,
        "partialFingerprints": {
            "fitnessViolation/v1": _fingerprint(
                result.rule_name, violation.importer, violation.imported
            )
        },
        "properties": {"importer": violation.importer, "imported": violation.imported},
    }
    if links:
        item["relatedLocations"] = [
            _link_location(context, link, ident) for ident, link in enumerate(links, start=1)
        ]
        item["codeFlows"] = [
            {
                "message": {"text": str(chain)},
                "threadFlows": [
                    {
                        "locations": [
                            {"location": _link_location(context, link)}
                            for link in _chain_links(chain)
                        ]
                    }
                ],
            }
            for chain in violation.chains
            if _chain_links(chain)
        ]
    return item


def _note_result(
    result: RuleResult, index: int, level: str, text: str, context: ReportContext, rule: str
) -> dict[str, Any]:
    file, line = context.rule_location(result.rule_name)
    return {
        "ruleId": rule,
        "ruleIndex": index,
        "level": level,
        "message": {"text": text},
        "locations": [_location(context, file, line)],
        "partialFingerprints": {"fitnessNote/v1": _fingerprint(result.rule_name, level, text)},
    }


def render(results: Sequence[RuleResult], context: ReportContext) -> str:
    rules = []
    sarif_results: list[dict[str, Any]] = []
    ids = rule_ids([result.rule_name for result in results])
    for index, result in enumerate(results):
        ident = ids[result.rule_name]
        descriptor: dict[str, Any] = {
            "id": ident,
            "name": result.rule_name,
            "shortDescription": {"text": result.rule_name},
            "fullDescription": {"text": sentence(result.description) or result.rule_name},
            "defaultConfiguration": {"level": result.severity},
            "properties": {"type": result.rule_type, "known_violations": known_count(result)},
        }
        if result.adr:
            adr = context.adr(result.adr)
            descriptor["properties"]["adr"] = adr
            if is_url(adr):
                descriptor["helpUri"] = adr
        help_text = "\n".join(
            text for text in (result.guidance, result.adr and f"Decision record: {adr}") if text
        )
        if help_text:
            descriptor["help"] = {"text": help_text}
        rules.append(descriptor)
        if result.since is not None:
            descriptor["properties"]["existed_at_revision"] = result.since.existed
        for violation in result.violations:
            item = _violation_result(result, index, violation, context, ident)
            if result.since is not None:  # only what is new since the revision is reported
                item["baselineState"] = "new"
            sarif_results.append(item)
        for error in result.errors:
            sarif_results.append(_note_result(result, index, "error", error, context, ident))
        for warning in result.warnings:
            sarif_results.append(_note_result(result, index, "warning", warning, context, ident))
    driver: dict[str, Any] = {
        "name": "pytest-fitness",
        "informationUri": INFORMATION_URI,
        "rules": rules,
    }
    if context.tool_version:
        driver["version"] = context.tool_version
    run: dict[str, Any] = {
        "tool": {"driver": driver},
        "columnKind": "unicodeCodePoints",
        "results": sarif_results,
    }
    if any(r.since is not None for r in results):
        totals, new = since_totals(results)
        run["properties"] = {
            "newSince": {
                "revision": totals.revision,
                "commit": totals.commit,
                "new": new,
                "existed": totals.existed,
                "existedChains": totals.existed_chains,
                **({"problem": totals.problem} if totals.problem else {}),
            }
        }
    log = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"
