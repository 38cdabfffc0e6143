"""``fitness check --new-since REV`` on git repositories built here: what existed at REV
passes, what a change adds fails, in every format; REV is read as data and measured with
today's configuration; its results are cached by tree."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from fitness.cli import main
from tests.helpers import write_files

ENV = {
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_AUTHOR_NAME": "A",
    "GIT_AUTHOR_EMAIL": "a@example.com",
    "GIT_COMMITTER_NAME": "A",
    "GIT_COMMITTER_EMAIL": "a@example.com",
    "GIT_AUTHOR_DATE": "2026-01-01T12:00:00Z",
    "GIT_COMMITTER_DATE": "2026-01-01T12:00:00Z",
}

CONFIG = """
[tool.fitness]
root_packages = ["app"]

[[tool.fitness.rules]]
name = "Domain is pure"
type = "forbidden"
source_modules = ["app.domain"]
forbidden_modules = ["app.db"]
"""

#: At ``main``: the domain reaches the database through a service (one known violation).
AT_MAIN = {
    "pyproject.toml": CONFIG,
    ".gitignore": ".fitness_cache/\n",
    "app/__init__.py": "",
    "app/domain/__init__.py": "",
    "app/domain/model.py": "import app.services.a\n",
    "app/domain/rates.py": "RATE = 1\n",
    "app/services/__init__.py": "",
    "app/services/a.py": "import app.db.session\n",
    "app/services/b.py": "",
    "app/db/__init__.py": "",
    "app/db/session.py": "",
}


def git(repo: Path, *arguments: str) -> str:
    done = subprocess.run(
        ["git", *arguments],
        cwd=repo,
        env={**os.environ, **ENV},
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def commit(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``main`` with the known violation, and a branch ``change`` checked out on it."""
    repo = write_files(tmp_path / "project", AT_MAIN)
    git(repo, "init", "-q", "-b", "main")
    commit(repo, "the project")
    git(repo, "checkout", "-q", "-b", "change")
    monkeypatch.chdir(repo)
    return repo


