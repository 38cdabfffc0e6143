"""`fitness init` recognises an architecture style from the layout and proposes it,
only where it holds today (the style examples, and copies broken on purpose)."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from fitness.cli import main
from tests.helpers import copy_example, fake_graph


def _init(example: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    project = copy_example(example, tmp_path)
    config = project / "pyproject.toml"
    config.write_text('[project]\nname = "x"\n')
    monkeypatch.chdir(project)
    assert main(["init"]) == 0
    assert main(["check", "--no-baseline"]) == 0  # what init proposes holds
    fitness: dict[str, Any] = tomllib.loads(config.read_text())["tool"]["fitness"]
    return fitness


def _rule(config: dict[str, Any], type_name: str) -> dict[str, Any]:
    found = [r for r in config["rules"] if r["type"] == type_name]
    assert len(found) == 1, [r["type"] for r in config["rules"]]
    rule: dict[str, Any] = found[0]
    return rule


def test_sibling_packages_publishing_api_and_events_are_proposed_as_modules_and_contexts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = _init("marketplace", tmp_path, monkeypatch)
    modules = _rule(config, "modular_monolith")["modules"]
    assert modules["marketplace.ordering"] == {
        "depends_on": ["marketplace.catalog", "marketplace.shared"],
        "interface": ["api", "events"],
    }
    assert modules["marketplace.shared"] == {"depends_on": []}  # a shared kernel is open
    contexts = _rule(config, "bounded_contexts")
    assert contexts["shared_kernel"] == ["marketplace.shared"]
    assert "marketplace.shared" not in contexts["contexts"]


def test_commands_and_queries_are_proposed_as_cqrs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cqrs = _rule(_init("helpdesk", tmp_path, monkeypatch), "cqrs")
    assert cqrs == {
        "name": "helpdesk separates commands from queries",
        "type": "cqrs",
        "commands": ["helpdesk.commands"],
        "queries": ["helpdesk.queries"],
        "read_model": ["helpdesk.read_model"],
        "write_model": ["helpdesk.write_model"],
    }


def test_entities_and_use_cases_are_proposed_as_the_clean_architecture(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clean = _rule(_init("library", tmp_path, monkeypatch), "clean_architecture")
    assert clean["rings"] == [
        "library.entities",
        "library.use_cases",
        "library.interface_adapters",
        "library.frameworks",
    ]


def test_a_style_that_does_not_hold_today_is_left_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project = copy_example("helpdesk", tmp_path)
    (project / "pyproject.toml").write_text('[project]\nname = "x"\n')
    query = next((project / "helpdesk" / "queries").glob("[!_]*.py"))
    query.write_text(query.read_text() + "\nimport helpdesk.commands  # a query reaching over\n")
    monkeypatch.chdir(project)

    assert main(["init", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert (
        "fitness: 1 rule of the recognised layouts does not hold today: helpdesk separates "
        "commands from queries; `fitness init --baseline` proposes it with today's violations "
        "recorded in the baseline\n"
    ) in out
    assert "# not proposed, broken today: helpdesk separates commands from queries" in out


def test_a_domain_with_a_model_and_services_is_proposed_as_an_onion() -> None:
    from fitness.domain.inference.styles import recognise_styles

    graph = fake_graph(
        {
            "app.domain.model": [],
            "app.domain.services": ["app.domain.model"],
            "app.application": ["app.domain.services"],
            "app.adapters.web": ["app.application"],
            "app.adapters.db": ["app.domain.model"],
            "app.main": ["app.adapters.web", "app.adapters.db"],
        }
    )
    found = {
        candidate.type: candidate.options
        for recognition in recognise_styles(graph, "app")
        for candidate in recognition.candidates
    }
    assert found["hexagonal"] == {
        "domain": "app.domain",
        "application": "app.application",
        "adapters": ["app.adapters.*"],
        "composition_root": "app.main",
    }
    assert found["onion"] == {
        "domain_models": ["app.domain.model"],
        "domain_services": ["app.domain.services"],
        "application_services": ["app.application"],
        "adapters": ["app.adapters.*"],
        "composition_root": "app.main",
    }
