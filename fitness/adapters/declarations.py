"""A project's declared dependencies, each with its file and line, read statically.

From ``pyproject.toml`` (``[project]`` dependencies and optional-dependencies, PEP 735
``[dependency-groups]`` with their includes, Poetry's dependency tables, PDM's and
uv's development dependencies, setuptools' dynamic ``file =`` dependencies),
``setup.cfg`` (``install_requires``, ``extras_require``, ``file:``) and the
requirements files asked for (``-r`` includes followed, never outside the project:
:mod:`fitness.adapters.requirements_files`).
``setup.py`` is never run. Errors are :class:`~fitness.domain.errors.RuleError`
naming the file and line: the ``dependencies`` rule cannot be checked.
"""

from __future__ import annotations

import configparser
import re
import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from fitness.adapters.config.pyproject import locate_key
from fitness.adapters.requirements_files import DeclarationReader, read_requirements, read_text
from fitness.domain.dependencies import (
    Declarations,
    DependencyRequest,
    normalise,
)
from fitness.domain.errors import RuleError, did_you_mean

PYPROJECT = "pyproject.toml"
SETUP_CFG = "setup.cfg"


def read_declarations(project_dir: Path, request: DependencyRequest) -> Declarations:
    """Everything ``project_dir`` declares, and the requirements files ``request`` names.

    A :class:`RuleError` naming the file and line if a file is malformed, or if nothing
    declares the project's dependencies at all (the rule would report every import)."""
    reader = DeclarationReader(project_dir)
    pyproject = project_dir / PYPROJECT
    dynamic = False
    if pyproject.is_file():
        dynamic = _read_pyproject(reader, pyproject)
    setup_cfg = project_dir / SETUP_CFG
    if setup_cfg.is_file():
        _read_setup_cfg(reader, setup_cfg)
    for name in request.requirements_files:
        read_requirements(reader, name, kind="requirements")
    for name in request.development_requirements_files:
        read_requirements(reader, name, kind="development requirements")
    if dynamic and not any(d.kind in ("dependencies", "requirements") for d in reader.declarations):
        raise RuleError(
            f"{PYPROJECT}: [project] says its dependencies are dynamic (set by the build "
            "backend), and fitness cannot read them without running it; name the files "
            "they come from with requirements_files"
        )
    if not reader.sources:
        suggestion = next(
            (
                f'requirements_files = ["{name}"]'
                for name in ("requirements.txt", "requirements.in")
                if (project_dir / name).is_file()
            ),
            "requirements_files",
        )
        setup_py = " (setup.py is never run)" if (project_dir / "setup.py").is_file() else ""
        raise RuleError(
            f"no dependency is declared in {project_dir}: no [project] table or Poetry "
            f"dependencies in {PYPROJECT}, no install_requires in {SETUP_CFG}{setup_py}; "
            f"declare them there, or name the requirements files with {suggestion}"
        )
    project_key = normalise(reader.project_name) if reader.project_name else ""
    return Declarations(
        declarations=tuple(d for d in reader.declarations if d.key != project_key),
        project_name=reader.project_name,
        sources=tuple(dict.fromkeys(reader.sources)),
        notes=tuple(reader.notes),
    )


