"""Loading a configuration (the use case), on an in-memory port: which files there are,
what they hold; the port counts what it is asked."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, Literal

import pytest

from fitness.application.config import LoadedConfig, load_configuration
from fitness.application.plugins import RuleTypeRegistry, make_plugin_manager, rule_type_registry
from fitness.domain.config import FitnessConfig, parse_config
from fitness.domain.errors import ConfigError, ConfigErrors, Key

CONFIG = Path("/project/pyproject.toml")


class FakeKeys:
    """A key's line: the line of ``name = "<rule's name>"`` for a rule, the line of
    ``<option> =`` under it for an option (enough for these tests)."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()

    def line_of(self, key: Key) -> int | None:
        if len(key) < 2 or key[0] != "rules" or not isinstance(key[1], int):
            return None
        starts = [n for n, line in enumerate(self.lines, 1) if line == "[[tool.fitness.rules]]"]
        if key[1] >= len(starts):
            return None
        start = starts[key[1]]
        if len(key) > 2:
            for number in range(start + 1, len(self.lines) + 1):
                if self.lines[number - 1].startswith(f"{key[2]} ="):
                    return number
        return start

    def line_of_rule(self, index: int) -> int | None:
        return self.line_of(("rules", index))

    def line_of_root_packages(self) -> int | None:
        return None


class FakeParsed:
    rule_label = "[[tool.fitness.rules]]"

    def __init__(self, text: str) -> None:
        self.text = text
        self.table: dict[str, Any] = tomllib.loads(text)["tool"]["fitness"]
        self.root_packages: object = self.table.get("root_packages", ())

    @property
    def plugins(self) -> object:
        return self.table.get("plugins", [])

    def locator(self, config: FitnessConfig | None = None) -> FakeKeys:
        return FakeKeys(self.text)

    def build(self, rule_types: RuleTypeRegistry, *, import_project_code: bool) -> FitnessConfig:
        return parse_config(self.table, rule_types.classes)

    def adr_key(self, index: int) -> Key:
        return ("rules", index, "adr")


class FakeConfigSource:
    """A project's files in memory (``files``: path relative to the project -> text)."""

    def __init__(self, files: dict[str, str]) -> None:
        self.files = files
        self.reads: list[Path] = []
        self.plugin_loads: list[tuple[object, bool]] = []

    def find(self, given: Path | None) -> Path | None:
        return given or CONFIG

    def read(self, path: Path) -> str:
        self.reads.append(path)
        try:
            return self.files[path.relative_to(CONFIG.parent).as_posix()]
        except KeyError:
            raise ConfigError("no such file", str(path)) from None

    def parse(self, path: Path, text: str) -> FakeParsed:
        return FakeParsed(text)

    def rule_types(
        self, plugins: object, project_dir: Path, *, root_packages: object, import_local: bool
    ) -> RuleTypeRegistry:
        self.plugin_loads.append((plugins, import_local))
        if plugins:
            raise ConfigError(f"plugins: cannot import plugin '{plugins}'", key=("plugins",))
        return rule_type_registry(make_plugin_manager())

    def file_kind(
        self, directory: Path, relative: str, what: str, *, key: Key
    ) -> Literal["file", "dir"] | None:
        if relative in self.files:
            return "file"
        return "dir" if any(f.startswith(f"{relative}/") for f in self.files) else None

    def files_in(self, directory: Path, relative: str) -> list[str]:
        prefix = "" if relative == "." else f"{relative}/"
        return [
            f[len(prefix) :]
            for f in self.files
            if f.startswith(prefix) and "/" not in f[len(prefix) :]
        ]


def pyproject(*rules: str) -> str:
    return '[tool.fitness]\nroot_packages = ["app"]\n' + "".join(
        f"\n[[tool.fitness.rules]]\n{rule}\n" for rule in rules
    )


INDEPENDENT = 'name = "Independent"\ntype = "independence"\nmodules = ["app.a", "app.b"]'


def load(source: FakeConfigSource, **options: Any) -> LoadedConfig:
    return load_configuration(source, CONFIG, **options)


def test_the_configuration_is_read_once_and_its_plugins_loaded_once() -> None:
    source = FakeConfigSource({"pyproject.toml": pyproject(INDEPENDENT)})

    loaded = load(source)

    assert source.reads == [CONFIG]
    assert source.plugin_loads == [([], True)]
    assert [rule.name for rule in loaded.config.rules] == ["Independent"]
    assert loaded.text == source.files["pyproject.toml"]
    assert loaded.line_of_rule(0) == 4


def test_a_commits_configuration_names_its_plugins_without_importing_them() -> None:
    source = FakeConfigSource({"pyproject.toml": pyproject(INDEPENDENT)})

    load(source, import_project_code=False)

    assert source.plugin_loads == [([], False)]


def test_every_mistake_of_the_rules_is_reported_at_once_each_at_its_line() -> None:
    source = FakeConfigSource(
        {
            "pyproject.toml": pyproject(
                'name = "One"\ntype = "independense"',
                INDEPENDENT,
                'name = "Two"\ntype = "layers"\nlayerz = ["app.a"]',
            )
        }
    )

    with pytest.raises(ConfigErrors) as caught:
        load(source)

    wheres = [mistake.where for mistake in caught.value.mistakes]
    assert wheres == [f"{CONFIG}:6", f"{CONFIG}:16"]  # the type, the unknown option
    assert "did you mean 'independence'?" in caught.value.mistakes[0].message
    assert source.reads == [CONFIG]


def test_every_decision_record_that_is_missing_is_reported_with_a_suggestion() -> None:
    source = FakeConfigSource(
        {
            "pyproject.toml": pyproject(
                f'{INDEPENDENT}\nadr = "docs/adr/0001-independent.md"',
                'name = "Layers"\ntype = "layers"\nlayers = ["app.a", "app.b"]\nadr = "docs/adr"',
            ),
            "docs/adr/0001-independant.md": "# Independent",
        }
    )

    with pytest.raises(ConfigErrors) as caught:
        load(source)

    assert caught.value.lines() == [
        f"{CONFIG}:8: [[tool.fitness.rules]] #1 ('Independent'): option 'adr': no file "
        "'docs/adr/0001-independent.md'; did you mean 'docs/adr/0001-independant.md'? "
        "(a path relative to pyproject.toml, or a URL)",
        f"{CONFIG}:14: [[tool.fitness.rules]] #2 ('Layers'): option 'adr': 'docs/adr' is a "
        "directory; name the record's file",
    ]


def test_a_plugin_that_cannot_be_loaded_is_a_mistake_at_the_configurations_file() -> None:
    text = pyproject(INDEPENDENT).replace("[tool.fitness]\n", '[tool.fitness]\nplugins = ["x"]\n')
    source = FakeConfigSource({"pyproject.toml": text})

    with pytest.raises(ConfigError) as caught:
        load(source)

    assert str(caught.value) == f"{CONFIG}: plugins: cannot import plugin '['x']'"
    assert source.plugin_loads == [(["x"], True)]


def test_a_file_that_cannot_be_read_is_a_mistake_naming_it() -> None:
    source = FakeConfigSource({})

    with pytest.raises(ConfigError, match="no such file"):
        load(source)
