"""The command line as its users meet it: choosing rules, quiet and verbose runs, one
`-o FILE` for every file written, exit statuses that say whether the rules hold."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from fitness.cli import main
from tests.helpers import append, copy_example, write_project

RULES = (
    "Layered architecture",
    "No infrastructure in the core",
    "Adapters are independent",
    "Ports and adapters",
    "Repositories live in the adapters",
    "Entities are free of the ORM",
    "The domain does no I/O",
    "Only the composition root creates adapters",
)
UP = "from shop.application.place_order import PlaceOrder\n"


@pytest.fixture
def shop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = copy_example("shop", tmp_path)
    monkeypatch.chdir(root)
    return root


def check(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["check", "--no-cache", *args])
    out, err = capsys.readouterr()
    return code, out, err


def statuses(out: str) -> list[str]:
    return [line for line in out.splitlines() if line.startswith(("KEPT", "BROKEN", "ERROR"))]


# --rule -------------------------------------------------------------------------------


def test_rule_runs_only_the_rules_named(shop: Path, capsys: pytest.CaptureFixture[str]) -> None:
    append(shop / "shop/domain/pricing.py", UP)  # breaks the layers, not the adapters' rule
    code, out, _ = check(capsys, "--rule", "Adapters are independent")
    assert code == 0
    assert statuses(out) == ["KEPT   Adapters are independent"]
    assert out.endswith("1 kept, 0 broken (0 violations)\n")


def test_rule_is_repeatable_and_keeps_the_configuration_order(
    shop: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    append(shop / "shop/domain/pricing.py", UP)
    code, out, _ = check(
        capsys, "--rule", "Adapters are independent", "--rule", "Layered architecture"
    )
    assert code == 1
    assert statuses(out) == ["BROKEN Layered architecture", "KEPT   Adapters are independent"]


def test_rule_takes_shell_patterns(shop: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """fnmatch's patterns: ``*`` any text, ``?`` one character; the whole name must match."""
    code, out, _ = check(
        capsys, "--rule", "Layered*", "--rule", "No infra*", "--rule", "Adapters?are*"
    )
    assert code == 0
    assert statuses(out) == [
        "KEPT   Layered architecture",
        "KEPT   No infrastructure in the core",
        "KEPT   Adapters are independent",
    ]


