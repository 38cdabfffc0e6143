"""The composition root on the code of "Architecture Patterns with Python" (issue 21):
the entry points call ``bootstrap.bootstrap()``, which wires in the driven adapters.
Neither the entry points importing it nor the chains through it are violations."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from fitness.cli import main

LAYOUT = Path(__file__).parent / "layouts" / "cosmic"

STYLES = """
[tool.fitness]
root_packages = ["allocation"]

[[tool.fitness.rules]]
name = "hexagon"
type = "hexagonal"
domain = "allocation.domain"
application = "allocation.service_layer"
adapters = ["allocation.adapters", "allocation.entrypoints.*"]
composition_root = "allocation.bootstrap"

[[tool.fitness.rules]]
name = "onion"
type = "onion"
domain_models = ["allocation.domain"]
application_services = ["allocation.service_layer"]
adapters = ["allocation.adapters", "allocation.entrypoints.*"]
composition_root = "allocation.bootstrap"
"""


@pytest.fixture
def book(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    project = tmp_path / "cosmic"
    shutil.copytree(LAYOUT, project)
    config = project / "pyproject.toml"
    config.write_text(config.read_text(encoding="utf-8") + STYLES, encoding="utf-8")
    monkeypatch.chdir(project)
    return project


def violations(capsys: pytest.CaptureFixture[str]) -> dict[str, list[dict[str, object]]]:
    assert main(["check", "--no-cache", "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    return {rule["rule"]: rule["violations"] for rule in report["rules"]}


def through_bootstrap(violation: dict[str, object]) -> bool:
    chains = violation["chains"]
    assert isinstance(chains, list)
    return any("allocation.bootstrap" in chain["modules"] for chain in chains)


def test_the_entry_points_may_import_bootstrap_and_reach_the_adapters_through_it(
    book: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    found = violations(capsys)
    assert [v["summary"] for v in found["hexagon"]] == [
        # through the service layer, not through bootstrap
        "adapter allocation.entrypoints.flask_app depends on adapter allocation.adapters",
        "allocation.adapters.notifications is imported by allocation.service_layer.handlers; "
        "only the composition root (allocation.bootstrap) may import adapters",
        "allocation.adapters.repository is imported by allocation.service_layer.unit_of_work; "
        "only the composition root (allocation.bootstrap) may import adapters",
    ]
    assert not any(through_bootstrap(v) for v in found["hexagon"])
    assert [v["summary"].split(" (")[0] for v in found["onion"]] == [  # type: ignore[attr-defined]
        "the application services must not depend on the adapters",
        "the application services import the framework sqlalchemy",
    ]
    assert not any(through_bootstrap(v) for v in found["onion"])


def test_without_a_composition_root_the_onion_reports_the_chains_through_bootstrap(
    book: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = book / "pyproject.toml"
    text = config.read_text(encoding="utf-8")
    head, _, onion = text.rpartition('name = "onion"')
    config.write_text(
        head + 'name = "onion"' + onion.replace('composition_root = "allocation.bootstrap"', ""),
        encoding="utf-8",
    )
    assert sum(through_bootstrap(v) for v in violations(capsys)["onion"]) == 2
