"""Which configuration file a run reads: one resolution for the CLI, `fitness rules` and pytest."""

from __future__ import annotations

from pathlib import Path

from fitness.adapters.config.discovery import resolve_config

FITNESS = '[tool.fitness]\nroot_packages = ["shop"]\n'
IMPORTLINTER = "[importlinter]\nroot_package = shop\n"


def test_without_a_given_path_the_nearest_configuration_upwards_is_read(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(FITNESS)
    start = tmp_path / "shop" / "domain"
    start.mkdir(parents=True)
    assert resolve_config(None, start) == tmp_path / "pyproject.toml"


def test_without_any_configuration_there_is_none(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "shop"\n')
    assert resolve_config(None, tmp_path) is None


def test_a_given_directory_stands_for_the_configuration_it_declares(tmp_path: Path) -> None:
    (tmp_path / "setup.cfg").write_text(IMPORTLINTER)
    assert resolve_config(tmp_path, Path("/")) == tmp_path / "setup.cfg"


def test_a_given_directory_without_configuration_stands_for_its_pyproject(
    tmp_path: Path,
) -> None:
    assert resolve_config(tmp_path, Path("/")) == tmp_path / "pyproject.toml"


def test_a_given_file_is_read_whatever_the_nearest_configuration(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(FITNESS)
    given = tmp_path / "other.toml"
    assert resolve_config(given, tmp_path) == given