def check(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["check", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# The verdict -------------------------------------------------------------------------------


def test_a_violation_that_existed_at_the_base_passes_even_when_its_lines_moved(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_files(repo, {"app/domain/model.py": "# moved down\n\n\nimport app.services.a\n"})

    code, out, err = check(capsys, "--new-since", "main")

    assert (code, err) == (0, "")
    assert out == (
        "KEPT   Domain is pure (1 violation existed at main)\n"
        "\n"
        "1 kept, 0 broken (0 new violations since main; 1 existed there)\n"
    )
    assert check(capsys)[0] == 1  # without --new-since it is a violation


def test_a_new_import_between_the_same_packages_fails_alone(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_files(repo, {"app/domain/rates.py": "import app.db.session\n"})

    code, out, _ = check(capsys, "--new-since", "main")

    assert code == 1
    assert "app.domain.rates -> app.db.session" in out
    assert "app.domain.model" not in out
    assert out.splitlines()[0] == "BROKEN Domain is pure (1 chain existed at main)"
    assert out.splitlines()[-1] == (
        "0 kept, 1 broken (1 new violation since main; 1 chain of them existed there)"
    )


def test_a_rerouted_chain_between_the_same_ends_passes(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_files(
        repo,
        {
            "app/domain/model.py": "import app.services.b\n",
            "app/services/a.py": "",
            "app/services/b.py": "import app.db.session\n",
        },
    )

    assert check(capsys, "--new-since", "main")[0] == 0


def test_a_direct_import_where_an_indirect_chain_existed_is_new(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_files(repo, {"app/domain/model.py": "import app.db.session\n"})

    code, out, _ = check(capsys, "--new-since", "main")

    assert code == 1
    assert "app.domain.model -> app.db.session" in out


def test_committed_changes_count_as_well_as_the_working_tree(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_files(repo, {"app/domain/rates.py": "import app.db.session\n"})
    commit(repo, "a new violation")

    assert check(capsys, "--new-since", "main")[0] == 1
    assert check(capsys, "--new-since", "HEAD")[0] == 0


def test_a_baseline_still_applies(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_files(repo, {"app/domain/rates.py": "import app.db.session\n"})
    assert main(["baseline"]) == 0
    capsys.readouterr()

    code, out, _ = check(capsys, "--new-since", "main")

    assert code == 0
    assert out.splitlines()[0] == ("KEPT   Domain is pure (1 known violation in the baseline)")


# The revision, as data, with today's configuration ----------------------------------------------


def test_the_revision_is_measured_with_todays_rules_and_never_runs_its_plugins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    marker = tmp_path / "imported"
    old_config = (
        '[tool.fitness]\nroot_packages = ["app"]\nplugins = ["arch_rules"]\n'
        '[[tool.fitness.rules]]\nname = "Old rule"\ntype = "no_such_type"\n'
    )
    repo = write_files(
        tmp_path / "project",
        {
            **AT_MAIN,
            "pyproject.toml": old_config,
            "arch_rules.py": f"open({str(marker)!r}, 'w').close()  # fitness\n",
        },
    )
    git(repo, "init", "-q", "-b", "main")
    commit(repo, "an older configuration, with a plugin of its own")
    write_files(repo, {"pyproject.toml": CONFIG})
    (repo / "arch_rules.py").unlink()
    monkeypatch.chdir(repo)

    code, out, _ = check(capsys, "--new-since", "main")

    assert code == 0
    assert out.splitlines()[0] == "KEPT   Domain is pure (1 violation existed at main)"
    assert not marker.exists()


def test_a_revision_before_the_package_existed_knows_nothing_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = write_files(tmp_path / "project", {"README.md": "soon\n"})
    git(repo, "init", "-q", "-b", "main")
    commit(repo, "nothing yet")
    write_files(repo, AT_MAIN)
    monkeypatch.chdir(repo)

    code, out, _ = check(capsys, "--new-since", "main")

    assert code == 1
    assert "1 new violation since main; nothing is known there" in out
    note = " ".join(out.split("\n\n")[-2].split())
    assert note.startswith("note: main (")
    assert "could not be measured: pyproject.toml:2: root package 'app' not found" in note
    assert note.endswith("every violation is new")


def test_an_unknown_revision_says_what_was_meant(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = check(capsys, "--new-since", "mian")

    assert (code, out) == (2, "")
    assert err == (
        "fitness: error: --new-since 'mian': no such revision (a tag, a branch or a commit); "
        "did you mean 'main'?\n"
    )


def test_a_shallow_clone_without_the_revision_says_how_to_fetch_it(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write_files(repo, {"app/domain/rates.py": "import app.db.session\n"})
    commit(repo, "a change")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", "--branch", "change", f"file://{repo}", str(clone))
    monkeypatch.chdir(clone)

    code, _, err = check(capsys, "--new-since", "HEAD~1")

    assert code == 2
    assert err.startswith("fitness: error: --new-since 'HEAD~1': no such revision")
    assert "this repository is a shallow clone" in err
    assert "actions/checkout with `fetch-depth: 0`" in err


def test_a_project_outside_git_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write_files(tmp_path / "project", AT_MAIN)
    monkeypatch.chdir(tmp_path / "project")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))

    code, _, err = check(capsys, "--new-since", "main")

    assert code == 2
    assert "is not in a git repository (--new-since compares with a commit of one)" in err


# Every format marks only the new violations ------------------------------------------------------


@pytest.fixture
def changed(repo: Path) -> Path:
    """The known violation, and a new one."""
    write_files(repo, {"app/domain/rates.py": "import app.db.session\n"})
    return repo


def test_json_counts_what_is_new_and_what_existed(
    changed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = check(capsys, "--new-since", "main", "--format", "json")

    data = json.loads(out)
    commit_sha = git(changed, "rev-parse", "main")
    assert code == 1
    assert data["summary"]["violations"] == 1
    assert data["summary"]["new_since"] == {
        "revision": "main",
        "commit": commit_sha,
        "new": 1,
        "existed": 0,
        "existed_chains": 1,
        "problem": "",
    }
    [rule] = data["rules"]
    assert [c["modules"] for v in rule["violations"] for c in v["chains"]] == [
        ["app.domain.rates", "app.db.session"]
    ]
    assert rule["details"]["new_since"]["existed_chains"] == 1


def test_sarif_reports_the_new_violations_only_as_new(
    changed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, out, _ = check(capsys, "--new-since", "main", "--format", "sarif")

    [run] = json.loads(out)["runs"]
    assert [r["baselineState"] for r in run["results"]] == ["new"]
    assert run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == (
        "app/domain/rates.py"
    )
    assert run["properties"]["newSince"]["existedChains"] == 1


def test_github_annotates_the_new_violations_only(
    changed: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)

    _, out, _ = check(capsys, "--new-since", "main", "--format", "github")

    errors = [line for line in out.splitlines() if line.startswith("::error")]
    assert len(errors) == 1
    assert errors[0].startswith(
        "::error file=app/domain/rates.py,line=1,title=fitness%3A Domain is pure (new since main)::"
    )
    assert out.splitlines()[-1] == (
        "::notice title=pytest-fitness::0 kept, 1 broken (1 new violation since main; 1 chain "
        "of them existed there)"
    )


def test_markdown_has_a_column_for_what_existed(
    changed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, out, _ = check(capsys, "--new-since", "main", "--format", "markdown")

    assert "| | rule | new violations | in baseline | fixed | existed at `main` |" in out
    assert "| ❌ | Domain is pure | 1 | 0 | 0 | 0 |" in out
    assert "Only violations new since `main` (`" in out
    assert "app.domain.model" not in out


def test_the_html_report_counts_the_new_violations_only(
    changed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", "--new-since", "main", "-o", "report.html"]) == 1

    page = (changed / "report.html").read_text(encoding="utf-8")
    assert "1 new violation since main; 1 chain of them existed there" in page
    assert "existed at main</th>" in page


# The cache ----------------------------------------------------------------------------------------


def test_a_warm_run_reads_the_revision_from_the_cache(
    changed: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert check(capsys, "--new-since", "main")[0] == 1
    from fitness.adapters import revision

    def no_measuring(*args: object) -> None:
        raise AssertionError("the revision was measured again")

    monkeypatch.setattr(revision.TodayAtRevision, "project_at", no_measuring)

    code, out, err = check(capsys, "--new-since", "main")

    assert (code, err) == (1, "")
    assert out.splitlines()[0] == "BROKEN Domain is pure (1 chain existed at main)"
    # The same tree at another commit is the same entry.
    git(changed, "commit", "-q", "--allow-empty", "-m", "nothing")
    git(changed, "branch", "-f", "main", "HEAD")
    git(changed, "reset", "-q", "--hard", "HEAD~1")
    write_files(changed, {"app/domain/rates.py": "import app.db.session\n"})
    assert check(capsys, "--new-since", "main")[0] == 1


def test_a_forged_cache_entry_changes_no_verdict(
    changed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert check(capsys, "--new-since", "main")[0] == 1
    [entry] = (changed / ".fitness_cache" / "new-since").iterdir()
    forged = {
        "format": 1,
        "tree": entry.name.split("-")[0],
        "problem": "",
        "errors": [],
        "known": {
            "version": 2,
            "rules": {
                "Domain is pure": {
                    "violations": [
                        {
                            "importer": "app.domain",
                            "imported": "app.db",
                            "chains": [
                                {
                                    "first": "app.domain.rates",
                                    "last": "app.db.session",
                                    "direct": True,
                                }
                            ],
                        }
                    ]
                }
            },
        },
    }
    entry.write_text(json.dumps(forged), encoding="utf-8")

    code, _, err = check(capsys, "--new-since", "main")

    assert code == 1
    assert "were ignored and rebuilt" in err
