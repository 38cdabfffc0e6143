"""Loading a configuration: one use case on one port (:class:`ConfigSource`).

Every way in (``fitness check`` and the other commands, the pytest plugin, a commit of
``fitness history``, the revision of ``--new-since``) loads a configuration the same way:
the file found, its text read once, parsed (``[tool.fitness]``, or an import-linter
configuration), its plugins loaded, its rules built and validated (every mistake of the
table at once), the decision records its rules name looked up; each mistake located at
its ``file:line``. Reading, parsing and importing are the port's (the project on disk,
or a commit's tree: :mod:`fitness.adapters.config.source`); the order, and what is
checked, are here.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, NamedTuple

from fitness.domain.errors import ConfigError, Key, combined, did_you_mean
from fitness.domain.rendering import is_url

if TYPE_CHECKING:
    from fitness.application.ports import ConfigSource, KeyLocator
    from fitness.domain.config import FitnessConfig
    from fitness.domain.rules.base import Rule


class LoadedConfig(NamedTuple):
    """A configuration, loaded: its file, its rules and settings, where its keys are."""

    path: Path
    config: FitnessConfig
    locator: KeyLocator
    #: The text the configuration was read from (once).
    text: str = ""

    @property
    def project_dir(self) -> Path:
        return self.path.parent

    def line_of_rule(self, index: int) -> int | None:
        return self.locator.line_of_rule(index)

    def where_of(self, key: Key) -> str:
        """``path:line`` of a key of the configuration (``("rules", 2, "modules")``: the
        ``modules`` option of the third rule), or the path when its line is not known."""
        line = self.locator.line_of(key)
        return f"{self.path}:{line}" if line else str(self.path)

    def locate(self, error: ConfigError) -> ConfigError:
        """The error with each of its mistakes located at its key's line."""
        return error.located_by(self.where_of)

    def line_of_root_packages(self) -> int | None:
        return self.locator.line_of_root_packages()


def load_configuration(
    source: ConfigSource, path: Path, *, import_project_code: bool = True
) -> LoadedConfig:
    """The configuration in ``path`` (as :meth:`ConfigSource.find` found it): read once,
    parsed, its plugins loaded, its rules built, the files its rules name looked up.

    Without ``import_project_code`` (a commit's configuration) the project's own plugins
    are named but not imported: the rules of their types are not checked, saying why.
    A mistake is a :class:`ConfigError` located at its line (several: every one of them)."""
    text = source.read(path)
    parsed = source.parse(path, text)

    def where(key: Key) -> str:
        line = parsed.locator().line_of(key)
        return f"{path}:{line}" if line else str(path)

    try:
        rule_types = source.rule_types(
            parsed.plugins,
            path.parent,
            root_packages=parsed.root_packages,
            import_local=import_project_code,
        )
        config = parsed.build(rule_types, import_project_code=import_project_code)
    except ConfigError as error:
        raise error.located_by(where) from None
    loaded = LoadedConfig(path, config, parsed.locator(config), text)
    mistakes = adr_mistakes(source, config.rules, path, parsed.rule_label)
    if mistakes:
        raise combined(mistakes).located_by(
            lambda key: loaded.where_of(parsed.adr_key(int(key[1])) if len(key) > 1 else key)
        )
    return loaded


def adr_mistakes(
    source: ConfigSource, rules: Sequence[Rule], config_file: Path, label: str
) -> list[ConfigError]:
    """Every rule's ``adr`` that is not a URL names a file, relative to the configuration
    file's directory ("did you mean" a file next to where it should be, where the source
    can list them); a mistake for each rule that does not (keyed ``("rules", index, "adr")``)."""
    mistakes = []
    for index, rule in enumerate(rules):
        if not rule.adr or is_url(rule.adr):
            continue
        key = ("rules", index, "adr")
        where = f"{label} #{index + 1} ('{rule.name}'): option 'adr'"
        try:
            kind = source.file_kind(config_file.parent, rule.adr, where, key=key)
        except ConfigError as error:
            mistakes.append(error)
            continue
        if kind == "file":
            continue
        if kind == "dir":
            message = f"{where}: '{rule.adr}' is a directory; name the record's file"
        else:
            parent = PurePosixPath(rule.adr).parent
            siblings = [
                str(parent / name) for name in source.files_in(config_file.parent, str(parent))
            ]
            message = (
                f"{where}: no file '{rule.adr}'{did_you_mean(rule.adr, siblings)} (a path "
                f"relative to {config_file.name}, or a URL)"
            )
        mistakes.append(ConfigError(message, key=key))
    return mistakes
