"""``adr``: the architecture decision record behind a rule, on every rule type: checked
when the configuration is read, shown in the failure message and in every report."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from fitness.adapters.reporters import ReportContext, render
from fitness.adapters.reporters.json_report import result_from_data, result_to_data
from fitness.cli import main
from fitness.domain.options import build_rule
from fitness.domain.rendering import render_failure
from fitness.domain.rules.imports.layers import LayersRule
from fitness.domain.violations import Chain, Link, RuleResult, Violation
from tests.helpers import fake_graph, write_project

SCHEMA = json.loads(
    (Path(__file__).parents[1] / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8")
)
ADR = "docs/adr/0007-layers.md"
URL = "https://example.com/adr/0007"

CONFIG = """
[tool.fitness]
root_packages = ["app"]

[[tool.fitness.rules]]
name = "Layers"
type = "layers"
layers = ["app.web", "app.core"]
adr = "{adr}"
"""

FILES = {
    "app/__init__.py": "",
    "app/web.py": "",
    "app/core.py": "from app import web\n",
}


def broken(adr: str) -> RuleResult:
    chain = Chain((Link("app.core", "app.web", (1,), "app/core.py", "from app import web"),))
    return RuleResult(
        rule_name="Layers",
        description="Layers app.web > app.core",
        violations=(Violation("app.core", "app.web", "app.core imports app.web", (chain,)),),
        guidance="Invert the dependency.",
        rule_type="layers",
        adr=adr,
    )


CONTEXT = ReportContext(path_prefix="services/app", rule_lines={"Layers": 5})


def test_the_decision_record_is_shown_after_the_description_in_the_failure_message() -> None:
    rule = build_rule(LayersRule, {"name": "Layers", "layers": ["app.web", "app.core"], "adr": ADR})
    result = rule.result(fake_graph({"app.core": ["app.web"], "app.web": []}))
    assert result.adr == ADR
    assert render_failure(result).splitlines()[:4] == [
        "Layers app.web > app.core: each layer may import only the layers below it.",
        "",
        "Decision record: docs/adr/0007-layers.md",
        "",
    ]


def test_a_rule_without_a_decision_record_has_no_such_line() -> None:
    assert "Decision record" not in render_failure(broken(""))


def test_a_missing_decision_record_is_a_configuration_error_naming_file_line_and_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = write_project(tmp_path, CONFIG.format(adr=ADR), FILES)
    (project / "docs" / "adr").mkdir(parents=True)
    (project / "docs" / "adr" / "0007-layer.md").write_text("# Layers\n", encoding="utf-8")
    assert main(["check", "--config", str(project / "pyproject.toml")]) == 2
    err = capsys.readouterr().err
    assert err == (
        f"fitness: error: {project / 'pyproject.toml'}:8: [[tool.fitness.rules]] #1 ('Layers'): "
        "option 'adr': no file 'docs/adr/0007-layers.md'; did you mean "
        "'docs/adr/0007-layer.md'? (a path relative to pyproject.toml, or a URL)\n"
    )


def test_an_existing_decision_record_appears_in_the_check_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = write_project(tmp_path, CONFIG.format(adr=ADR), {**FILES, ADR: "# Layers\n"})
    assert main(["check", "--config", str(project / "pyproject.toml")]) == 1
    out = capsys.readouterr().out
    assert "layers below it.\n\nDecision record: docs/adr/0007-layers.md\n" in out
    assert "Decision record: docs/adr/0007-layers.md\n" in out


def test_a_url_is_not_looked_for_on_disk(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = write_project(tmp_path, CONFIG.format(adr=URL), FILES)
    assert main(["check", "--config", str(project / "pyproject.toml")]) == 1
    assert f"Decision record: {URL}\n" in capsys.readouterr().out


def test_an_importlinter_contract_takes_a_decision_record_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = """
    [importlinter]
    root_package = app

    [importlinter:contract:layers]
    name = Layers
    type = layers
    layers =
        app.web
        app.core
    adr = docs/adr/0001-missing.md
    """
    project = write_project(tmp_path, "", {**FILES, ".importlinter": config})
    (project / "pyproject.toml").unlink()
    assert main(["check", "--config", str(project / ".importlinter")]) == 2
    assert capsys.readouterr().err == (
        f"fitness: error: {project / '.importlinter'}:4: contract #1 ('Layers'): option 'adr': "
        "no file 'docs/adr/0001-missing.md' (a path relative to .importlinter, or a URL)\n"
    )
    write_project(project, "", {"docs/adr/0001-missing.md": "# Layers\n"})
    (project / "pyproject.toml").unlink()
    assert main(["check", "--config", str(project / ".importlinter")]) == 1
    assert "Decision record: docs/adr/0001-missing.md\n" in capsys.readouterr().out


def test_json_carries_the_record_relative_to_where_the_report_is_read() -> None:
    data = json.loads(render("json", [broken(ADR)], CONTEXT))
    assert data["rules"][0]["adr"] == "services/app/docs/adr/0007-layers.md"
    assert json.loads(render("json", [broken(URL)], CONTEXT))["rules"][0]["adr"] == URL


def test_the_record_survives_the_trip_between_xdist_workers() -> None:
    assert result_from_data(result_to_data(broken(ADR))).adr == ADR


def test_sarif_puts_the_record_in_the_rules_help_and_a_url_in_help_uri() -> None:
    log = json.loads(render("sarif", [broken(URL)], CONTEXT))
    jsonschema.validate(log, SCHEMA)
    rule = log["runs"][0]["tool"]["driver"]["rules"][0]
    assert rule["helpUri"] == URL
    assert rule["help"] == {"text": f"Invert the dependency.\nDecision record: {URL}"}
    assert rule["properties"]["adr"] == URL
    rule = json.loads(render("sarif", [broken(ADR)], CONTEXT))["runs"][0]["tool"]["driver"][
        "rules"
    ][0]
    assert "helpUri" not in rule
    assert rule["properties"]["adr"] == "services/app/docs/adr/0007-layers.md"


def test_github_annotations_end_with_the_record() -> None:
    lines = render("github", [broken(ADR)], CONTEXT).splitlines()
    assert lines[0].endswith("%0ADecision record: services/app/docs/adr/0007-layers.md")


def test_markdown_links_a_url_and_quotes_a_path() -> None:
    assert "Decision record: <https://example.com/adr/0007>\n" in render(
        "markdown", [broken(URL)], CONTEXT
    )
    assert "Decision record: `services/app/docs/adr/0007-layers.md`\n" in render(
        "markdown", [broken(ADR)], CONTEXT
    )


def test_html_links_a_url_and_quotes_a_path() -> None:
    from fitness.adapters.reporters.html import _rules_section

    assert (
        '<p class="adr">Decision record: <a href="https://example.com/adr/0007">'
        "https://example.com/adr/0007</a></p>"
    ) in _rules_section([broken(URL)], CONTEXT, {})
    assert (
        '<p class="adr">Decision record: <code>services/app/docs/adr/0007-layers.md</code></p>'
    ) in _rules_section([broken(ADR)], CONTEXT, {})
