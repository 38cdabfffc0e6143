"""The GitHub Action (``action.yml``, ``scripts/github_action.py``), run here as the runner
would run it: a fake ``GITHUB_*`` environment, a pull request's checkout of a repository
whose base branch has a known violation."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.test_new_since import AT_MAIN, commit, git
from tests.helpers import REPO, write_files

SCRIPT = REPO / "scripts" / "github_action.py"


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A pull request's checkout: ``origin/main`` has the known violation, the branch adds one."""
    upstream = write_files(tmp_path / "upstream", AT_MAIN)
    git(upstream, "init", "-q", "-b", "main")
    commit(upstream, "the project")
    git(upstream, "checkout", "-q", "-b", "feature")
    write_files(upstream, {"app/domain/rates.py": "import app.db.session\n"})
    commit(upstream, "a new violation")
    git(upstream, "checkout", "-q", "main")
    clone = tmp_path / "checkout"
    git(tmp_path, "clone", "-q", "--branch", "feature", str(upstream), str(clone))
    return clone


def run_action(
    checkout: Path, tmp_path: Path, github: dict[str, str] | None = None, **inputs: str
) -> tuple[int, str, str]:
    """Run the script as the action does: ``github`` sets (or, with ``""``, unsets)
    ``GITHUB_*`` variables; ``inputs`` are the action's inputs."""
    summary = tmp_path / "summary.md"
    env = {
        **os.environ,
        "GITHUB_ACTIONS": "true",
        "GITHUB_ACTION_PATH": str(REPO),
        "GITHUB_STEP_SUMMARY": str(summary),
        "RUNNER_TEMP": str(tmp_path / "runner-temp"),
        "INPUT_INSTALL": "false",  # this environment has pytest-fitness already
        "INPUT_PYTHON": sys.executable,
        "GITHUB_BASE_REF": "main",
        **{f"INPUT_{name.upper()}": value for name, value in inputs.items()},
        **(github or {}),
    }
    env = {name: value for name, value in env.items() if value != "" or name.startswith("INPUT_")}
    done = subprocess.run(
        [sys.executable, str(SCRIPT)], cwd=checkout, env=env, capture_output=True, text=True
    )
    text = summary.read_text(encoding="utf-8") if summary.exists() else ""
    return done.returncode, done.stdout, text


def test_a_pull_request_fails_on_the_violations_it_adds_only(
    checkout: Path, tmp_path: Path
) -> None:
    code, out, summary = run_action(checkout, tmp_path)

    assert code == 1
    errors = [line for line in out.splitlines() if line.startswith("::error")]
    assert len(errors) == 1
    assert errors[0].startswith(
        "::error file=app/domain/rates.py,line=1,title=fitness%3A Domain is pure (new since "
        "origin/main)::"
    )
    assert "pytest-fitness: fitness check --new-since origin/main" in out
    assert summary.startswith("## Architecture fitness")
    assert "1 new violation since origin/main" in summary


def test_a_checkout_without_the_base_branch_fetches_its_tip(checkout: Path, tmp_path: Path) -> None:
    git(checkout, "update-ref", "-d", "refs/remotes/origin/main")

    code, out, _ = run_action(checkout, tmp_path)

    assert "fetching the tip of main" in out
    assert code == 1


def test_inputs_name_the_base_the_configuration_and_extra_arguments(
    checkout: Path, tmp_path: Path
) -> None:
    code, out, _ = run_action(
        checkout,
        tmp_path,
        base="HEAD",
        config="pyproject.toml",
        args="--rule 'Domain *' --strict-baseline",
    )

    assert code == 0
    assert "::notice title=pytest-fitness::1 kept, 0 broken (0 new violations since HEAD" in out


def test_without_a_base_it_says_how_to_give_one(checkout: Path, tmp_path: Path) -> None:
    code, out, _ = run_action(checkout, tmp_path, {"GITHUB_BASE_REF": "", "GITHUB_EVENT_PATH": ""})

    assert code == 2
    assert out.startswith("::error title=pytest-fitness::no base to compare with")


def test_a_push_compares_with_the_commit_before_it(checkout: Path, tmp_path: Path) -> None:
    event = tmp_path / "event.json"
    before = git(checkout, "rev-parse", "HEAD~1")
    event.write_text(f'{{"before": "{before}"}}', encoding="utf-8")

    code, out, _ = run_action(
        checkout, tmp_path, {"GITHUB_BASE_REF": "", "GITHUB_EVENT_PATH": str(event)}
    )

    assert code == 1
    assert f"fitness check --new-since {before}" in out


def test_it_installs_pytest_fitness_from_its_own_checkout(checkout: Path, tmp_path: Path) -> None:
    """With ``install`` (the default) it makes a virtual environment and installs the action's
    directory into it with pip (a stand-in for python records the commands)."""
    log = tmp_path / "commands.log"
    fake = tmp_path / "fake-python"
    fake.write_text(
        "#!/bin/sh\n"
        f'echo "$0 $*" >> {log}\n'
        'if [ "$1 $2" = "-m venv" ]; then\n'
        '  mkdir -p "$4/bin" && ln -sf "$0" "$4/bin/python"; exit 0\n'
        "fi\n"
        'if [ "$1 $2" = "-m pip" ]; then exit 0; fi\n'
        f'exec {sys.executable} "$@"\n',
        encoding="utf-8",
    )
    fake.chmod(0o755)

    code, _, _ = run_action(checkout, tmp_path, install="true", python=str(fake))

    venv = tmp_path / "runner-temp" / "pytest-fitness-venv"
    commands = log.read_text(encoding="utf-8").splitlines()
    assert commands[0] == f"{fake} -m venv --system-site-packages {venv}"
    assert commands[1] == (
        f"{venv}/bin/python -m pip install --quiet --disable-pip-version-check {REPO}"
    )
    assert commands[2].startswith(f"{venv}/bin/python -m fitness check --new-since origin/main")
    assert code == 1


def test_the_action_runs_the_script_with_its_inputs() -> None:
    text = (REPO / "action.yml").read_text(encoding="utf-8")

    assert '"$PYTHON" "$GITHUB_ACTION_PATH/scripts/github_action.py"' in text
    for name in ("BASE", "CONFIG", "ARGS", "WORKING_DIRECTORY", "INSTALL", "PYTHON"):
        assert f"INPUT_{name}: ${{{{ inputs." in text
