"""`fitness check`: exit codes, output, options."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from fitness.cli import main
from tests.helpers import append, copy_example


@pytest.fixture
def shop_copy(tmp_path: Path) -> Path:
    return copy_example("shop", tmp_path)


def test_exit_0_when_every_rule_holds(
    shop_copy: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(shop_copy / "shop" / "domain")  # found from a subdirectory too
    assert main(["check"]) == 0
    out = capsys.readouterr().out
    assert "KEPT   Layered architecture" in out
    assert out.rstrip().endswith("0 broken (0 violations)")


def test_exit_1_when_a_rule_is_broken(shop_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    append(shop_copy / "shop/domain/model.py", "import shop.adapters.db.tables\n")
    assert main(["check", "--config", str(shop_copy / "pyproject.toml")]) == 1
    out = capsys.readouterr().out
    assert "BROKEN Layered architecture" in out
    assert "shop.domain is not allowed to import shop.adapters:" in out
    assert "shop/domain/model.py:" in out
    # The forbidden rule sees the indirect route to sqlalchemy through the adapter.
    assert "shop.domain.model -> shop.adapters.db.tables -> sqlalchemy" in out


def test_config_may_name_a_directory(shop_copy: Path) -> None:
    assert main(["check", "--config", str(shop_copy)]) == 0


def test_no_cache_leaves_no_cache_directory(shop_copy: Path) -> None:
    assert main(["check", "--no-cache", "--config", str(shop_copy)]) == 0
    assert not (shop_copy / ".fitness_cache").exists()
    assert main(["check", "--config", str(shop_copy)]) == 0
    assert (shop_copy / ".fitness_cache").is_dir()


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as excinfo:
        main(["chek"])
    assert excinfo.value.code == 2
    assert "invalid choice: 'chek'" in capsys.readouterr().err


def test_missing_config_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--config", str(tmp_path / "nope.toml")]) == 2
    assert "nope.toml: no such file" in capsys.readouterr().err


def test_the_console_script_runs_in_a_subprocess(shop_copy: Path) -> None:
    fitness = Path(sys.executable).with_name("fitness")
    command = [str(fitness)] if fitness.exists() else [sys.executable, "-m", "fitness.cli"]
    completed = subprocess.run(
        [*command, "check"],
        cwd=shop_copy,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert "KEPT   Adapters are independent" in completed.stdout


@pytest.mark.parametrize("how", ["console script", "python -m fitness", "python -m fitness.cli"])
def test_the_command_exits_with_the_verdict_and_all_its_output(tmp_path: Path, how: str) -> None:
    """The command leaves without tearing down the heap (os._exit): the exit code
    and every line written before it must still arrive."""
    from tests.helpers import write_project

    modules = {f"app/low/m{i}.py": "import app.high\n" for i in range(300)}
    write_project(
        tmp_path,
        """
        [tool.fitness]
        root_packages = ["app"]

        [[tool.fitness.rules]]
        name = "layers"
        type = "layers"
        layers = ["app.high", "app.low"]
        """,
        {"app/__init__.py": "", "app/high.py": "", "app/low/__init__.py": "", **modules},
    )
    fitness = Path(sys.executable).with_name("fitness")
    if how == "console script" and not fitness.exists():
        pytest.skip("no console script next to this interpreter")
    command = [str(fitness)] if how == "console script" else [sys.executable, "-m", how.split()[-1]]
    completed = subprocess.run(
        [*command, "check", "--no-cache", "--full"], cwd=tmp_path, capture_output=True, text=True
    )
    assert completed.returncode == 1, completed.stderr
    assert completed.stdout.count(".py:1  import app.high") == 300
    assert completed.stdout.rstrip().endswith("0 kept, 1 broken (1 violation)")


def test_a_byte_order_mark_does_not_leak_into_the_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.helpers import write_files

    write_files(
        tmp_path,
        {
            "pyproject.toml": """
                [tool.fitness]
                root_packages = ["app"]

                [[tool.fitness.rules]]
                name = "layers"
                type = "layers"
                layers = ["app.high", "app.low"]
            """,
            "app/__init__.py": "",
            "app/high.py": "",
        },
    )
    (tmp_path / "app/low.py").write_bytes(b"\xef\xbb\xbfimport app.high\n")
    assert main(["check", "--no-cache", "--config", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "    app/low.py:1  import app.high\n" in out
    assert "\ufeff" not in out


def test_help_lists_every_command_and_each_command_its_options(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A run builds the options of its own subcommand only; help must not notice."""
    with pytest.raises(SystemExit) as excinfo:
        main(["--help"])
    assert excinfo.value.code == 0
    listing = capsys.readouterr().out
    expected = {
        "check": "--strict-baseline",
        "baseline": "--config",
        "rules": "--format",
        "metrics": "--depth",
        "graph": "--depth",
        "report": "--html",
        "init": "--force",
    }
    for command, option in expected.items():
        assert f"    {command} " in listing
        with pytest.raises(SystemExit) as excinfo:
            main([command, "--help"])
        assert excinfo.value.code == 0
        assert option in capsys.readouterr().out, command
    with pytest.raises(SystemExit) as excinfo:
        main(["check", "--depth", "2"])  # an option of another subcommand
    assert excinfo.value.code == 2
    assert "unrecognized arguments: --depth 2" in capsys.readouterr().err


@pytest.mark.parametrize("columns", [60, 120])
def test_help_is_laid_out_for_the_terminal_as_argparse_would(
    columns: int, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The width comes from COLUMNS or the terminal without importing shutil; the
    layout must be the one argparse's own formatter (which asks shutil) makes."""
    import argparse

    import fitness.cli

    monkeypatch.setenv("COLUMNS", str(columns))

    def help_text() -> str:
        with pytest.raises(SystemExit):
            main(["check", "--help"])
        return capsys.readouterr().out

    ours = help_text()
    monkeypatch.setattr(fitness.cli, "_Formatter", argparse.HelpFormatter)
    assert ours == help_text()
    assert max(len(line) for line in ours.splitlines()) > columns - 25  # the width is used
