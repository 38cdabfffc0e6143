"""``fitness history`` reads every commit as data (issue 19, items 1 to 3): whoever made
a commit chose its tree, its configuration and its plugins, and none of it may make
us write outside our temporary tree, run its code, read what is not in the commit,
or stop the run.

The hostile commits are built with git's plumbing (``git mktree``, ``git hash-object
--literally``, ``git commit-tree``, ``git update-ref``): trees that no checkout would
write, which ``git clone`` and ``git fetch`` accept unless fsck is on.
"""

from __future__ import annotations

import binascii
import csv
import hashlib
import html
import io
import json
import os
import subprocess
import sys
import zlib
from collections.abc import Sequence
from pathlib import Path

import pytest

from fitness.cli import main
from tests.cli.test_history import ENV, git
from tests.helpers import write_project

CONFIG = """
[tool.fitness]
root_packages = ["app"]

[[tool.fitness.rules]]
name = "Layers"
type = "layers"
layers = ["app.api", "app.domain"]
"""

FILES = {
    "app/__init__.py": "",
    "app/api.py": "",
    "app/domain.py": "import app.api\n",
}


# Git's plumbing ----------------------------------------------------------------------------


def plumbing(repo: Path, *arguments: str, input: bytes = b"") -> str:
    done = subprocess.run(
        ["git", *arguments],
        cwd=repo,
        input=input,
        capture_output=True,
        env={**os.environ, **ENV},
        check=True,
    )
    return done.stdout.decode().strip()


def blob(repo: Path, data: bytes) -> str:
    return plumbing(repo, "hash-object", "-w", "--stdin", input=data)


Entry = tuple[str, bytes, str]  # mode, name, object id


def mktree(repo: Path, entries: Sequence[Entry], *, missing: bool = False) -> str:
    """A tree as ``git mktree`` makes it (it refuses a name with a slash)."""
    lines = b"".join(
        f"{mode} {'tree' if mode == '040000' else 'blob'} {sha}\t".encode() + name + b"\n"
        for mode, name, sha in entries
    )
    return plumbing(repo, "mktree", *(["--missing"] if missing else []), input=lines)


def raw_tree(repo: Path, entries: Sequence[Entry]) -> str:
    """A tree written byte for byte: any name, in any order, twice if asked."""
    data = b"".join(
        mode.lstrip("0").encode() + b" " + name + b"\0" + binascii.unhexlify(sha)
        for mode, name, sha in entries
    )
    return plumbing(repo, "hash-object", "-t", "tree", "-w", "--literally", "--stdin", input=data)


def loose_object(repo: Path, kind: bytes, data: bytes) -> str:
    """Write an object as git stores it (zlib-compressed under .git/objects)."""
    whole = kind + b" " + str(len(data)).encode() + b"\0" + data
    sha = hashlib.sha1(whole).hexdigest()
    path = repo / ".git" / "objects" / sha[:2] / sha[2:]
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(zlib.compress(whole))
    return sha


def entries_of(repo: Path, revision: str) -> list[Entry]:
    listing = plumbing(repo, "ls-tree", "-z", revision).split("\0")
    found = []
    for line in listing:
        if line:
            info, _, name = line.partition("\t")
            mode, _kind, sha = info.split()
            found.append((mode, name.encode(), sha))
    return found


def commit_tree(repo: Path, entries: Sequence[Entry], message: str, *, raw: bool = False) -> str:
    """A commit on ``main`` whose tree is HEAD's plus ``entries`` (then HEAD)."""
    head = plumbing(repo, "rev-parse", "HEAD")
    everything = [*entries_of(repo, "HEAD"), *entries]
    tree = raw_tree(repo, everything) if raw else mktree(repo, everything, missing=True)
    sha = plumbing(repo, "commit-tree", tree, "-p", head, "-m", message)
    plumbing(repo, "update-ref", "refs/heads/main", sha)
    return sha