def _read_pyproject(reader: DeclarationReader, path: Path) -> bool:
    """Read the declarations of ``pyproject.toml``; whether its ``[project]``
    dependencies are dynamic (and not found in ``[tool.setuptools.dynamic]``)."""

    text = read_text(path, PYPROJECT)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        match = re.search(r"\(at line (\d+), column (\d+)\)", str(error))
        reason = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(error))
        where = f"{PYPROJECT}:{match.group(1)}" if match else PYPROJECT
        raise RuleError(f"{where}: invalid TOML: {reason}") from None
    except RecursionError:
        raise RuleError(f"{PYPROJECT}: invalid TOML: nested too deeply") from None
    dynamic = False
    project = data.get("project")
    if isinstance(project, dict):
        reader.sources.append(f"{PYPROJECT} [project]")
        if isinstance(project.get("name"), str):
            reader.project_name = project["name"]
        for requirement in _strings(
            project.get("dependencies", []), text, "project", "dependencies"
        ):
            reader.add(
                requirement,
                kind="dependencies",
                file=PYPROJECT,
                text=text,
                line=_line_of(text, "project", "dependencies", requirement),
                section="[project] dependencies",
            )
        extras = _table(
            project.get("optional-dependencies", {}), text, "project", "optional-dependencies"
        )
        for extra, requirements in extras.items():
            table = "project.optional-dependencies"
            for requirement in _strings(requirements, text, table, extra):
                reader.add(
                    requirement,
                    kind="extra",
                    group=extra,
                    file=PYPROJECT,
                    text=text,
                    line=_line_of(text, table, extra, requirement),
                    section=f"[project.optional-dependencies] {extra}",
                )
        dynamic_fields = project.get("dynamic", [])
        if isinstance(dynamic_fields, list) and "dependencies" in dynamic_fields:
            dynamic = not _read_setuptools_dynamic(reader, data, text)
        elif isinstance(dynamic_fields, list) and "optional-dependencies" in dynamic_fields:
            _read_setuptools_dynamic(reader, data, text)
    _read_dependency_groups(reader, data.get("dependency-groups"), text)
    _read_poetry(reader, data, text)
    _read_tool_groups(reader, data, text)
    return dynamic


def _read_setuptools_dynamic(reader: DeclarationReader, data: dict[str, Any], text: str) -> bool:
    """``[tool.setuptools.dynamic]`` ``dependencies = {file = [...]}`` (and the optional
    dependencies'): whether the dependencies were found there."""
    dynamic = data.get("tool", {}).get("setuptools", {}).get("dynamic", {})
    if not isinstance(dynamic, dict):
        return False
    found = False
    files = dynamic.get("dependencies")
    if isinstance(files, dict) and "file" in files:
        for name in _file_list(files["file"]):
            read_requirements(reader, name, kind="dependencies", section="dynamic dependencies")
            found = True
    extras = dynamic.get("optional-dependencies")
    if isinstance(extras, dict):
        for extra, spec in extras.items():
            if isinstance(spec, dict) and "file" in spec:
                for name in _file_list(spec["file"]):
                    read_requirements(reader, name, kind="extra", group=str(extra))
    return found


