"""Differential test: the same contracts, on real packages from PyPI, through import-linter
and through fitness, give the same verdicts and the same illegal (importer, imported) pairs.

import-linter runs as its command does: its own reader, its own graph builder, its own
contract classes. fitness runs as ``pytest`` and ``fitness check`` do: its reader of
import-linter configurations, its graph builder, its native rules.
"""

from __future__ import annotations

import contextlib
import copy
import importlib.util
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from fitness.adapters.config.importlinter_contracts import ImportLinterContractRule
from fitness.adapters.config.source import load_config
from fitness.adapters.packages import GrimpGraphBuilder
from fitness.application.checking import check_rule
from tests.parity.contracts import CONTRACTS, DELIBERATE_DIFFERENCES, ROOT_PACKAGES, to_toml
from tests.parity.importlinter_runner import importlinter_pairs
from tests.parity.packages import IndexUnreachable, packages_dir

pytestmark = pytest.mark.parity

Pairs = frozenset[tuple[str, str]]


@dataclass(frozen=True)
class Outcome:
    verdict: str  # "kept", "broken" or "error"
    pairs: Pairs = frozenset()
    detail: str = ""


@pytest.fixture(scope="module")
def site() -> Iterator[Path]:
    try:
        path = packages_dir()
    except IndexUnreachable as error:
        pytest.skip(
            f"the package index is unreachable, so Django and SQLAlchemy cannot be "
            f"installed for the parity test: {error}"
        )
    yield path


@pytest.fixture(scope="module")
def config_file(site: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("parity")
    path = project / "pyproject.toml"
    path.write_text(to_toml(CONTRACTS + DELIBERATE_DIFFERENCES), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def importlinter_outcomes(site: Path, config_file: Path) -> dict[str, Outcome]:
    """Every contract, through import-linter 2.x as ``lint-imports`` runs it."""
    from importlinter.adapters.building import GraphBuilder
    from importlinter.application.use_cases import (
        _get_built_in_contract_types,
        read_user_options,
    )
    from importlinter.configuration import configure

    configure()
    options = read_user_options(config_filename=str(config_file))
    classes = dict(_get_built_in_contract_types())
    with _sys_path(site):
        for root in ROOT_PACKAGES:
            spec = importlib.util.find_spec(root)
            assert spec is not None and spec.origin and spec.origin.startswith(str(site)), (
                f"{root} must be found in {site}, not elsewhere ({spec and spec.origin})"
            )
        graph = GraphBuilder().build(
            root_package_names=options.session_options["root_packages"],
            cache_dir=None,
            include_external_packages=True,
        )
    outcomes = {}
    for contract_options in options.contracts_options:
        contract = classes[contract_options["type"]](
            name=contract_options["name"],
            session_options=options.session_options,
            contract_options=contract_options,
        )
        try:
            check = contract.check(copy.deepcopy(graph), verbose=False)
        except Exception as error:  # an error is a verdict too
            outcomes[contract_options["id"]] = Outcome("error", detail=str(error))
            continue
        pairs = _importlinter_pairs(contract_options["type"], check.metadata)
        outcomes[contract_options["id"]] = Outcome("kept" if check.kept else "broken", pairs)
    return outcomes


@pytest.fixture(scope="module")
def fitness_outcomes(site: Path, config_file: Path) -> dict[str, tuple[Any, Outcome]]:
    """Every contract, through fitness: its reader, its graph builder, its rules."""
    loaded = load_config(config_file)
    builder = GrimpGraphBuilder(config_file.parent, cache_dir=None, sys_path=[str(site)])
    graph = builder.build(loaded.config.graph)
    outcomes = {}
    contracts = CONTRACTS + DELIBERATE_DIFFERENCES
    for contract, rule in zip(contracts, loaded.config.rules, strict=True):
        assert rule.name == contract["name"]
        result = check_rule(rule, graph)
        if result.errors:
            outcome = Outcome("error", detail="\n".join(result.errors))
        else:
            pairs = frozenset((v.importer, v.imported) for v in result.violations)
            outcome = Outcome("broken" if result.violations else "kept", pairs)
        outcomes[contract["id"]] = (rule, outcome)
    return outcomes


@pytest.mark.parametrize("contract", CONTRACTS, ids=[c["id"] for c in CONTRACTS])
def test_same_verdict_and_pairs(
    contract: dict[str, Any],
    importlinter_outcomes: dict[str, Outcome],
    fitness_outcomes: dict[str, tuple[Any, Outcome]],
) -> None:
    rule, ours = fitness_outcomes[contract["id"]]
    # Checked by fitness's own rule, not by import-linter's class in disguise.
    assert not isinstance(rule, ImportLinterContractRule)
    assert rule.type_name == contract["type"]
    theirs = importlinter_outcomes[contract["id"]]
    assert ours.verdict == theirs.verdict, (ours.detail, theirs.detail)
    assert ours.pairs == theirs.pairs, (
        f"only fitness: {sorted(ours.pairs - theirs.pairs)}; "
        f"only import-linter: {sorted(theirs.pairs - ours.pairs)}"
    )


def test_a_wildcard_matching_nothing_fails_in_fitness_only(
    importlinter_outcomes: dict[str, Outcome],
    fitness_outcomes: dict[str, tuple[Any, Outcome]],
) -> None:
    """The one deliberate difference: fitness's safe default (a typo must not pass)."""
    assert importlinter_outcomes["wildcard-matching-nothing"].verdict == "kept"
    _, ours = fitness_outcomes["wildcard-matching-nothing"]
    assert ours.verdict == "error"
    assert "'sqlalchemy.cyextension.*' matches no module" in ours.detail


def test_the_contracts_exercise_both_verdicts(importlinter_outcomes: dict[str, Outcome]) -> None:
    """Parity on contracts that are all kept (or all broken) would prove little."""
    verdicts = {c["id"]: importlinter_outcomes[c["id"]].verdict for c in CONTRACTS}
    kept = [i for i, v in verdicts.items() if v == "kept"]
    broken = [i for i, v in verdicts.items() if v == "broken"]
    assert len(kept) >= 5, verdicts
    assert [i for i, v in verdicts.items() if v == "error"] == ["django-missing-module"]
    assert len(broken) >= 10, verdicts
    assert sum(len(importlinter_outcomes[i].pairs) for i in broken) >= 50
    for type_name in {c["type"] for c in CONTRACTS}:
        of_type = [c["id"] for c in CONTRACTS if c["type"] == type_name]
        assert any(verdicts[i] == "broken" for i in of_type), f"no broken {type_name} contract"


def _importlinter_pairs(type_name: str, metadata: dict[str, Any]) -> Pairs:
    """The illegal (importer, imported) pairs, read from import-linter's own metadata."""
    return frozenset(importlinter_pairs(type_name, metadata))


@contextlib.contextmanager
def _sys_path(path: Path) -> Iterator[None]:
    sys.path.insert(0, str(path))
    try:
        yield
    finally:
        sys.path.remove(str(path))
