"""benchmarks/run.py measures what it says: CPU time of a process tree, tools in turn,
the same contracts for both tools, a failing tool as a row, the goal beside each figure."""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from fitness import ForbiddenRule
from fitness.adapters.config.source import load_config
from tests.helpers import REPO

sys.path.insert(0, str(REPO / "benchmarks"))

import configs
import harness
import report
import run


def test_a_run_counts_the_cpu_time_of_the_children_the_process_waited_for(
    tmp_path: Path,
) -> None:
    busy = "import time\nend = time.process_time() + 0.2\nwhile time.process_time() < end: pass\n"
    parent = (
        "import subprocess, sys, time\n"
        f"subprocess.run([sys.executable, '-c', {busy!r}], check=True)\n"
        "print(time.process_time())\n"
    )
    done = harness.run([sys.executable, "-c", parent], tmp_path)
    own = float(done.output.split()[-1])
    assert done.returncode == 0
    assert done.cpu >= own + 0.2


def test_a_tool_that_fails_is_a_failure_that_says_how(tmp_path: Path) -> None:
    crash = "import sys; print('no such package: django'); sys.exit(3)"
    with pytest.raises(harness.Failure, match=r"exited with 3: no such package: django"):
        harness.run([sys.executable, "-c", crash], tmp_path)
    with pytest.raises(harness.Failure, match=r"could not start"):
        harness.run([str(tmp_path / "no-such-tool")], tmp_path)


def test_the_tools_of_a_comparison_run_in_turn_and_a_failing_one_stops() -> None:
    order: list[str] = []

    def tool(name: str, fails_at: int | None = None) -> Callable[[], harness.Run]:
        def one() -> harness.Run:
            order.append(name)
            if fails_at is not None and order.count(name) == fails_at:
                raise harness.Failure(f"{name} crashed")
            return harness.Run(0.1, 0.1, 1.0, 0, "")

        return one

    measured = harness.interleave(
        4, {"a": tool("a"), "b": tool("b"), "c": tool("c", fails_at=2)}, runs={"b": 3}
    )

    assert order == ["a", "b", "c", "c", "b", "a", "a", "b", "a"]
    assert [len(measured[n].runs) for n in "abc"] == [4, 3, 1]
    assert measured["c"].failure == "c crashed"
    assert measured["c"].cpu == 0.1


@pytest.mark.parametrize("codebase", sorted(configs.CONTRACTS))
def test_both_tools_get_the_same_contracts(tmp_path: Path, codebase: str) -> None:
    contracts = configs.CONTRACTS[codebase]
    (tmp_path / "pyproject.toml").write_text(contracts.fitness_toml())
    (tmp_path / ".importlinter").write_text(contracts.importlinter_ini())

    ours = load_config(tmp_path / "pyproject.toml").config
    theirs = load_config(tmp_path / ".importlinter").config

    # (fitness's own configuration builds the graph Python sees; an import-linter one,
    # import-linter's: the rest of the graph settings are the same)
    assert ours.graph._replace(as_import_linter=True) == theirs.graph
    assert [dataclasses.asdict(r) for r in ours.rules] == [
        dataclasses.asdict(r) for r in theirs.rules
    ]


def test_the_many_rules_are_the_same_for_both_tools(tmp_path: Path) -> None:
    pairs = [("app.a", "app.b"), ("app.b", "app.c")]
    (tmp_path / "pyproject.toml").write_text(configs.forbidden_rules_toml("app", pairs))
    (tmp_path / ".importlinter").write_text(configs.forbidden_rules_ini("app", pairs))

    ours = load_config(tmp_path / "pyproject.toml").config.rules
    theirs = load_config(tmp_path / ".importlinter").config.rules

    assert [dataclasses.asdict(r) for r in ours] == [dataclasses.asdict(r) for r in theirs]
    forbidden = [r for r in ours if isinstance(r, ForbiddenRule)]
    assert len(forbidden) == len(ours)
    assert [(r.source_modules, r.forbidden_modules) for r in forbidden] == [
        (("app.a",), ("app.b",)),
        (("app.b",), ("app.c",)),
    ]


def test_a_goal_is_met_only_within_its_limit() -> None:
    assert report.met(1.05, 1.05) == "yes"
    assert report.met(1.06, 1.05) == "NO"
    assert report.met(10.0, 10.0, strict=True) == "NO"
    assert report.met(None, 1.05) == "n/a"


def test_a_row_that_could_not_be_measured_says_why() -> None:
    entry = {
        "codebase": "django",
        "runs": {
            "grimp": {"cpu": 0.2, "failure": None},
            "fitness": {"cpu": None, "failure": "`fitness check ...` exited with 2: bad key"},
        },
        "verdicts": {"fitness": "-"},
    }
    goals = report.Goals()

    lines = report.floor_part([entry], goals)

    assert "| django   | 0.200             | n/a" in lines[1]
    assert lines[-1] == "  n/a (django, fitness): `fitness check ...` exited with 2: bad key"
    assert goals.rows == [["floor on django <= 1.05x grimp's bare build", "n/a", "n/a"]]


def test_the_checkout_before_gets_rows_of_its_own() -> None:
    entry = {
        "codebase": "django",
        "runs": {"tach": {"cpu": 0.5}, "fitness": {"cpu": 2.0}, "fitness before": {"cpu": 4.0}},
        "exit codes": {"tach": 1, "fitness": 1, "fitness before": 2},
    }

    now, before = report.with_before([entry])

    assert now is entry
    assert before["codebase"] == "django (before)"
    assert before["runs"] == {"tach": {"cpu": 0.5}, "fitness": {"cpu": 4.0}}
    assert before["exit codes"]["fitness"] == 2


def test_the_output_goes_between_the_markers_of_the_docs(tmp_path: Path) -> None:
    page = tmp_path / "speed.md"
    page.write_text(f"# Speed\n\n{run.BEGIN}\n```text\nold\n```\n{run.END}\n\nAfter.\n")

    assert run.into_docs(page, "new output") == 0
    assert page.read_text() == (
        f"# Speed\n\n{run.BEGIN}\n```text\nnew output\n```\n{run.END}\n\nAfter.\n"
    )

    page.write_text("# Speed, without markers\n")
    assert run.into_docs(page, "new output") == 2
    assert page.read_text() == "# Speed, without markers\n"