def test_a_rule_name_with_pattern_characters_selects_itself(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = """
        [tool.fitness]
        root_packages = ["app"]

        [[tool.fitness.rules]]
        name = "Layers [strict]"
        type = "layers"
        layers = ["app.a", "app.b"]

        [[tool.fitness.rules]]
        name = "Layers s"
        type = "independence"
        modules = ["app.b", "app.c"]
        """
    write_project(tmp_path, config, APP)
    code = main(["check", "--no-cache", "--config", str(tmp_path), "--rule", "Layers [strict]"])
    assert code == 0
    assert statuses(capsys.readouterr().out) == ["KEPT   Layers [strict]"]


def test_a_rule_that_matches_nothing_is_an_error_with_did_you_mean(
    shop: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = check(
        capsys, "--rule", "Layered architecture", "--rule", "Adapter are independent"
    )
    assert code == 2
    assert out == ""
    assert err == (
        "fitness: error: --rule 'Adapter are independent' matches no rule; did you mean "
        "'Adapters are independent'? (the rules: 'Layered architecture', "
        "'No infrastructure in the core', 'Adapters are independent', 'Ports and adapters', "
        "'Repositories live in the adapters', 'Entities are free of the ORM', "
        "'The domain does no I/O', 'Only the composition root creates adapters')\n"
    )


def test_rule_selects_what_the_json_report_holds(
    shop: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = check(capsys, "--format", "json", "--rule", "Ports*")
    assert code == 0
    assert [r["rule"] for r in json.loads(out)["rules"]] == ["Ports and adapters"]


# -q and -v ----------------------------------------------------------------------------


def test_quiet_prints_nothing_when_every_rule_holds(
    shop: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert check(capsys, "-q") == (0, "", "")


def test_quiet_prints_only_the_verdict_line_when_a_rule_is_broken(
    shop: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    append(shop / "shop/domain/pricing.py", UP)
    code, out, err = check(capsys, "--quiet")
    assert code == 1
    assert out == "6 kept, 2 broken (2 violations)\n"
    assert err == ""


def test_quiet_leaves_machine_formats_whole(shop: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = check(capsys, "-q", "--format", "json")
    assert code == 0
    assert len(json.loads(out)["rules"]) == len(RULES)


def test_verbose_prints_the_whole_report(shop: Path, capsys: pytest.CaptureFixture[str]) -> None:
    append(shop / "shop/domain/pricing.py", UP)
    code, out, _ = check(capsys, "-v")
    assert code == 1
    assert "shop/domain/pricing.py:" in out
    assert out.endswith("6 kept, 2 broken (2 violations)\n")


# No rules -----------------------------------------------------------------------------


NO_RULES = """
[tool.fitness]
root_packages = ["app"]
"""
APP = {"app/__init__.py": "", "app/a.py": "import app.b\n", "app/b.py": "", "app/c/__init__.py": ""}


def test_check_without_rules_says_so_and_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_project(tmp_path, NO_RULES, APP)
    assert main(["check", "--config", str(tmp_path)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (
        f"fitness: error: {tmp_path}/pyproject.toml: no rules to check: declare "
        "[[tool.fitness.rules]] (the metrics, graph and report commands and the "
        "fitness_graph fixture work without them)\n"
    )


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        (["metrics", "--format", "json"], '"package": "app.a"'),
        (["graph", "--format", "mermaid"], "flowchart"),
    ],
    ids=["metrics", "graph"],
)
def test_metrics_and_graph_work_without_rules(
    command: list[str], expected: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_project(tmp_path, NO_RULES, APP)
    assert main([*command, "--config", str(tmp_path)]) == 0
    assert expected in capsys.readouterr().out


def test_report_works_without_rules(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_project(tmp_path, NO_RULES, APP)
    target = tmp_path / "report.html"
    assert main(["report", "--config", str(tmp_path), "-o", str(target)]) == 0
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


# report: -o, --html, exit status ------------------------------------------------------


def test_report_writes_to_dash_o_and_exits_0_when_every_rule_holds(
    shop: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", "--no-cache", "-o", "out/report.html"]) == 0
    assert capsys.readouterr() == ("fitness: wrote out/report.html\n", "")
    assert (shop / "out/report.html").is_file()


def test_report_exits_1_when_a_rule_is_broken_and_still_writes_the_report(
    shop: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    append(shop / "shop/domain/pricing.py", UP)
    assert main(["report", "--no-cache", "--output", "report.html"]) == 1
    assert capsys.readouterr().out == "fitness: wrote report.html\n"
    assert "Layered architecture" in (shop / "report.html").read_text(encoding="utf-8")


def test_report_exits_2_when_a_rule_cannot_be_checked(
    shop: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = shop / "pyproject.toml"
    config.write_text(
        config.read_text().replace('"shop.application.ports"', '"shop.application.prots"'),
        encoding="utf-8",
    )
    assert main(["report", "--no-cache", "-o", "report.html"]) == 2
    assert (shop / "report.html").is_file()


def test_report_quiet_and_verbose(shop: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "--no-cache", "-q", "-o", "report.html"]) == 0
    assert capsys.readouterr() == ("", "")
    assert main(["report", "-v", "-o", "report.html"]) == 0
    assert capsys.readouterr().out == (
        "KEPT   Layered architecture\n"
        "KEPT   No infrastructure in the core\n"
        "KEPT   Adapters are independent\n"
        "KEPT   Ports and adapters\n"
        "KEPT   Repositories live in the adapters\n"
        "KEPT   Entities are free of the ORM\n"
        "KEPT   The domain does no I/O\n"
        "KEPT   Only the composition root creates adapters\n"
        "8 kept, 0 broken (0 violations)\n"
        "fitness: wrote report.html\n"
    )


def test_report_html_still_works_and_says_it_is_deprecated(
    shop: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", "--no-cache", "--html", "old.html"]) == 0
    assert capsys.readouterr() == (
        "fitness: wrote old.html\n",
        "fitness: warning: --html FILE is deprecated; use -o/--output FILE\n",
    )
    assert (shop / "old.html").is_file()


def test_report_without_a_file_is_a_usage_error(
    shop: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report"]) == 2
    assert capsys.readouterr().err == (
        "fitness: error: fitness report: say where to write the report: -o/--output FILE\n"
    )


def test_report_refuses_two_different_files(shop: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "-o", "a.html", "--html", "b.html"]) == 2
    assert capsys.readouterr().err == (
        "fitness: error: give the file once: -o/--output FILE (--html is its old name)\n"
    )
    assert not (shop / "a.html").exists() and not (shop / "b.html").exists()


# -o on the other commands -------------------------------------------------------------


def test_metrics_writes_to_dash_o(shop: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["metrics", "--format", "csv", "-o", "metrics.csv"]) == 0
    assert capsys.readouterr().out == ""
    assert (shop / "metrics.csv").read_text().startswith("scope,name,metric,value\n")


def test_baseline_writes_to_dash_o_and_is_quiet_with_q(
    shop: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    append(shop / "shop/domain/pricing.py", UP)
    assert main(["baseline", "--no-cache", "-o", "known.json"]) == 0
    assert capsys.readouterr().out == "fitness: wrote known.json (2 violations of 2 rules)\n"
    assert main(["baseline", "-q", "-o", "known.json"]) == 0
    assert capsys.readouterr() == ("", "")
    assert main(["baseline", "-v", "--baseline", "known.json"]) == 0
    assert capsys.readouterr().out == (
        "     1 Layered architecture\n"
        "     0 No infrastructure in the core\n"
        "     0 Adapters are independent\n"
        "     1 Ports and adapters\n"
        "     0 Repositories live in the adapters\n"
        "     0 Entities are free of the ORM\n"
        "     0 The domain does no I/O\n"
        "     0 Only the composition root creates adapters\n"
        "fitness: wrote known.json (2 violations of 2 rules)\n"
    )
    assert main(["check", "--baseline", "known.json", "-q"]) == 0


def test_the_command_in_its_own_process(shop: Path) -> None:
    """As the installed script runs it: --rule with a pattern, -q, the exit status."""
    append(shop / "shop/domain/pricing.py", UP)
    run = subprocess.run(
        [sys.executable, "-m", "fitness", "check", "-q", "--rule", "Layered*"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (run.returncode, run.stdout, run.stderr) == (
        1,
        "0 kept, 1 broken (1 violation)\n",  # only the rule asked for
        "",
    )


# The README about installing ----------------------------------------------------------

REPO = Path(__file__).resolve().parents[2]
README = (REPO / "README.md").read_text(encoding="utf-8")


def test_the_readme_set_up_commands_are_those_ci_runs() -> None:
    block = README.split("## Set up", 1)[1].split("```bash\n", 1)[1].split("```", 1)[0]
    ci = (REPO / ".ci/run").read_text(encoding="utf-8").splitlines()
    commands = block.strip().splitlines()
    assert len(commands) == 2
    for command in commands:  # .ci/run makes the fresh virtual environment on a line of its own
        assert command.removeprefix("python3 -m venv .venv && ") in ci
    assert "python3 -m venv .venv" in ci


def test_the_readme_says_how_to_install_without_pypi_and_the_python_floor() -> None:
    install = README.split("### Installing it in your own project", 1)[1].split("\n## ", 1)[0]
    assert "**Python 3.11 or later**" in install
    assert "It is not on PyPI yet" in install
    assert "pip install /path/to/pytest-fitness " in install
    assert "pip install dist/pytest_fitness-0.1.0-py3-none-any.whl" in install
    assert f"{fitness_version()}-py3-none-any.whl" in install
    requires = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert 'requires-python = ">=3.11"' in requires


def fitness_version() -> str:
    import fitness

    return fitness.__version__


def test_no_placeholder_url_in_the_pre_commit_example_or_hooks() -> None:
    hooks = (REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    ci = (REPO / "docs" / "ci.md").read_text(encoding="utf-8")
    for text in (README, ci, hooks):
        assert "<owner>" not in text and "<this repository>" not in text
    pre_commit = ci.split("[pre-commit](https://pre-commit.com) hook", 1)[1].split("```", 2)[1]
    assert "- repo: local" in pre_commit and "entry: fitness check" in pre_commit
