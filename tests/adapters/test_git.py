"""The git adapter: the project at each commit, in a temporary tree that moves from
commit to commit and is removed at the end."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from fitness.adapters import codemodel
from fitness.adapters.git import GitRepository, SnapshotProject
from tests.cli.test_history import commit, git
from tests.helpers import write_project

CONFIG = """
[tool.fitness]
root_packages = ["app"]

[[tool.fitness.rules]]
name = "Layers"
type = "layers"
layers = ["app.api", "app.domain"]
"""


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    project = write_project(
        tmp_path / "project",
        CONFIG,
        {
            "app/__init__.py": "",
            "app/api.py": "",
            "app/domain/__init__.py": "",
            "app/domain/model.py": "import app.zzz\n",
            "app/zzz.py": "",
            "app/yyy.py": "",
            "README.md": "not read\n",
        },
    )
    git(project, "init", "-q", "-b", "main")
    commit(project, "first", 1)
    # The same size, another import: only a new modification time tells it changed.
    (project / "app" / "domain" / "model.py").write_text("import app.api\n", encoding="utf-8")
    (project / "app" / "zzz.py").unlink()
    commit(project, "second", 2)
    return project


def test_each_snapshot_is_the_project_at_its_commit_even_for_a_same_size_change(
    repo: Path,
) -> None:
    repository = GitRepository(repo / "pyproject.toml")
    commits = repository.commits(since=None, until="HEAD", limit=None)
    assert [c.subject for c in commits] == ["first", "second"]
    imports = []
    with repository.snapshots(commits) as projects:
        for project in projects:
            assert isinstance(project, SnapshotProject)
            graph = project.graph()
            imports.append(
                sorted(graph.grimp.find_modules_directly_imported_by("app.domain.model"))
            )
    assert imports == [["app.zzz"], ["app.api"]]


def test_a_snapshot_holds_only_what_an_analysis_reads_and_loses_deleted_files(
    repo: Path,
) -> None:
    repository = GitRepository(repo / "pyproject.toml")
    commits = repository.commits(since=None, until="HEAD", limit=None)
    trees = []
    with repository.snapshots(commits) as projects:
        for project in projects:
            assert project is not None
            assert isinstance(project, SnapshotProject)
            tree = Path(project.session().loaded_config().path).parent
            trees.append(sorted(p.relative_to(tree).as_posix() for p in tree.rglob("*")))
    assert trees[0] == [
        "app",
        "app/__init__.py",
        "app/api.py",
        "app/domain",
        "app/domain/__init__.py",
        "app/domain/model.py",
        "app/yyy.py",
        "app/zzz.py",
        "pyproject.toml",
    ]
    assert trees[1] == [t for t in trees[0] if t != "app/zzz.py"]


def test_the_temporary_tree_is_removed_whatever_ends_the_run(repo: Path) -> None:
    repository = GitRepository(repo / "pyproject.toml")
    commits = repository.commits(since=None, until="HEAD", limit=None)
    with pytest.raises(KeyboardInterrupt), repository.snapshots(commits) as projects:
        project = next(projects)
        assert project is not None
        assert isinstance(project, SnapshotProject)
        tree = Path(project.session().loaded_config().path).parent
        assert tree.is_dir()
        raise KeyboardInterrupt
    assert not tree.exists()
    assert not tree.parent.exists()


def test_an_error_names_the_file_as_the_repository_does(repo: Path) -> None:
    (repo / "app" / "api.py").write_text("def (\n", encoding="utf-8")
    commit(repo, "broken", 3)
    repository = GitRepository(repo / "pyproject.toml")
    [last] = repository.commits(since=None, until="HEAD", limit=1)
    with repository.snapshots([last]) as projects:
        project = next(projects)
        assert project is not None
        with pytest.raises(Exception) as raised:
            project.graph()
    assert str(raised.value) == "pyproject.toml: cannot parse app/api.py, line 1: def ("


def test_a_commit_that_changes_nothing_an_analysis_reads_reuses_the_last_snapshot(
    repo: Path,
) -> None:
    (repo / "README.md").write_text("only the documentation changes\n", encoding="utf-8")
    commit(repo, "docs", 3)
    repository = GitRepository(repo / "pyproject.toml")
    commits = repository.commits(since=None, until="HEAD", limit=None)
    with repository.snapshots(commits) as projects:
        first, second, third = list(projects)
    assert first is not second
    assert third is second


def test_a_module_added_at_a_later_commit_is_seen_by_the_unchanged_files_importing_it(
    tmp_path: Path,
) -> None:
    """The temporary tree rescans only the files a commit changes, but an unchanged
    ``from app import helpers`` means the module ``app.helpers`` once it exists."""
    project = write_project(
        tmp_path / "project",
        CONFIG,
        {
            "app/__init__.py": "",
            "app/api.py": "",
            "app/domain/__init__.py": "",
            "app/domain/model.py": "from app import helpers\nfrom . import rules\n",
        },
    )
    git(project, "init", "-q", "-b", "main")
    commit(project, "first", 1)
    (project / "app" / "helpers.py").write_text("", encoding="utf-8")
    (project / "app" / "domain" / "rules.py").write_text("", encoding="utf-8")
    commit(project, "second", 2)
    repository = GitRepository(project / "pyproject.toml")
    commits = repository.commits(since=None, until="HEAD", limit=None)
    imported = []
    with repository.snapshots(commits) as projects:
        for snapshot in projects:
            assert isinstance(snapshot, SnapshotProject)
            imported.append(
                sorted(snapshot.graph().grimp.find_modules_directly_imported_by("app.domain.model"))
            )
    assert imported == [["app", "app.domain"], ["app.domain.rules", "app.helpers"]]


def test_a_file_unchanged_since_the_last_commit_is_not_parsed_again(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The code model's entries are kept in memory from commit to commit, and the last
    commit's are kept in the project's cache for the next run."""
    parsed: list[str] = []
    original = codemodel._parse

    def counted(item: Any) -> Any:
        parsed.append(item.module)
        return original(item)

    monkeypatch.setattr(codemodel, "_parse", counted)

    def measure() -> list[str]:
        parsed.clear()
        repository = GitRepository(repo / "pyproject.toml", cache_dir=tmp_path / "cache")
        commits = repository.commits(since=None, until="HEAD", limit=None)
        with repository.snapshots(commits) as projects:
            for project in projects:
                assert isinstance(project, SnapshotProject)
                project.graph().code_model().modules.read_all()
                parsed.append("|")
        return list(parsed)

    assert measure() == [
        *["app", "app.api", "app.domain", "app.domain.model", "app.yyy", "app.zzz"],
        "|",
        "app.domain.model",  # the second commit changes only it (and deletes app.zzz)
        "|",
    ]
    # The next run: the first commit's versions of the two files, and nothing else.
    assert measure() == ["app.domain.model", "app.zzz", "|", "|"]
