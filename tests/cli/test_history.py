"""``fitness history`` on a real git repository: the shop example, committed with
changes that break a rule, the configuration and the code."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from fitness.application.history import Selection
from fitness.cli import main
from fitness.cli.history import ProgressBar, measure_history
from fitness.domain.history import Commit
from tests.helpers import append, copy_example

ENV = {
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_AUTHOR_NAME": "A",
    "GIT_AUTHOR_EMAIL": "a@example.com",
    "GIT_COMMITTER_NAME": "A",
    "GIT_COMMITTER_EMAIL": "a@example.com",
}


def git(repo: Path, *arguments: str, day: int = 1) -> str:
    date = f"2026-01-{day:02d}T12:00:00Z"
    env = {**os.environ, **ENV, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    done = subprocess.run(
        ["git", *arguments], cwd=repo, env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def commit(repo: Path, message: str, day: int) -> None:
    git(repo, "add", "-A", day=day)
    git(repo, "commit", "-q", "-m", message, day=day)


def build_history(root: Path) -> Path:
    """Eight commits, one a day from 2026-01-01 (the sixth a week after the first)."""
    repo = copy_example("shop", root)
    (repo / ".gitignore").write_text(".fitness_cache/\n", encoding="utf-8")
    git(repo, "init", "-q", "-b", "main")
    commit(repo, "the shop", 1)
    model = repo / "shop" / "domain" / "model.py"
    clean_model = model.read_text(encoding="utf-8")
    append(model, "import shop.adapters\n")
    commit(repo, "the domain imports an adapter", 2)
    config = repo / "pyproject.toml"
    clean_config = config.read_text(encoding="utf-8")
    append(config, "[[tool.fitness.rules]\n")
    commit(repo, "a typo in the configuration", 3)
    config.write_text(clean_config, encoding="utf-8")
    commit(repo, "the configuration fixed", 4)
    money = repo / "shop" / "domain" / "money.py"
    clean_money = money.read_text(encoding="utf-8")
    append(money, "def (\n")
    commit(repo, "a syntax error", 5)
    money.write_text(clean_money, encoding="utf-8")
    model.write_text(clean_model, encoding="utf-8")
    commit(repo, "the domain is clean again", 8)
    config.unlink()
    commit(repo, "no configuration", 9)
    config.write_text(clean_config, encoding="utf-8")
    commit(repo, "the configuration is back", 10)
    return repo


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_history(tmp_path_factory.mktemp("history"))


@pytest.fixture
def repo(built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the built repository (its own cache, index and working tree)."""
    repo = tmp_path / "shop"
    shutil.copytree(built, repo, symlinks=True)
    monkeypatch.chdir(repo)
    return repo


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["history", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def shas(repo: Path) -> list[str]:
    return git(repo, "log", "--format=%H", "--reverse").split()


def test_csv_has_a_row_per_commit_oldest_first_then_rules_then_metrics(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "--format", "csv", "--config-from", "committed")
    assert (code, err) == (0, "")  # not a terminal: no progress bar
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == [
        "commit",
        "date",
        "Layered architecture",
        "No infrastructure in the core",
        "Adapters are independent",
        "Ports and adapters",
        "Repositories live in the adapters",
        "Entities are free of the ORM",
        "The domain does no I/O",
        "Only the composition root creates adapters",
        "modules",
        "propagation_cost",
        "nccd",
        "largest_cycle_group",
        "modularity",
        "coverage",
        "status",
    ]
    assert [row[0] for row in rows[1:]] == shas(repo)
    assert [row[1] for row in rows[1:]] == [
        f"2026-01-{day:02d}T12:00:00Z" for day in (1, 2, 3, 4, 5, 8, 9, 10)
    ]
    assert [row[2] for row in rows[1:]] == ["0", "1", "", "1", "", "0", "", "0"]
    assert [row[10] for row in rows[1:]] == ["17", "17", "", "17", "", "17", "", "17"]
    assert [row[15] for row in rows[1:]] == ["1.0", "1.0", "", "1.0", "", "1.0", "", "1.0"]
    statuses = [row[-1] for row in rows[1:]]
    # (tomllib's own words vary between Python versions)
    assert statuses[2].startswith("invalid configuration: pyproject.toml:77: invalid TOML: ")
    assert statuses[:2] + statuses[3:] == [
        "ok",
        "ok",
        "ok",
        "graph error: pyproject.toml: cannot parse shop/domain/money.py, line 20: def (",
        "ok",
        "no configuration: no configuration file in this commit",
        "ok",
    ]


def test_a_second_run_measures_only_the_new_commits(repo: Path) -> None:
    config = repo / "pyproject.toml"
    first = measure_history(config, Selection(), depth=2)
    append(repo / "shop" / "domain" / "money.py", "# one more line\n")
    commit(repo, "one more", 11)
    second = measure_history(config, Selection(), depth=2)
    third = measure_history(config, Selection(), depth=2)
    assert (first.computed, first.cached) == (8, 0)
    assert (second.computed, second.cached) == (1, 8)
    assert (third.computed, third.cached) == (0, 9)
    assert second.rows[:8] == first.rows
    assert third.rows == second.rows


def test_rows_cached_in_an_older_row_format_are_measured_again(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # (rows of format 5 have no coverage: a row read from them would show none)
    from fitness.adapters import history_cache

    config = repo / "pyproject.toml"
    monkeypatch.setattr(history_cache, "ROW_FORMAT", 5)
    measure_history(config, Selection(last=2), depth=2)
    monkeypatch.undo()
    again = measure_history(config, Selection(last=2), depth=2)
    assert (again.computed, again.cached) == (2, 0)
    assert all(row.coverage is not None for row in again.rows)


def test_without_the_cache_every_commit_is_measured(repo: Path) -> None:
    config = repo / "pyproject.toml"
    measure_history(config, Selection(), depth=2)
    again = measure_history(config, Selection(), depth=2, use_cache=False)
    assert (again.computed, again.cached) == (8, 0)


def test_another_depth_is_cached_apart(repo: Path) -> None:
    config = repo / "pyproject.toml"
    measure_history(config, Selection(last=2), depth=2)
    deeper = measure_history(config, Selection(last=2), depth=3)
    assert deeper.computed == 2
    assert "shop.domain.model" in {p.package for p in deeper.rows[-1].packages}


def test_the_working_tree_and_the_index_are_left_alone(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    append(repo / "shop" / "main.py", "# not committed\n")
    status = git(repo, "status", "--porcelain")  # (refreshes the index first)
    index = (repo / ".git" / "index").read_bytes()
    assert run(capsys, "--format", "csv")[0] == 0
    assert git(repo, "status", "--porcelain") == status == "M shop/main.py"
    assert (repo / ".git" / "index").read_bytes() == index
    assert git(repo, "stash", "list") == ""
    assert git(repo, "worktree", "list", "--porcelain").count("worktree ") == 1


def test_since_a_tag_starts_at_the_tag(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    git(repo, "tag", "v1.0", shas(repo)[3])
    code, out, _ = run(capsys, "--since", "v1.0", "--format", "csv")
    assert code == 0
    assert [row[0] for row in csv.reader(io.StringIO(out))][1:] == shas(repo)[3:]


def test_since_a_date_and_until_a_revision(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--since", "2026-01-04", "--until", "HEAD~2", "--format", "csv")
    assert code == 0
    assert [row[0] for row in csv.reader(io.StringIO(out))][1:] == shas(repo)[3:6]


def test_every_week_keeps_one_commit_a_week_and_the_newest(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "--every", "1w", "--format", "csv")
    assert code == 0
    commits = shas(repo)
    assert [row[0] for row in csv.reader(io.StringIO(out))][1:] == [commits[0], commits[-1]]


def test_last_takes_the_newest(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--last", "3", "--format", "csv")
    assert code == 0
    assert [row[0] for row in csv.reader(io.StringIO(out))][1:] == shas(repo)[-3:]


def test_the_text_table_names_the_rules_and_the_commit_of_each_new_violation(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "--last", "2", "--config-from", "committed")
    commits = [sha[:10] for sha in shas(repo)]
    assert code == 0
    assert out.splitlines() == [
        "commit      date        R1  R2  R3  R4  R5  R6  R7  R8  prop.cost  NCCD  cycle     Q"
        "  coverage",
        f"{commits[6]}  2026-01-09{' ' * 74}no configuration: no configuration file in this commit",
        f"{commits[7]}  2026-01-10   0   0   0   0   0   0   0   0        0.1  0.78      0  0.04"
        "    100.0%",
        "",
        "Rules (violations per commit; - could not be checked):",
        "  R1  Layered architecture",
        "  R2  No infrastructure in the core",
        "  R3  Adapters are independent",
        "  R4  Ports and adapters",
        "  R5  Repositories live in the adapters",
        "  R6  Entities are free of the ORM",
        "  R7  The domain does no I/O",
        "  R8  Only the composition root creates adapters",
        "",
        "coverage: the share of the modules a rule governs (see fitness coverage)",
    ]
    code, out, _ = run(capsys)
    assert out.splitlines()[-3:] == [
        "New violations:",
        f"  {commits[1]} 2026-01-02  Layered architecture: shop.domain -> shop.adapters "
        f"(fixed in {commits[5]})",
        f"  {commits[1]} 2026-01-02  Ports and adapters: shop.domain.model -> shop.adapters "
        f"(fixed in {commits[5]})",
    ]


def test_html_charts_the_series_and_names_the_commit_that_introduced_a_violation(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, _ = run(capsys, "--format", "html", "-o", "history.html")
    page = (repo / "history.html").read_text(encoding="utf-8")
    introducing = shas(repo)[1]
    assert code == 0
    # rules, four system charts, coverage; two per package
    assert page.count("<svg") == 5 + 1 + 2 * 5
    assert (
        f'<tr><td><code title="{introducing}">{introducing[:10]}</code> '
        '<span class="muted">2026-01-02</span> the domain imports an adapter</td>'
        "<td>Layered architecture</td><td><code>shop.domain -&gt; shop.adapters</code></td>"
        f'<td><span class="fixed">fixed in <code>{shas(repo)[3][:10]}</code></span></td></tr>'
        not in page  # the configuration was broken in between: not a fix
    )
    assert f'<span class="fixed">fixed in <code>{shas(repo)[5][:10]}</code></span>' in page
    assert f'<code title="{introducing}">{introducing[:10]}</code>' in page
    assert "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in page


def test_each_commit_shows_the_share_of_the_modules_its_rules_govern(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A package no rule names: 3 of 19 modules are governed by no rule (shop.reporting,
    # its module, and shop, which holds it), at the commit that adds it only. (Today's
    # rules measure every commit: the class rule over all of shop keeps to its parts.)
    config = repo / "pyproject.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            'modules = ["shop"]\nthat_implement',
            'modules = ["shop.domain", "shop.application", "shop.adapters"]\nthat_implement',
        ),
        encoding="utf-8",
    )
    (repo / "shop" / "reporting").mkdir()
    (repo / "shop" / "reporting" / "__init__.py").write_text("", encoding="utf-8")
    (repo / "shop" / "reporting" / "daily.py").write_text("import shop.domain\n", "utf-8")
    commit(repo, "a package no rule governs", 11)
    before, after = [sha[:10] for sha in shas(repo)[-2:]]

    code, out, _ = run(capsys, "--last", "2", "--format", "csv")
    assert code == 0
    assert [(row[0][:10], row[-2]) for row in csv.reader(io.StringIO(out))][1:] == [
        (before, "1.0"),
        (after, "0.842105"),
    ]
    code, out, _ = run(capsys, "--last", "2", "--format", "json")
    assert [row["coverage"] for row in json.loads(out)["rows"]] == [
        {"modules": 17, "governed": 17, "share": 1.0},
        {"modules": 19, "governed": 16, "share": 0.842105},
    ]
    code, out, _ = run(capsys, "--last", "2")
    assert [line.split()[-1] for line in out.splitlines()[1:3]] == ["100.0%", "84.2%"]
    assert run(capsys, "--last", "2", "--format", "html", "-o", "history.html")[0] == 0
    page = (repo / "history.html").read_text(encoding="utf-8")
    assert "<figcaption>Architecture coverage (modules governed by a rule)</figcaption>" in page
    assert f"coverage: 84.2% at {after} (2026-01-11) a package no rule governs" in page
    assert '<p class="muted">now 16 of 19 modules (84.2%)</p>' in page


def test_coverage_is_measured_with_the_rules_each_row_is_checked_with(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Today's configuration (not committed) has one rule, over the adapters only: each
    # commit's own governs every module; the commit without one is measured with today's
    # rules only.
    (repo / "pyproject.toml").write_text(
        '[tool.fitness]\nroot_packages = ["shop"]\n\n[[tool.fitness.rules]]\n'
        'name = "Adapters are independent"\ntype = "independence"\n'
        'modules = ["shop.adapters.*"]\n',
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "--last", "3", "--format", "json")
    assert code == 0
    assert [row["coverage"] for row in json.loads(out)["rows"]] == [
        {"modules": 17, "governed": 8, "share": 0.470588}
    ] * 3
    code, out, _ = run(capsys, "--last", "3", "--format", "json", "--config-from", "committed")
    assert code == 0
    assert [row["coverage"] for row in json.loads(out)["rows"]] == [
        {"modules": 17, "governed": 17, "share": 1.0},
        None,
        {"modules": 17, "governed": 17, "share": 1.0},
    ]


def test_the_same_history_gives_the_same_bytes_cold_and_warm(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outputs = []
    for _ in range(2):  # cold, then warm
        for form in ("csv", "html", "json"):
            assert run(capsys, "--format", form, "-o", f"out.{form}")[0] == 0
            outputs.append((repo / f"out.{form}").read_bytes())
    assert outputs[:3] == outputs[3:]


@pytest.mark.slow
def test_the_same_history_gives_the_same_bytes_with_any_hash_seed(repo: Path) -> None:
    pages = []
    for seed in ("1", "2"):
        subprocess.run(
            [
                sys.executable,
                "-m",
                "fitness",
                "history",
                "--no-cache",
                "--format=html",
                f"--output=seed{seed}.html",
            ],
            cwd=repo,
            env={**os.environ, "PYTHONHASHSEED": seed},
            check=True,
        )
        pages.append((repo / f"seed{seed}.html").read_bytes())
    assert pages[0] == pages[1]
    assert main(["history", "--format", "html", "-o", "here.html"]) == 0
    assert (repo / "here.html").read_bytes() == pages[0]


def test_the_report_has_a_trend_section_with_history(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["report", "-o", "report.html", "--history", "4"])
    page = (repo / "report.html").read_text(encoding="utf-8")
    assert code == 0
    assert '<a href="#trend">Trend</a>' in page
    assert '<section id="trend">' in page
    assert "4 commits, " in page
    assert main(["report", "-o", "plain.html"]) == 0
    assert 'id="trend"' not in (repo / "plain.html").read_text(encoding="utf-8")


# Bad input ------------------------------------------------------------------------------------


def test_outside_a_git_repository_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project = copy_example("shop", tmp_path)
    monkeypatch.chdir(project)
    code, out, err = run(capsys)
    assert (code, out) == (2, "")
    assert err == (
        f"fitness: error: {project.resolve()} is not in a git repository (fitness history "
        "reads the commits of one)\n"
    )


def test_a_shallow_clone_says_how_to_fetch_the_history(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo}", str(clone))
    monkeypatch.chdir(clone)
    code, out, err = run(capsys)
    assert (code, out) == (2, "")
    assert err == (
        "fitness: error: this repository is a shallow clone (CI checkouts fetch one commit "
        f"by default): its history stops at commit {shas(repo)[-1][:10]}, before the "
        "commits asked for; fetch the whole history with `git fetch --unshallow` (GitHub "
        "Actions: actions/checkout with `fetch-depth: 0`)\n"
    )
    assert run(capsys, "--last", "1", "--format", "csv")[0] == 0  # what is there is enough


def test_a_range_that_selects_no_commit_is_an_error(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "--since", "2030-01-01")
    assert (code, out, err) == (2, "", "fitness: error: --since 2030-01-01 selects no commit\n")


def test_an_unknown_revision_is_an_error_with_a_suggestion(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    git(repo, "tag", "v1.0")
    code, _, err = run(capsys, "--since", "v1.O")
    assert code == 2
    assert err == (
        "fitness: error: --since 'v1.O': neither a revision (a tag, a branch or a commit) "
        "nor a date (YYYY-MM-DD); did you mean 'v1.0'?\n"
    )
    code, _, err = run(capsys, "--until", "mian")
    assert (code, err) == (
        2,
        "fitness: error: --until 'mian': no such revision (a tag, a branch or a commit); "
        "did you mean 'main'?\n",
    )


def test_an_interval_needs_a_unit(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        main(["history", "--every", "3x"])
    assert raised.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        "fitness history: error: argument --every: not an interval: '3x' (a number and a "
        "unit: 12h, 1d, 2w)"
    )


def test_an_interval_is_echoed_escaped(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["history", "--every", "\x1b[31m3x"])
    assert capsys.readouterr().err.splitlines()[-1] == (
        "fitness history: error: argument --every: not an interval: '\\x1b[31m3x' (a number "
        "and a unit: 12h, 1d, 2w)"
    )


def test_the_progress_bar_is_drawn_on_a_terminal_only() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal, pipe = Terminal(), io.StringIO()
    item = Commit("a" * 40, 0, "2026-01-01T00:00:00Z")
    for stream in (terminal, pipe):
        bar = ProgressBar(stream)
        bar(1, 4, item)
        bar.done()
    line = f"fitness: [######                  ] 1/4 {'a' * 10}"
    assert terminal.getvalue() == f"\r{line}\r{' ' * len(line)}\r"
    assert pipe.getvalue() == ""


def test_a_repository_without_commits_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project = copy_example("shop", tmp_path)
    git(project, "init", "-q", "-b", "main")
    monkeypatch.chdir(project)
    assert run(capsys) == (2, "", "fitness: error: the repository has no commits yet\n")


def test_without_git_on_the_path_it_says_so(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PATH", str(repo / "nowhere"))
    assert run(capsys) == (2, "", "fitness: error: git is not installed (or not on PATH)\n")


def test_a_project_in_a_subdirectory_reads_only_its_own_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    top = tmp_path / "monorepo"
    project = copy_example("shop", top / "services")
    (top / "other.py").write_text("def (\n", encoding="utf-8")  # not the project's
    git(top, "init", "-q", "-b", "main")
    commit(top, "first", 1)
    append(project / "shop" / "domain" / "model.py", "import shop.adapters\n")
    commit(top, "second", 2)
    monkeypatch.chdir(project)
    code, out, _ = run(capsys, "--format", "csv")
    rows = list(csv.reader(io.StringIO(out)))
    assert code == 0
    assert [(row[2], row[-1]) for row in rows[1:]] == [("0", "ok"), ("1", "ok")]
    assert (project / ".fitness_cache" / "history").is_dir()


def test_json_has_every_row_and_each_violation_with_its_commits(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "--format", "json")
    data = json.loads(out)
    commits = shas(repo)
    assert code == 0
    assert [row["commit"] for row in data["rows"]] == commits
    assert data["rows"][1]["rules"][0] == {
        "name": "Layered architecture",
        "violations": 1,
        "keys": ["shop.domain -> shop.adapters"],
    }
    assert data["rows"][1]["packages"][1] == {
        "package": "shop.adapters",
        "instability": 0.5,
        "distance": 0.5,
    }
    assert data["introduced"] == [
        {
            "rule": "Layered architecture",
            "violation": "shop.domain -> shop.adapters",
            "commit": commits[1],
            "at_start": False,
            "fixed_in": commits[5],
        },
        {
            "rule": "Ports and adapters",
            "violation": "shop.domain.model -> shop.adapters",
            "commit": commits[1],
            "at_start": False,
            "fixed_in": commits[5],
        },
    ]


def test_the_cache_it_creates_is_hidden_from_git(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without a .gitignore of the project's own, the rows and class facts cached in
    .fitness_cache must not show up as files to commit (as `fitness check`'s do not)."""
    repo = copy_example("shop", tmp_path)
    git(repo, "init", "-q", "-b", "main")
    commit(repo, "the shop", 1)
    monkeypatch.chdir(repo)
    assert run(capsys, "--format", "csv")[0] == 0
    assert (repo / ".fitness_cache" / "history").is_dir()
    assert git(repo, "status", "--porcelain", "--untracked-files=all") == ""


def test_a_rule_naming_a_module_the_commit_does_not_have_yet_is_not_applicable(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Found on Django: a rule naming apps added later showed '-' at the commits before,
    and nothing said why. It is not applicable there: the module is not there yet."""
    config = repo / "pyproject.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            '    "shop.domain",        # the model: pure Python\n',
            '    "shop.domain",        # the model: pure Python\n    "shop.kernel",\n',
        ),
        encoding="utf-8",
    )
    commit(repo, "a layer that does not exist yet", 11)
    code, out, _ = run(capsys, "--last", "2")
    lines = out.splitlines()
    assert code == 0
    assert [line.split()[2] for line in lines[1:3]] == ["n/a", "n/a"]
    assert lines[4:6] == [
        "Rules (violations per commit; n/a not applicable: a module it names is not there yet; "
        "- could not be checked):",
        "  R1  Layered architecture (n/a: module 'shop.kernel' is not in this commit)",
    ]
    code, out, _ = run(capsys, "--last", "1", "--format", "json")
    [rule] = [r for r in json.loads(out)["rows"][0]["rules"] if r["violations"] is None]
    assert rule == {
        "name": "Layered architecture",
        "violations": None,
        "keys": [],
        "error": "layers: module 'shop.kernel' is not in the graph",
        "not_applicable": "module 'shop.kernel' is not in this commit",
        "missing_module": "shop.kernel",
    }
    code, out, _ = run(capsys, "--last", "1", "--format", "csv")
    assert list(csv.reader(io.StringIO(out)))[1][-1] == (
        "ok; not applicable: Layered architecture (module 'shop.kernel' is not in this commit)"
    )
    assert run(capsys, "--last", "1", "--format", "html", "-o", "h.html")[0] == 0
    page = (repo / "h.html").read_text(encoding="utf-8")
    assert "<h3>Rules not applicable</h3>" in page
    assert (
        'Layered architecture: <span class="problem">module &#x27;shop.kernel&#x27; is not' in page
    )
    assert "<h3>Rules not checked</h3>" not in page


def test_a_rule_that_cannot_be_checked_for_another_reason_says_why(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = repo / "pyproject.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            'type = "layers"', 'type = "layers"\ncontainers = ["json"]', 1
        ),
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "--last", "1")
    assert code == 0
    assert out.splitlines()[1].split()[2] == "-"
    assert (
        "  R1  Layered architecture (-: containers: module 'json' is not in the graph)"
        in out.splitlines()
    )


@pytest.mark.parametrize(
    ("since", "error"),
    [
        # git reads a year from 2100 as a day of this year: every commit was selected
        ("2100-01-01", "--since 2100-01-01 selects no commit"),
        ("2026-02-30", "--since '2026-02-30': not a date (day is out of range for month); "
         "write YYYY-MM-DD"),
        # git reads any text as now, or some day: never an error
        ("garbage", "--since 'garbage': neither a revision (a tag, a branch or a commit) nor a "
         "date (YYYY-MM-DD)"),
        ("foo ago", "--since 'foo ago': neither a revision (a tag, a branch or a commit) nor a "
         "date (YYYY-MM-DD)"),
        ("a\x1b[31m", "--since 'a\\x1b[31m': neither a revision (a tag, a branch or a commit) "
         "nor a date (YYYY-MM-DD)"),
    ],
)  # fmt: skip
def test_a_since_that_is_no_date_nor_revision_is_refused(
    repo: Path, capsys: pytest.CaptureFixture[str], since: str, error: str
) -> None:
    assert run(capsys, "--since", since) == (2, "", f"fitness: error: {error}\n")


def test_a_reflog_date_is_read_as_since_reads_a_date(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The reflog of main has an entry a day, as the commits (at noon UTC, days 1 to 10).
    code, out, _ = run(capsys, "--until", "main@{2026-01-04T13:00:00Z}", "--format", "csv")
    assert code == 0
    assert [row[0] for row in csv.reader(io.StringIO(out))][1:] == shas(repo)[:4]
    # git reads a year from 2100 as a day of this year (main as it was in January 2026,
    # its first commit); it is after the newest entry: main as it is
    code, out, _ = run(capsys, "--last", "1", "--until", "main@{2100-01-01}", "--format", "csv")
    assert code == 0
    assert [row[0] for row in csv.reader(io.StringIO(out))][1:] == shas(repo)[-1:]
    code, out, _ = run(capsys, "--since", "main@{2026-01-08}", "--format", "csv")
    assert code == 0
    assert [row[0] for row in csv.reader(io.StringIO(out))][1:] == shas(repo)[4:]
    code, out, _ = run(capsys, "--until", "main@{1}", "--format", "csv")  # (an entry's number)
    assert code == 0
    assert [row[0] for row in csv.reader(io.StringIO(out))][1:] == shas(repo)[:-1]


@pytest.mark.parametrize(
    ("option", "revision", "error"),
    [
        ("--until", "main@{garbage}", "--until 'main@{garbage}': cannot read the date "
         "'garbage'"),
        ("--until", "HEAD@{1.day}", "--until 'HEAD@{1.day}': cannot read the date '1.day'"),
        ("--until", "main@{2026-02-30}", "--until 'main@{2026-02-30}': '2026-02-30' is not a "
         "date (day is out of range for month)"),
        ("--since", "@{2026-1-4}", "--since '@{2026-1-4}': cannot read the date '2026-1-4'"),
        ("--since", "main@{a\x1b[31m}", "--since 'main@{a\\x1b[31m}': cannot read the date "
         "'a\\x1b[31m'"),
    ],
)  # fmt: skip
def test_a_reflog_date_fitness_cannot_read_is_refused(
    repo: Path, capsys: pytest.CaptureFixture[str], option: str, revision: str, error: str
) -> None:
    expected = (
        f"fitness: error: {error}; write the reflog's date as YYYY-MM-DD, "
        "YYYY-MM-DDTHH:MM[:SS] or 'N days ago'\n"
    )
    assert run(capsys, option, revision) == (2, "", expected)


def test_since_a_relative_date(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--since", "100 years ago", "--format", "csv")
    assert code == 0
    assert [row[0] for row in csv.reader(io.StringIO(out))][1:] == shas(repo)


def test_control_characters_from_the_commits_never_reach_the_terminal(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A rule's name, a module's name, an error quoting the configuration: text from the
    commits, printed as escapes in the text table and the CSV."""
    config = repo / "pyproject.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace('name = "Layered architecture"', 'name = "Layered\\u001b[31m\\u0007"'),
        encoding="utf-8",
    )
    commit(repo, "an escape in a rule's name\x1b[2J", 11)
    config.write_text(
        text.replace("[tool.fitness]\n", '[tool.fitness]\n"bad\\u001b[2Jkey" = 1\n'),
        encoding="utf-8",
    )
    commit(repo, "an escape in an error", 12)
    for form in ("text", "csv"):
        code, out, err = run(capsys, "--last", "2", "--format", form, "--config-from", "committed")
        assert (code, err) == (0, "")
        assert not any((ord(c) < 32 and c not in "\n") or 0x7F <= ord(c) < 0xA0 for c in out)
        assert "Layered\\x1b[31m\\x07" in out
        assert "bad\\x1b[2Jkey" in out


# Today's configuration -------------------------------------------------------------------


@pytest.fixture
def adopted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project that adopts fitness at its last commit: the configuration did not exist
    before. At the first commit the domain imports an adapter; the second fixes it."""
    repo = copy_example("shop", tmp_path)
    (repo / ".gitignore").write_text(".fitness_cache/\n", encoding="utf-8")
    config = repo / "pyproject.toml"
    kept = config.read_text(encoding="utf-8")
    config.unlink()
    model = repo / "shop" / "domain" / "model.py"
    clean_model = model.read_text(encoding="utf-8")
    append(model, "import shop.adapters\n")
    git(repo, "init", "-q", "-b", "main")
    commit(repo, "the shop, its domain importing an adapter", 1)
    model.write_text(clean_model, encoding="utf-8")
    commit(repo, "the domain is clean", 2)
    append(repo / "shop" / "domain" / "money.py", "# a comment\n")
    commit(repo, "a change", 3)
    config.write_text(kept, encoding="utf-8")
    commit(repo, "adopt pytest-fitness", 4)
    monkeypatch.chdir(repo)
    return repo


def test_every_commit_is_measured_with_todays_configuration_by_default(
    adopted: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "--format", "csv")
    rows = list(csv.reader(io.StringIO(out)))
    assert (code, err) == (0, "")
    assert [row[-1] for row in rows[1:]] == ["ok", "ok", "ok", "ok"]
    assert [row[2] for row in rows[1:]] == ["1", "0", "0", "0"]  # Layered architecture
    code, out, _ = run(capsys, "--format", "csv", "--config-from", "committed")
    assert [row[-1] for row in list(csv.reader(io.StringIO(out)))[1:]] == [
        *["no configuration: no configuration file in this commit"] * 3,
        "ok",
    ]


def test_the_text_lists_the_fix_of_a_violation_there_from_the_start(
    adopted: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys)
    commits = [sha[:10] for sha in shas(adopted)]
    assert code == 0
    assert "New violations:" not in out
    assert out.splitlines()[-3:] == [
        "Fixed violations that were there when their rule was first checked:",
        f"  {commits[1]} 2026-01-02  Layered architecture: shop.domain -> shop.adapters "
        f"(there at {commits[0]})",
        f"  {commits[1]} 2026-01-02  Ports and adapters: shop.domain.model -> shop.adapters "
        f"(there at {commits[0]})",
    ]
    assert run(capsys, "--format", "html", "-o", "h.html")[0] == 0
    page = (adopted / "h.html").read_text(encoding="utf-8")
    assert "<h3>Fixed violations that were there from the start</h3>" in page
    assert f"<td><code>shop.domain -&gt; shop.adapters</code></td><td><code>{commits[0]}" in page


def test_the_cache_is_keyed_by_todays_configuration(
    adopted: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = adopted / "pyproject.toml"
    first = measure_history(config, Selection(), depth=2)
    again = measure_history(config, Selection(), depth=2)
    text = config.read_text(encoding="utf-8")
    config.write_text(  # not committed: today's configuration is the working tree's
        text.replace('name = "Layered architecture"', 'name = "Layers"'), encoding="utf-8"
    )
    renamed = measure_history(config, Selection(), depth=2)
    committed = measure_history(config, Selection(), depth=2, committed=True)
    assert [(h.computed, h.cached) for h in (first, again, renamed, committed)] == [
        (4, 0),
        (0, 4),
        (4, 0),
        (4, 0),
    ]
    assert renamed.rows[0].rules[0].name == "Layers"
    assert committed.rows[-1].rules[0].name == "Layered architecture"


def test_todays_configuration_must_be_valid(
    adopted: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    append(adopted / "pyproject.toml", "[tool.fitness.oops]\n")
    code, out, err = run(capsys)
    assert (code, out) == (2, "")
    assert err.startswith("fitness: error: ")
    assert "pyproject.toml" in err and "oops" in err
    assert run(capsys, "--config-from", "committed", "--format", "csv")[0] == 0


def test_config_committed_says_which_option_it_is(
    adopted: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "--config", "committed")
    assert (code, out) == (2, "")
    assert err == (
        "fitness: error: committed: no such file (to say which configuration measures each "
        "commit: --config-from committed)\n"
    )
