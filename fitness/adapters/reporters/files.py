"""Where reports go: the context of a loaded configuration, and safe writes."""

from __future__ import annotations

import os
from pathlib import Path

from fitness._version import __version__
from fitness.adapters.baseline import os_reason
from fitness.adapters.files import write_text_safely
from fitness.adapters.paths import shown
from fitness.adapters.reporters.context import ReportContext
from fitness.application.config import LoadedConfig
from fitness.domain.errors import ConfigError


def context_for(loaded: LoadedConfig, base: Path | None = None) -> ReportContext:
    """Paths in reports are relative to ``base`` (default: the current directory) when
    the project lies inside it, as GitHub expects them relative to the repository root."""
    base = (base or Path.cwd()).resolve()
    project = loaded.project_dir.resolve()
    try:
        prefix = project.relative_to(base).as_posix()
    except ValueError:
        prefix = ""
    lines = {}
    for index, rule in enumerate(loaded.config.rules):
        line = loaded.line_of_rule(index)
        if line:
            lines[rule.name] = line
    return ReportContext(
        config_file=loaded.path.name,
        path_prefix="" if prefix == "." else prefix,
        rule_lines=lines,
        tool_version=__version__,
        blind_spots=loaded.config.blind_spots,
    )


#: Files a report never replaces: where fitness (and import-linter) read a configuration.
CONFIGURATION_NAMES = frozenset({"pyproject.toml", "setup.cfg", ".importlinter", "tox.ini"})
#: Nor Python source.
SOURCE_SUFFIXES = frozenset({".py", ".pyi", ".pyw"})


def write_report(path: Path, text: str) -> None:
    """Write a report: atomically to a regular file (readers never see half of it), in
    place to a device or a pipe (``-o /dev/stdout``), through a symbolic link. An existing
    configuration file or Python source file is never replaced (``-o pyproject.toml`` is
    a slip, not a wish): that is a :class:`ConfigError`, and the file is left alone."""
    target = Path(os.fspath(path))
    _refuse_project_file(target)
    try:
        write_text_safely(target, text)
    except OSError as error:
        raise ConfigError(
            f"cannot write the report: {os_reason(error, target)}", shown(target)
        ) from None


def _refuse_project_file(target: Path) -> None:
    try:
        if not target.is_file():
            return  # a new file, a device, a pipe
        real = target.resolve()
    except OSError:
        return  # the write says what is wrong
    what = None
    if target.name in CONFIGURATION_NAMES or real.name in CONFIGURATION_NAMES:
        what = "a configuration file"
    elif target.suffix in SOURCE_SUFFIXES or real.suffix in SOURCE_SUFFIXES:
        what = "a Python source file"
    if what:
        raise ConfigError(
            f"is {what}, not a report; write the report to a file of its own", str(target)
        )
