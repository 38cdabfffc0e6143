"""The configuration on disk (FileConfigSource): found, then read once."""

from __future__ import annotations

from pathlib import Path

import pytest

from fitness.adapters.config.source import load_found

PYPROJECT = """\
[tool.fitness]
root_packages = ["app"]

[[tool.fitness.rules]]
name = "Independent"
type = "independence"
modules = ["app.a", "app.b"]
"""

IMPORTLINTER = """\
[importlinter]
root_packages = app

[importlinter:contract:one]
name = Independent
type = independence
modules =
    app.a
    app.b
"""


def counting_reads(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    reads: dict[str, int] = {}
    original = Path.read_text

    def read_text(self: Path, *args: object, **kwargs: object) -> str:
        reads[self.name] = reads.get(self.name, 0) + 1
        return original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "read_text", read_text)
    return reads


@pytest.mark.parametrize(
    ("name", "text"), [("pyproject.toml", PYPROJECT), (".importlinter", IMPORTLINTER)]
)
def test_the_configuration_found_is_read_once_from_looking_for_it_to_its_rules(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, text: str
) -> None:
    (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "app").mkdir()
    reads = counting_reads(monkeypatch)

    loaded = load_found(None, missing="none", start=tmp_path / "app")

    assert loaded.path == tmp_path / name
    assert [rule.name for rule in loaded.config.rules] == ["Independent"]
    assert reads[name] == 1


def test_a_configuration_given_by_name_is_read_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    reads = counting_reads(monkeypatch)

    loaded = load_found(tmp_path / "pyproject.toml", missing="none")

    assert loaded.line_of_rule(0) == 4
    assert reads == {"pyproject.toml": 1}