def commit_in_app(repo: Path, entries: Sequence[Entry], message: str) -> str:
    """A commit on ``main`` whose ``app`` directory is HEAD's plus ``entries``."""
    head = plumbing(repo, "rev-parse", "HEAD")
    top = entries_of(repo, "HEAD")
    [app] = [entry for entry in top if entry[1] == b"app"]
    app_tree = raw_tree(repo, [*entries_of(repo, app[2]), *entries])
    others = [entry for entry in top if entry[1] != b"app"]
    tree = raw_tree(repo, [*others, ("040000", b"app", app_tree)])
    sha = plumbing(repo, "commit-tree", tree, "-p", head, "-m", message)
    plumbing(repo, "update-ref", "refs/heads/main", sha)
    return sha


def nested(repo: Path, names: Sequence[str], leaf: Entry) -> Entry:
    """``names[0]/names[1]/.../leaf`` as one tree entry (each name a directory)."""
    entry = leaf
    for name in reversed(names):
        entry = ("040000", name.encode(), mktree(repo, [entry]))
    return entry


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project with one good commit; the hostile ones come on top of it."""
    root = write_project(tmp_path / "project", CONFIG, FILES)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "good")
    monkeypatch.chdir(root)
    return root


def good_commit(repo: Path, message: str = "good again") -> None:
    """A commit with HEAD's first good tree (the hostile entries gone)."""
    first = plumbing(repo, "rev-list", "--max-parents=0", "HEAD")
    tree = plumbing(repo, "rev-parse", f"{first}^{{tree}}")
    head = plumbing(repo, "rev-parse", "HEAD")
    sha = plumbing(repo, "commit-tree", tree, "-p", head, "-m", message)
    plumbing(repo, "update-ref", "refs/heads/main", sha)


def history(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[list[str]], str]:
    code = main(["history", "--format", "csv", "--no-cache", *args])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, list(csv.reader(io.StringIO(captured.out))), captured.err


def statuses(rows: list[list[str]]) -> list[str]:
    return [row[-1] for row in rows[1:]]


def layer_counts(rows: list[list[str]]) -> list[str]:
    return [row[2] for row in rows[1:]]


# 1. Paths: nothing is written outside the temporary tree -----------------------------------


def test_a_tree_entry_named_dot_dot_writes_nothing_outside_and_is_one_row(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The file was written (and a later commit without it deleted it: the user's file
    of that name is lost)."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.py").write_text("# the user's\n", encoding="utf-8")
    payload = blob(project, b"print('pwned')\n")
    files = mktree(project, [("100644", b"keep.py", payload), ("100644", b"pwned.py", payload)])
    # ../../.../<outside>/: enough '..' to reach the root from any temporary tree
    climb = nested(project, [".."] * 10 + list(outside.parts[1:-1]), ("040000", b"outside", files))
    commit_tree(project, [("040000", b"..", climb[2])], "climbs out")
    good_commit(project)
    code, rows, _ = history(capsys)
    assert code == 0
    assert sorted(p.name for p in outside.iterdir()) == ["keep.py"]
    assert (outside / "keep.py").read_text(encoding="utf-8") == "# the user's\n"
    assert statuses(rows) == ["ok", "unreadable commit: bad tree: an entry named '..'", "ok"]
    assert layer_counts(rows) == ["1", "", "1"]


