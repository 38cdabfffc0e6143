"""Machine-readable output: JSON, SARIF 2.1.0 (schema-validated), GitHub annotations, markdown;
`fitness check --format/--output`, `pytest --fitness-report` (also under xdist) and --junitxml."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from fitness.adapters.reporters import ReportContext, format_for_path, render
from fitness.adapters.reporters.github import command, escape_data, escape_property
from fitness.adapters.reporters.json_report import result_from_data, result_to_data
from fitness.cli import main
from fitness.domain.errors import ConfigError
from fitness.domain.violations import Chain, Link, RuleResult, Violation
from tests.helpers import append

SCHEMA = json.loads(
    (Path(__file__).parents[2] / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8")
)
UP = "from shop.application.place_order import PlaceOrder  # reaching up\n"
ACROSS = "from shop.adapters.db import repository  # across adapters\n"


def two_link_result() -> RuleResult:
    chain = Chain(
        (
            Link("app.ports", "app.money", (7,), "app/ports.py", "from app.money import Money"),
            Link("app.money", "sqlalchemy", (2,), "app/money.py", "import sqlalchemy"),
        )
    )
    exhaustive = Violation("app.misc", "", "app.misc is not declared as a layer")
    return RuleResult(
        rule_name="No infrastructure, in the core: really",
        description="Modules in app must not import sqlalchemy",
        violations=(
            Violation("app.ports", "sqlalchemy", "app.ports must not import sqlalchemy", (chain,)),
            exhaustive,
        ),
        warnings=("stale baseline entry: a -> b",),
        guidance="Remove the import.",
        rule_type="forbidden",
    )


CONTEXT = ReportContext(
    config_file="pyproject.toml",
    path_prefix="services/app",
    rule_lines={"No infrastructure, in the core: really": 12},
    tool_version="0.1.0",
)


def test_sarif_is_valid_against_the_official_schema() -> None:
    log = json.loads(render("sarif", [two_link_result()], CONTEXT))
    jsonschema.validate(log, SCHEMA)
    assert log["version"] == "2.1.0"


def test_sarif_results_locate_every_import_of_the_chain() -> None:
    log = json.loads(render("sarif", [two_link_result()], CONTEXT))
    run = log["runs"][0]
    first = run["results"][0]
    assert run["tool"]["driver"]["rules"][0]["id"] == "fitness/no-infrastructure-in-the-core-really"
    assert first["ruleId"] == "fitness/no-infrastructure-in-the-core-really"
    assert first["level"] == "error"
    assert first["message"]["text"].startswith("app.ports must not import sqlalchemy.")
    primary = first["locations"][0]["physicalLocation"]
    assert primary["artifactLocation"]["uri"] == "services/app/app/ports.py"
    assert primary["region"] == {"startLine": 7}
    related = [
        (
            r["physicalLocation"]["artifactLocation"]["uri"],
            r["physicalLocation"]["region"]["startLine"],
        )
        for r in first["relatedLocations"]
    ]
    assert related == [("services/app/app/ports.py", 7), ("services/app/app/money.py", 2)]
    steps = first["codeFlows"][0]["threadFlows"][0]["locations"]
    assert len(steps) == 2
    # A violation without a chain points at the rule in pyproject.toml.
    second = run["results"][1]["locations"][0]["physicalLocation"]
    assert second == {
        "artifactLocation": {"uri": "services/app/pyproject.toml", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 12},
    }
    assert run["results"][2]["level"] == "warning"


def test_github_escaping_follows_the_runner_rules() -> None:
    assert escape_data("100%\r\nnext") == "100%25%0D%0Anext"
    assert escape_property("a,b:c%\n") == "a%2Cb%3Ac%25%0A"
    assert command("error", "x:y,z", file="a,b.py", line=3, title="t: u") == (
        "::error file=a%2Cb.py,line=3,title=t%3A u::x:y,z"
    )


def test_github_annotations_name_file_line_and_rule() -> None:
    lines = render("github", [two_link_result()], CONTEXT).splitlines()
    assert lines[0].startswith(
        "::error file=services/app/app/ports.py,line=7,"
        "title=fitness%3A No infrastructure%2C in the core%3A really::"
        "app.ports must not import sqlalchemy.%0A  app.ports -> app.money -> sqlalchemy%0A"
    )
    assert lines[1].startswith("::error file=services/app/pyproject.toml,line=12,")
    assert lines[2].startswith("::warning file=services/app/pyproject.toml,line=12,")
    assert lines[-1] == "::notice title=pytest-fitness::0 kept, 1 broken (2 violations)"
    assert all("\n" not in line for line in lines)


def test_markdown_has_a_summary_table_and_the_chains() -> None:
    text = render("markdown", [two_link_result()], CONTEXT)
    assert "| ❌ | No infrastructure, in the core: really | 2 | 0 | 0 |" in text
    assert "  - `app.ports -> app.money -> sqlalchemy`" in text
    assert "    - `services/app/app/ports.py:7` `from app.money import Money`" in text
    assert "> **How to fix:** Remove the import." in text


def test_json_round_trips_results() -> None:
    original = two_link_result()
    assert result_from_data(result_to_data(original)) == original
    data = json.loads(render("json", [original], CONTEXT))
    assert data["summary"]["violations"] == 2
    link = data["rules"][0]["violations"][0]["chains"][0]["links"][0]
    assert link["file"] == "services/app/app/ports.py"
    assert link["line_numbers"] == [7]


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("r.sarif", "sarif"),
        ("out/r.json", "json"),
        ("SUMMARY.md", "markdown"),
        ("x.sarif.json", "sarif"),
    ],
)
def test_format_follows_the_extension(name: str, fmt: str) -> None:
    assert format_for_path(name) == fmt


def test_an_unknown_extension_is_an_error_with_a_suggestion() -> None:
    with pytest.raises(ConfigError, match=r"'.sarf'; did you mean '.sarif'\?"):
        format_for_path("report.sarf")


# Through the command line and pytest ------------------------------------------------------


def test_check_writes_sarif_to_a_file_and_text_to_stdout(
    shop: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    append(shop / "shop/domain/pricing.py", UP)
    code = main(["check", "--format", "sarif", "--output", "out/fitness.sarif"])
    out = capsys.readouterr().out
    assert code == 1
    assert "BROKEN Layered architecture" in out
    log = json.loads((shop / "out/fitness.sarif").read_text())
    jsonschema.validate(log, SCHEMA)
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in log["runs"][0]["results"]
    }
    assert "shop/domain/pricing.py" in uris


def test_check_github_format_on_stdout(shop: Path, capsys: pytest.CaptureFixture[str]) -> None:
    append(shop / "shop/adapters/web/handlers.py", ACROSS)
    assert main(["check", "--format", "github"]) == 1
    out = capsys.readouterr().out
    assert "::error file=shop/adapters/web/handlers.py,line=" in out
    assert "title=fitness%3A Adapters are independent::" in out


@pytest.mark.slow
def test_pytest_report_under_xdist_has_every_rule(pytester: pytest.Pytester, shop: Path) -> None:
    append(shop / "shop/domain/pricing.py", UP)
    append(shop / "shop/adapters/web/handlers.py", ACROSS)

    result = pytester.runpytest_subprocess(
        "-p", "no:cacheprovider", "-n", "2", "--fitness-report=reports/fitness.sarif"
    )

    assert result.ret == 1
    log = json.loads((shop / "reports/fitness.sarif").read_text())
    jsonschema.validate(log, SCHEMA)
    rule_ids = {r["ruleId"] for r in log["runs"][0]["results"]}
    assert {"fitness/layered-architecture", "fitness/adapters-are-independent"} <= rule_ids
    declared = [r["name"] for r in log["runs"][0]["tool"]["driver"]["rules"]]
    assert declared[:3] == [
        "Layered architecture",
        "No infrastructure in the core",
        "Adapters are independent",
    ]


def test_pytest_markdown_report(pytester: pytest.Pytester, shop: Path) -> None:
    result = pytester.runpytest("-p", "no:cacheprovider", "--fitness-report=summary.md")
    assert result.ret == 0
    result.stdout.fnmatch_lines(["pytest-fitness: fitness report (markdown): *summary.md"])
    text = (shop / "summary.md").read_text()
    assert "| ✅ | Layered architecture | 0 | 0 | 0 |" in text


def test_pytest_report_with_a_bad_extension_is_a_usage_error(
    pytester: pytest.Pytester, shop: Path
) -> None:
    result = pytester.runpytest("-p", "no:cacheprovider", "--fitness-report=out.xml")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*--fitness-report: cannot tell the report format of 'out.xml'*"])


def test_junitxml_reports_fitness_items(pytester: pytest.Pytester, shop: Path) -> None:
    append(shop / "shop/domain/pricing.py", UP)

    pytester.runpytest("-p", "no:cacheprovider", "--junitxml=junit.xml")

    root = ET.parse(shop / "junit.xml").getroot()
    cases = {case.get("name"): case for case in root.iter("testcase")}
    layered = cases["Layered architecture"]
    failure = layered.find("failure")
    assert failure is not None
    assert "shop.domain is not allowed to import shop.application" in (failure.text or "")
    assert cases["No infrastructure in the core"].find("failure") is None
    assert layered.get("classname", "").endswith("pyproject.toml")


def test_pre_commit_hook_definition() -> None:
    text = (Path(__file__).resolve().parents[3] / ".pre-commit-hooks.yaml").read_text()
    hooks = text.split("\n- ")[1:]
    first = dict(
        line.strip().split(": ", 1) for line in hooks[0].splitlines() if ": " in line.strip()
    )
    assert first["id"] == "fitness-check"
    assert first["entry"] == "fitness check"
    assert first["language"] == "python"
    assert first["pass_filenames"] == "false"
    assert first["always_run"] == "true"