def _file_list(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _read_dependency_groups(reader: DeclarationReader, groups: Any, text: str) -> None:
    """PEP 735 ``[dependency-groups]``, each group's ``{include-group = "..."}`` followed."""
    if groups is None:
        return
    groups = _table(groups, text, "dependency-groups", None)
    reader.sources.append(f"{PYPROJECT} [dependency-groups]")

    def expand(group: str, seen: tuple[str, ...]) -> list[tuple[str, str]]:
        """(requirement, the group it is written in) of ``group`` and its includes."""
        if group in seen:
            chain = " -> ".join((*seen, group))
            raise RuleError(
                f"{PYPROJECT}:{_line_of(text, 'dependency-groups', group, None)}: "
                f"[dependency-groups] include each other: {chain}"
            )
        if group not in groups:
            hint = _known(group, groups)
            raise RuleError(
                f"{PYPROJECT}:{_line_of(text, 'dependency-groups', seen[-1], None)}: "
                f"[dependency-groups] {seen[-1]}: include-group '{group}' names no group{hint}"
            )
        items = groups[group]
        if not isinstance(items, list):
            raise RuleError(
                f"{PYPROJECT}:{_line_of(text, 'dependency-groups', group, None)}: "
                f"[dependency-groups] {group} must be a list"
            )
        found: list[tuple[str, str]] = []
        for item in items:
            if isinstance(item, str):
                found.append((item, group))
            elif isinstance(item, dict) and isinstance(item.get("include-group"), str):
                found.extend(expand(item["include-group"], (*seen, group)))
            else:
                raise RuleError(
                    f"{PYPROJECT}:{_line_of(text, 'dependency-groups', group, None)}: "
                    f"[dependency-groups] {group}: each item must be a requirement string "
                    'or {include-group = "..."}'
                )
        return found

    for group in groups:
        for requirement, written_in in expand(group, ()):
            reader.add(
                requirement,
                kind="group",
                group=group,
                file=PYPROJECT,
                text=text,
                line=_line_of(text, "dependency-groups", written_in, requirement),
                section=f"[dependency-groups] {group}",
            )


def _read_poetry(reader: DeclarationReader, data: dict[str, Any], text: str) -> None:
    poetry = data.get("tool", {}).get("poetry")
    if not isinstance(poetry, dict):
        return
    if isinstance(poetry.get("name"), str) and not reader.project_name:
        reader.project_name = poetry["name"]
    tables: list[tuple[str, Any, str, str]] = []  # (table, its value, kind, group)
    if "dependencies" in poetry:
        tables.append(("tool.poetry.dependencies", poetry["dependencies"], "dependencies", ""))
    if "dev-dependencies" in poetry:
        tables.append(("tool.poetry.dev-dependencies", poetry["dev-dependencies"], "group", "dev"))
    groups = poetry.get("group", {})
    if isinstance(groups, dict):
        for group, spec in groups.items():
            if isinstance(spec, dict) and "dependencies" in spec:
                table = f"tool.poetry.group.{group}.dependencies"
                tables.append((table, spec["dependencies"], "group", str(group)))
    if tables:
        reader.sources.append(f"{PYPROJECT} [tool.poetry]")
    for table, value, kind, group in tables:
        entries = _table(value, text, table, None)
        for name in entries:
            if name.lower() == "python":
                continue
            reader.add(
                name,
                kind=kind,
                group=group,
                file=PYPROJECT,
                text=text,
                line=_entry_line(text, table, name),
                section=f"[{table}]",
            )


def _read_tool_groups(reader: DeclarationReader, data: dict[str, Any], text: str) -> None:
    """PDM's ``[tool.pdm.dev-dependencies]`` and uv's ``[tool.uv] dev-dependencies``:
    development groups written before PEP 735."""
    tool = data.get("tool", {})
    pdm = tool.get("pdm", {}).get("dev-dependencies") if isinstance(tool.get("pdm"), dict) else None
    if pdm is not None:
        reader.sources.append(f"{PYPROJECT} [tool.pdm.dev-dependencies]")
        for group, requirements in _table(pdm, text, "tool.pdm.dev-dependencies", None).items():
            for requirement in _strings(requirements, text, "tool.pdm.dev-dependencies", group):
                reader.add(
                    requirement,
                    kind="group",
                    group=group,
                    file=PYPROJECT,
                    text=text,
                    line=_line_of(text, "tool.pdm.dev-dependencies", group, requirement),
                    section=f"[tool.pdm.dev-dependencies] {group}",
                )
    uv = tool.get("uv", {}).get("dev-dependencies") if isinstance(tool.get("uv"), dict) else None
    if uv is not None:
        reader.sources.append(f"{PYPROJECT} [tool.uv] dev-dependencies")
        for requirement in _strings(uv, text, "tool.uv", "dev-dependencies"):
            reader.add(
                requirement,
                kind="group",
                group="dev",
                file=PYPROJECT,
                text=text,
                line=_line_of(text, "tool.uv", "dev-dependencies", requirement),
                section="[tool.uv] dev-dependencies",
            )


def _strings(value: Any, text: str, table: str, key: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        line = _key_line(text, table, key)
        where = f"{PYPROJECT}:{line}" if line else PYPROJECT
        raise RuleError(f"{where}: [{table}] {key} must be a list of requirement strings")
    return value


def _table(value: Any, text: str, table: str, key: str | None) -> dict[str, Any]:
    if not isinstance(value, dict):
        line = _key_line(text, table, key) if key else _key_line(text, table, None)
        where = f"{PYPROJECT}:{line}" if line else PYPROJECT
        name = f"[{table}] {key}" if key else f"[{table}]"
        raise RuleError(f"{where}: {name} must be a table")
    return value


def _known(name: str, names: Iterable[str]) -> str:
    return did_you_mean(name, names)


def _key_line(text: str, table: str, key: str | None) -> int | None:

    return locate_key(text, table, (key,) if key else ())


def _entry_line(text: str, table: str, key: str) -> int | None:
    """The line of ``key = ...`` (the key quoted or not) in ``[table]``, or the table's."""
    start = _key_line(text, table, None)
    lines = text.splitlines()
    pattern = re.compile(rf"""^\s*(["']?){re.escape(key)}\1\s*=""")
    for number in range((start or 0) + 1, len(lines) + 1):
        line = lines[number - 1]
        if _TABLE_HEADER.match(line):
            break
        if pattern.match(line):
            return number
    return start


def _line_of(text: str, table: str, key: str, value: str | None) -> int | None:
    """The line of ``value`` (a quoted string) in the array ``key`` of ``table``: from
    the key's line to the next table; else anywhere in the file; else the key's line."""
    start = _key_line(text, table, key)
    if value is None:
        return start
    lines = text.splitlines()
    quoted = (f'"{value}"', f"'{value}'")
    first = start or 1
    for number in range(first, len(lines) + 1):
        line = lines[number - 1]
        if number > first and _TABLE_HEADER.match(line):
            break
        if any(q in line for q in quoted):
            return number
    for number, line in enumerate(lines, start=1):
        if any(q in line for q in quoted):
            return number
    return start


_TABLE_HEADER = re.compile(
    r"""^\[\[?\s*[A-Za-z0-9_-]+(\s*\.\s*[A-Za-z0-9_"'-]+)*\s*\]\]?\s*(#.*)?$"""
)


# --------------------------------------------------------------------------------------
# setup.cfg
# --------------------------------------------------------------------------------------


def _read_setup_cfg(reader: DeclarationReader, path: Path) -> None:

    text = read_text(path, SETUP_CFG)
    parser = configparser.RawConfigParser(strict=False, interpolation=None)
    try:
        parser.read_string(text, source=SETUP_CFG)
    except configparser.Error as error:
        line = getattr(error, "lineno", None)
        where = f"{SETUP_CFG}:{line}" if line else SETUP_CFG
        raise RuleError(
            f"{where}: not a valid setup.cfg ({error.message.splitlines()[0]})"
        ) from None
    if parser.has_option("metadata", "name") and not reader.project_name:
        reader.project_name = parser.get("metadata", "name").strip()
    read = False
    if parser.has_option("options", "install_requires"):
        read = True
        for requirement in _cfg_requirements(reader, parser.get("options", "install_requires")):
            reader.add(
                requirement,
                kind="dependencies",
                file=SETUP_CFG,
                text=text,
                line=_cfg_line(text, "options", "install_requires", requirement),
                section="[options] install_requires",
            )
    if parser.has_section("options.extras_require"):
        read = True
        for extra, value in parser.items("options.extras_require"):
            for requirement in _cfg_requirements(reader, value):
                reader.add(
                    requirement,
                    kind="extra",
                    group=extra,
                    file=SETUP_CFG,
                    text=text,
                    line=_cfg_line(text, "options.extras_require", extra, requirement),
                    section=f"[options.extras_require] {extra}",
                )
    if read or parser.has_section("options"):
        reader.sources.append(f"{SETUP_CFG} [options]")


def _cfg_requirements(reader: DeclarationReader, value: str) -> list[str]:
    """A setup.cfg list of requirements as setuptools reads it: one per line (or
    separated by ``;`` on one line), ``#`` comments left out, ``file:`` read."""
    value = value.strip()
    if value.startswith("file:"):
        for name in value[len("file:") :].split(","):
            read_requirements(reader, name.strip(), kind="dependencies")
        return []
    items = value.splitlines() if "\n" in value else value.split(";")
    return [item.strip() for item in items if item.strip() and not item.strip().startswith("#")]


def _cfg_line(text: str, section: str, key: str, value: str) -> int | None:
    """The line of ``value`` under ``key`` in ``[section]`` of an INI text."""
    lines = text.splitlines()
    in_section = False
    key_line = None
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if stripped.startswith("[") and stripped.endswith("]"):
            if key_line is not None:
                break
            in_section = stripped[1:-1].strip() == section
            continue
        if not in_section:
            continue
        if key_line is None:
            name, sep, rest = line.partition("=")
            if sep and name.strip().lower() == key.lower():
                key_line = number
                if rest.strip() == value or (value in rest and ";" in rest):
                    return number
            continue
        if stripped == value:
            return number
    return key_line
