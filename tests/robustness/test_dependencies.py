"""The ``dependencies`` rule type on hostile or odd input: what a pull request controls
(the metadata, requirements files, an environment committed with it) cannot make
fitness read outside the project, print control characters or change its bytes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from fitness.adapters.declarations import read_declarations
from fitness.adapters.installed import MAX_FILE, read_environment
from fitness.cli import main
from fitness.domain.dependencies import DependencyRequest
from fitness.domain.errors import RuleError
from tests.helpers import write_files

DATA = Path(__file__).resolve().parent.parent / "data" / "dependencies"


def copy_project(tmp_path: Path) -> Path:
    shutil.copytree(DATA / "site-packages", tmp_path / "site-packages")
    return Path(shutil.copytree(DATA / "pep621", tmp_path / "pep621"))


def check(project: Path, seed: int, *args: str) -> bytes:
    env = {**os.environ, "PYTHONHASHSEED": str(seed)}
    env.pop("GITHUB_STEP_SUMMARY", None)
    done = subprocess.run(
        [sys.executable, "-m", "fitness", "check", "--full", *args],
        cwd=project,
        env=env,
        capture_output=True,
        check=False,
    )
    assert done.returncode == 1, done.stderr.decode()
    return done.stdout


@pytest.mark.slow
def test_the_same_bytes_cold_and_warm_under_any_hash_seed(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    (project / "shop/adapters/web.py").write_text(
        "import requests\nfrom google.protobuf import message\nfrom google.cloud import storage\n"
    )
    cold = {check(project, seed, "--no-cache", "--format", "json") for seed in (0, 1, 2)}
    check(project, 3)  # fills the cache
    assert cold == {check(project, 4, "--format", "json")}


def test_a_requirements_file_linked_outside_the_project_is_refused(tmp_path: Path) -> None:
    (tmp_path / "secret.txt").write_text("token-1234\n")
    write_files(tmp_path / "project", {"shop/__init__.py": ""})
    (tmp_path / "project" / "requirements.txt").symlink_to(tmp_path / "secret.txt")
    with pytest.raises(RuleError) as raised:
        read_declarations(
            tmp_path / "project", DependencyRequest(requirements_files=("requirements.txt",))
        )
    assert "outside the project directory" in str(raised.value)
    assert "token-1234" not in str(raised.value)


def test_an_oversized_requirements_file_is_refused_not_read(tmp_path: Path) -> None:
    with (tmp_path / "requirements.txt").open("wb") as stream:
        stream.truncate(MAX_FILE + 1)  # sparse: nothing written
    with pytest.raises(RuleError, match="requirements.txt: larger than 32 MB; not read"):
        read_declarations(tmp_path, DependencyRequest(requirements_files=("requirements.txt",)))


def test_names_from_an_environment_are_escaped_in_the_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = copy_project(tmp_path)
    meta = tmp_path / "site-packages" / "evil-1.0.dist-info"
    meta.mkdir()
    (meta / "METADATA").write_text("Name: ev\x1b[2Jil\n")
    (meta / "top_level.txt").write_text("evil\n")
    (project / "shop/util.py").write_text("import evil\n")
    assert main(["check", "--full", "--config", str(project / "pyproject.toml")]) == 1
    out = capsys.readouterr().out
    assert "\x1b" not in out
    assert "ev\\x1b[2Jil (imported as evil) is imported by shop but not declared" in out


def test_a_broken_environment_reads_as_what_it_can(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "site/no-metadata.dist-info/RECORD": "x/__init__.py,,\n",  # named by its directory
            "site/bad_utf8-1.0.dist-info/METADATA": "Name: bad\n",
            "site/bad_utf8-1.0.dist-info/top_level.txt": "ok\n",
            "site/loop.dist-info/RECORD": '"unterminated,,\n../../../etc/passwd,,\n',
        },
    )
    (tmp_path / "site/bad_utf8-1.0.dist-info/RECORD").write_bytes(b"\xff\xfe,,\n")
    environment = read_environment([tmp_path / "site", tmp_path / "missing"])
    assert {d.name: d.top_level for d in environment.distributions.values()} == {
        "bad": ("ok",),
        "loop": (),
        "no": ("x",),
    }
