"""Differential test on packages of other shapes, and on configurations import-linter refuses.

The subjects (:mod:`tests.parity.shapes`): httpx, rich and attrs from PyPI; portions of
the namespace package ``jaraco`` from PyPI; a src layout; portions of namespace packages
spread over two directories, as root packages and as one namespace root. Each has
contracts of every type and option; import-linter (in a process of its own, see
:mod:`tests.parity.importlinter_runner`) and fitness must give the same verdict and
the same illegal ``(importer, imported)`` pairs for each.

The refusals are configurations import-linter reports as errors: fitness must report
an error too (when it reads the configuration, builds the graph or checks the rule),
never pass them, never crash.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from fitness.adapters.config.importlinter import ImportLinterConfig
from fitness.adapters.config.importlinter_contracts import ImportLinterContractRule
from fitness.adapters.config.source import load_config
from fitness.adapters.packages import GrimpGraphBuilder
from fitness.application.checking import check_rule
from fitness.domain.errors import ConfigError
from tests.parity.packages import SHAPES_REQUIREMENTS, IndexUnreachable, packages_dir
from tests.parity.shapes import (
    NAMESPACE,
    ODDITIES,
    REFUSALS,
    SHOP_SRC,
    SUBJECTS,
    Refusal,
    Subject,
    to_toml,
)

pytestmark = pytest.mark.parity

RUNNER = Path(__file__).with_name("importlinter_runner.py")

#: A configuration's verdicts: ``{"error": ...}`` or ``{"contracts": {id: outcome}}``.
Verdicts = dict[str, Any]


@dataclass(frozen=True)
class Run:
    """One configuration file, with where each tool looks for its packages."""

    config: Path
    #: import-linter's sys.path (fitness finds ``<project>/src`` itself).
    importlinter_path: tuple[str, ...]
    fitness_path: tuple[str, ...]


@pytest.fixture(scope="module")
def site() -> Iterator[Path]:
    try:
        yield packages_dir(SHAPES_REQUIREMENTS)
    except IndexUnreachable as error:
        pytest.skip(f"the package index is unreachable: {error}")


def _write(root: Path, files: dict[str, str]) -> None:
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def runs(site: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Run]:
    """Every subject and refusal written as a configuration file, keyed by its id."""
    projects: dict[str, Path] = {}
    for name, files in (("shop", SHOP_SRC), ("company", NAMESPACE)):
        projects[name] = tmp_path_factory.mktemp(name)
        _write(projects[name], files)
    runs: dict[str, Run] = {}
    for subject in SUBJECTS:
        if subject.files is None:
            project = tmp_path_factory.mktemp(subject.id)
            paths: tuple[str, ...] = (str(site),)
            importlinter_path = paths
        else:
            project = projects["shop" if subject.files is SHOP_SRC else "company"]
            importlinter_path = tuple(str(project / p) for p in subject.paths)
            paths = tuple(str(project / p) for p in subject.paths if p != "src")
        config = project / f"{subject.id}.toml"
        config.write_text(
            to_toml(
                subject.root_packages,
                subject.contracts,
                include_external_packages=subject.include_external_packages,
            ),
            encoding="utf-8",
        )
        runs[subject.id] = Run(config, importlinter_path, paths)
    for index, refusal in enumerate(REFUSALS + ODDITIES):
        config = projects["shop"] / f"case-{index}.toml"
        config.write_text(
            to_toml(("shop",), [{"id": "case", **refusal.contract}], session=refusal.session),
            encoding="utf-8",
        )
        runs[refusal.id] = Run(config, (str(projects["shop"] / "src"),), ())
    return runs


@pytest.fixture(scope="module")
def importlinter_verdicts(
    runs: dict[str, Run], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Verdicts]:
    """Every configuration through import-linter: one process per sys.path."""
    groups: dict[tuple[str, ...], list[str]] = {}
    for key, run in runs.items():
        groups.setdefault(run.importlinter_path, []).append(key)
    verdicts: dict[str, Verdicts] = {}
    for index, (path, keys) in enumerate(groups.items()):
        spec = tmp_path_factory.mktemp("runner") / f"spec-{index}.json"
        configs = [str(runs[k].config) for k in keys]
        spec.write_text(json.dumps({"sys_path": list(path), "configs": configs}), encoding="utf-8")
        process = subprocess.run(
            [sys.executable, str(RUNNER), str(spec)], capture_output=True, text=True, check=False
        )
        assert process.returncode == 0, process.stderr
        answers = json.loads(process.stdout)
        for key in keys:
            verdicts[key] = answers[str(runs[key].config)]
    return verdicts


def fitness_verdicts(run: Run) -> Verdicts:
    """A configuration through fitness: its reader, its graph builder, its rules. Anything
    but a ConfigError escapes (a crash fails the test)."""
    try:
        loaded = load_config(run.config)
        builder = GrimpGraphBuilder(run.config.parent, cache_dir=None, sys_path=run.fitness_path)
        graph = builder.build(loaded.config.graph)
    except ConfigError as error:
        return {"error": str(error)}
    outcomes = {}
    locator = loaded.locator
    contracts = locator.options.contracts_options if isinstance(locator, ImportLinterConfig) else []
    for contract, rule in zip(contracts, loaded.config.rules, strict=True):
        assert not isinstance(rule, ImportLinterContractRule), "a native rule, not a wrapper"
        result = check_rule(rule, graph)
        if result.errors:
            outcome: dict[str, object] = {
                "verdict": "error",
                "pairs": [],
                "detail": "\n".join(result.errors),
            }
        else:
            pairs = sorted({(v.importer, v.imported) for v in result.violations})
            verdict = "broken" if result.violations else "kept"
            outcome = {"verdict": verdict, "pairs": pairs, "detail": "; ".join(result.warnings)}
        outcomes[str(contract["id"])] = outcome
    return {"contracts": outcomes}


def _contract_ids(subject: Subject) -> list[tuple[Subject, str]]:
    return [(subject, str(c["id"])) for c in subject.contracts]


CASES = [case for subject in SUBJECTS for case in _contract_ids(subject)]


@pytest.fixture(scope="module")
def fitness_cache(runs: dict[str, Run]) -> dict[str, Verdicts]:
    return {}


def _fitness(key: str, runs: dict[str, Run], cache: dict[str, Verdicts]) -> Verdicts:
    if key not in cache:
        cache[key] = fitness_verdicts(runs[key])
    return cache[key]


@pytest.mark.parametrize(("subject", "contract_id"), CASES, ids=[f"{s.id}:{c}" for s, c in CASES])
def test_same_verdict_and_pairs(
    subject: Subject,
    contract_id: str,
    runs: dict[str, Run],
    importlinter_verdicts: dict[str, Verdicts],
    fitness_cache: dict[str, Verdicts],
) -> None:
    theirs = importlinter_verdicts[subject.id]
    ours = _fitness(subject.id, runs, fitness_cache)
    assert "error" not in theirs, theirs
    assert "error" not in ours, ours
    mine, other = ours["contracts"][contract_id], theirs["contracts"][contract_id]
    assert mine["verdict"] == other["verdict"], (mine["detail"], other["detail"])
    assert [tuple(p) for p in mine["pairs"]] == [tuple(p) for p in other["pairs"]]


@pytest.mark.parametrize(
    "refusal",
    [pytest.param(r, id=r.id) for r in REFUSALS],
)
def test_a_configuration_import_linter_refuses_is_refused(
    refusal: Refusal,
    runs: dict[str, Run],
    importlinter_verdicts: dict[str, Verdicts],
    fitness_cache: dict[str, Verdicts],
) -> None:
    theirs = importlinter_verdicts[refusal.id]
    assert _refused(theirs), f"import-linter accepts this configuration: {theirs}"
    ours = _fitness(refusal.id, runs, fitness_cache)
    assert _refused(ours), f"fitness accepts what import-linter refuses: {ours}"


@pytest.mark.parametrize("oddity", ODDITIES, ids=[o.id for o in ODDITIES])
def test_an_odd_configuration_import_linter_accepts_gets_its_verdict(
    oddity: Refusal,
    runs: dict[str, Run],
    importlinter_verdicts: dict[str, Verdicts],
    fitness_cache: dict[str, Verdicts],
) -> None:
    theirs = importlinter_verdicts[oddity.id]
    assert not _refused(theirs), f"import-linter refuses this configuration: {theirs}"
    ours = _fitness(oddity.id, runs, fitness_cache)
    assert "error" not in ours, ours
    mine, other = ours["contracts"]["case"], theirs["contracts"]["case"]
    assert mine["verdict"] == other["verdict"], (mine["detail"], other["detail"])
    assert mine["pairs"] == [tuple(p) for p in other["pairs"]]


def _refused(verdicts: Verdicts) -> bool:
    return "error" in verdicts or verdicts["contracts"]["case"]["verdict"] == "error"


def test_the_subjects_exercise_both_verdicts(importlinter_verdicts: dict[str, Verdicts]) -> None:
    """Parity on contracts that are all kept (or all broken) would prove little."""
    verdicts = [
        outcome["verdict"]
        for subject in SUBJECTS
        for outcome in importlinter_verdicts[subject.id]["contracts"].values()
    ]
    assert verdicts.count("kept") >= 8, verdicts
    assert verdicts.count("broken") >= 15, verdicts
    assert "error" not in verdicts
    types = {c["type"] for s in SUBJECTS for c in s.contracts}
    assert types == {
        "layers",
        "forbidden",
        "independence",
        "protected",
        "private_modules",
        "acyclic_siblings",
    }