def test_an_absolute_name_writes_nothing_outside(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "outside" / "pwned.py"
    target.parent.mkdir()
    payload = blob(project, b"print('pwned')\n")
    commit_tree(project, [("100644", os.fsencode(target), payload)], "absolute", raw=True)
    code, rows, _ = history(capsys)
    assert code == 0
    assert not target.exists()
    assert statuses(rows)[1] == f"unreadable commit: bad tree: an absolute path ('{target}')"


@pytest.mark.parametrize(
    ("name", "why"),
    [
        (b".", "an entry named '.'"),
        (b"", ""),  # (git itself refuses to list it: its own message)
        (b"app//x.py", "an empty name ('app//x.py')"),
        (b"\xff\xfe.py", "a name that is not UTF-8 ('\\xff\\xfe.py')"),
        (b"app/../../x.py", "an entry named '..' ('app/../../x.py')"),
    ],
)
def test_a_name_no_checkout_would_write_is_one_row(
    project: Path, capsys: pytest.CaptureFixture[str], name: bytes, why: str
) -> None:
    payload = blob(project, b"x = 1\n")
    entry = ("100644", name, payload) if name != b"." else ("040000", name, mktree(project, []))
    commit_tree(project, [entry], "odd name", raw=True)
    good_commit(project)
    code, rows, _ = history(capsys)
    assert code == 0
    assert statuses(rows)[0::2] == ["ok", "ok"]
    assert statuses(rows)[1].startswith(f"unreadable commit: bad tree: {why}" if why else "unre")


def test_a_name_twice_file_and_directory_is_one_row(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """It raised FileExistsError (or NotADirectoryError), a traceback that ended the run."""
    payload = blob(project, b"x = 1\n")
    inner = mktree(project, [("100644", b"inner.py", payload)])
    commit_in_app(
        project, [("100644", b"dup.py", payload), ("040000", b"dup.py", inner)], "dup.py twice"
    )
    good_commit(project)
    code, rows, _ = history(capsys)
    assert code == 0
    assert statuses(rows) == [
        "ok",
        "unreadable commit: bad tree: 'app/dup.py' is there twice",
        "ok",
    ]


def test_a_missing_file_or_directory_is_one_row_and_the_run_goes_on(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A tree that points at an object the repository does not have ended the whole run."""
    absent = "1234567890123456789012345678901234567890"
    commit_tree(project, [("100644", b"gone.py", absent)], "a missing file")
    good_commit(project)
    commit_tree(project, [("040000", b"lost", absent)], "a missing directory")
    good_commit(project, "good at last")
    code, rows, _ = history(capsys)
    assert code == 0
    assert statuses(rows)[0::2] == ["ok", "ok", "ok"]
    assert statuses(rows)[1] == (
        "unreadable commit: gone.py: the commit's file is missing from the repository "
        "(object 1234567890)"
    )
    assert statuses(rows)[3].startswith("unreadable commit: cannot read the commit's tree: ")


def test_a_file_above_the_size_limit_is_one_row_naming_it(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from fitness.adapters.git_trees import MAX_SOURCE_BYTES

    big = blob(project, b"#" * (MAX_SOURCE_BYTES + 1))  # (git compresses it to a few KB)
    commit_in_app(project, [("100644", b"big.py", big)], "a big file")
    code, rows, _ = history(capsys)
    assert code == 0
    assert statuses(rows) == [
        "ok",
        f"unreadable commit: app/big.py: {MAX_SOURCE_BYTES + 1:,} bytes, above the limit of "
        f"{MAX_SOURCE_BYTES:,} bytes for a file read from a commit",
    ]


def test_a_directory_named_like_a_pathspec_is_read_as_a_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`git ls-tree -- ':(top)b'` read the name as magic: every commit said "no
    configuration"."""
    top = tmp_path / "repo"
    project = write_project(top / ":(top)b", CONFIG, FILES)
    (top / "b").mkdir()  # what the magic pathspec would select instead
    (top / "b" / "other.py").write_text("", encoding="utf-8")
    git(top, "init", "-q", "-b", "main")
    git(top, "add", "-A")
    git(top, "commit", "-q", "-m", "first")
    monkeypatch.chdir(project)
    code, rows, _ = history(capsys)
    assert (code, statuses(rows), layer_counts(rows)) == (0, ["ok"], ["1"])


# 2. No code from a commit runs -------------------------------------------------------------

PLUGIN = """
from pathlib import Path

Path({marker!r}).write_text("imported", encoding="utf-8")


def fitness_rule_types():
    return []
"""


def test_a_commits_own_plugin_is_never_imported_and_its_rules_say_why(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    marker = tmp_path / "marker"
    (project / "commit_rules.py").write_text(PLUGIN.format(marker=str(marker)), encoding="utf-8")
    (project / "pyproject.toml").write_text(
        CONFIG.replace(
            'root_packages = ["app"]', 'root_packages = ["app"]\nplugins = ["commit_rules"]'
        )
        + '\n[[tool.fitness.rules]]\nname = "Custom"\ntype = "arch_custom"\n',
        encoding="utf-8",
    )
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "a plugin")
    (project / "commit_rules.py").unlink()  # (today's tree has none: only the commit does)
    reason = (
        "not checked: its type 'arch_custom' is neither built in nor installed; it may come "
        "from the commit's own plugins (commit_rules), which fitness history does not import"
    )
    code, rows, _ = history(capsys, "--config-from", "committed")
    assert code == 0
    assert not marker.exists()
    assert "commit_rules" not in sys.modules
    assert rows[0][2:4] == ["Layers", "Custom"]
    assert [row[2:4] for row in rows[1:]] == [["1", ""], ["1", ""]]
    assert statuses(rows)[1] == f"ok; could not check: Custom ({reason})"
    assert main(["history", "--no-cache", "--config-from", "committed", "--last", "1"]) == 0
    assert f"  R2  Custom (-: {reason})" in capsys.readouterr().out.splitlines()
    assert (
        main(
            [
                "history",
                "--no-cache",
                "--config-from",
                "committed",
                "--last",
                "1",
                "--format",
                "json",
            ]
        )
        == 0
    )
    rules = json.loads(capsys.readouterr().out)["rows"][0]["rules"]
    assert rules[1] == {"name": "Custom", "violations": None, "keys": [], "error": reason}
    assert (
        main(
            [
                "history",
                "--no-cache",
                "--config-from",
                "committed",
                "--last",
                "1",
                "--format",
                "html",
                "-o",
                "h.html",
            ]
        )
        == 0
    )
    page = (project / "h.html").read_text(encoding="utf-8")
    assert f'Custom: <span class="problem">{html.escape(reason)}</span>' in page
    assert not marker.exists()


def test_todays_own_plugin_is_loaded_once_from_the_working_tree_never_from_a_commit(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With today's configuration (the default), its rule types come from the running
    environment and the working tree, as `fitness check` loads them: the plugin of the
    same name that a commit holds is never imported."""
    from tests.adapters.test_plugin_loading import ACME_RULES

    marker = tmp_path / "marker"
    plugin = project / "history_today_rules.py"
    plugin.write_text(PLUGIN.format(marker=str(marker)), encoding="utf-8")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "a commit's own plugin of that name")
    plugin.write_text(ACME_RULES, encoding="utf-8")  # today's, in the working tree
    (project / "pyproject.toml").write_text(
        CONFIG.replace(
            'root_packages = ["app"]',
            'root_packages = ["app"]\nplugins = ["history_today_rules"]',
        )
        + '\n[[tool.fitness.rules]]\nname = "Shallow"\ntype = "acme_max_depth"\nmax_depth = 1\n',
        encoding="utf-8",
    )
    code, rows, _ = history(capsys)
    assert code == 0
    assert not marker.exists()
    assert rows[0][2:4] == ["Layers", "Shallow"]
    assert [row[2:4] for row in rows[1:]] == [["1", "2"], ["1", "2"]]
    assert statuses(rows) == ["ok", "ok"]


def test_a_commits_import_linter_contract_class_is_never_imported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    marker = tmp_path / "marker"
    root = tmp_path / "project"
    config = (
        "[importlinter]\nroot_packages = app\ncontract_types =\n    mine: my_contracts.Mine\n\n"
        "[importlinter:contract:layers]\nname = Layers\ntype = layers\nlayers =\n"
        "    app.api\n    app.domain\n\n"
        "[importlinter:contract:mine]\nname = Mine\ntype = mine\n"
    )
    write_project(root, "", {**FILES, ".importlinter": config})
    (root / "pyproject.toml").unlink()
    (root / "my_contracts.py").write_text(
        f"from pathlib import Path\nPath({str(marker)!r}).write_text('imported')\n",
        encoding="utf-8",
    )
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "import-linter")
    monkeypatch.chdir(root)
    code, rows, _ = history(capsys, "--config", ".importlinter", "--config-from", "committed")
    assert code == 0
    assert not marker.exists()
    assert statuses(rows) == [
        "ok; could not check: Mine (not checked: its contract type 'mine' is the project's own "
        "class (my_contracts.Mine), which fitness history does not import from a commit)"
    ]


def test_an_installed_plugin_checks_its_rules_at_every_commit(
    project: Path, site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.adapters.test_plugin_loading import ACME_RULES, install_fake_distribution

    install_fake_distribution(
        site, "acme-fitness", "1.2", {"acme": "acme_rules"}, {"acme_rules.py": ACME_RULES}
    )
    (project / "pyproject.toml").write_text(
        CONFIG + '\n[[tool.fitness.rules]]\nname = "Shallow"\ntype = "acme_max_depth"\n'
        "max_depth = 1\n",
        encoding="utf-8",
    )
    git(project, "commit", "-q", "-am", "an installed rule type")
    code, rows, _ = history(capsys, "--config-from", "committed")
    assert code == 0
    assert [row[3] for row in rows[1:]] == ["", "2"]  # app.api and app.domain: 2 deep
    assert statuses(rows) == ["ok", "ok"]


# 3. Nothing outside the commit is read -----------------------------------------------------


def test_a_commit_without_the_root_package_says_so_though_it_is_importable(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The package was found on sys.path (an editable install, PYTHONPATH=src, python -m)
    and the working tree was measured instead; the wrong row was then cached."""
    git(project, "mv", "app", "renamed")
    git(project, "commit", "-q", "-m", "the package is renamed")
    git(project, "mv", "renamed", "app")
    monkeypatch.syspath_prepend(str(project))  # the working tree's app is importable
    code, rows, _ = history(capsys)
    assert code == 0
    assert statuses(rows)[1].startswith(
        "graph error: pyproject.toml:2: root package 'app' not found in src, ."
    )
    assert "sys.path" not in statuses(rows)[1]
    assert layer_counts(rows) == ["1", ""]


def test_a_cached_row_is_keyed_by_the_installed_plugins(
    project: Path, site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A rule of an installed plugin's type is checked by that plugin: a row measured with
    another set of plugins (or another version) is measured again."""
    from fitness.adapters.history_cache import HistoryCacheDir
    from tests.adapters.test_plugin_loading import ACME_RULES, install_fake_distribution

    before = HistoryCacheDir(project / ".cache", depth=2, config="pyproject.toml").key
    install_fake_distribution(
        site, "acme-fitness", "1.2", {"acme": "acme_rules"}, {"acme_rules.py": ACME_RULES}
    )
    after = HistoryCacheDir(project / ".cache", depth=2, config="pyproject.toml").key
    assert before != after


def test_an_adr_file_is_looked_for_in_the_commit(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The records were not written to the temporary tree (only Python and configuration
    files are): every commit of a rule with an `adr` file was an invalid configuration,
    and an `adr` outside the repository was looked for on the disk (its directory listed
    for "did you mean")."""
    (project / "docs").mkdir()
    (project / "docs" / "0001-layers.md").write_text("# Layers\n", encoding="utf-8")
    (tmp_path / "secret-name.md").write_text("", encoding="utf-8")
    config = project / "pyproject.toml"
    config.write_text(
        CONFIG.replace('type = "layers"', 'type = "layers"\nadr = "docs/0001-layers.md"'),
        encoding="utf-8",
    )
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "a record")
    config.write_text(
        CONFIG.replace('type = "layers"', 'type = "layers"\nadr = "../secret-name.md"'),
        encoding="utf-8",
    )
    git(project, "commit", "-q", "-am", "a record outside the repository")
    code, rows, _ = history(capsys, "--config-from", "committed")
    assert code == 0
    assert statuses(rows) == [
        "ok",
        "ok",
        "invalid configuration: pyproject.toml:8: [[tool.fitness.rules]] #1 ('Layers'): "
        "option 'adr': no file '../secret-name.md' (a path relative to pyproject.toml, or a URL)",
    ]


def test_a_tree_too_deep_is_one_row(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A tree nested 2,000 levels deep (a few KB of objects) is not written level by level."""
    sha = blob(project, b"")
    entry = b"100644 x.py\0" + binascii.unhexlify(sha)
    for _ in range(2000):  # loose objects written here: a git command each would take long
        sha = loose_object(project, b"tree", entry)
        entry = b"40000 d\0" + binascii.unhexlify(sha)
    commit_tree(project, [("040000", b"d", sha)], "deep")
    good_commit(project)
    code, rows, _ = history(capsys)
    assert code == 0
    assert statuses(rows)[0::2] == ["ok", "ok"]
    assert statuses(rows)[1].startswith("unreadable commit: bad tree: a path too long or too deep")
    assert len(statuses(rows)[1]) < 300
