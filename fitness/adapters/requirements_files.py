"""Reading a project's declared dependencies: what every file format fills
(:class:`DeclarationReader`: each declaration with its file and line), how a file is
read (size-limited, UTF-8), and requirements files (``-r`` includes followed, never
outside the project). ``pyproject.toml`` and ``setup.cfg`` are read in
:mod:`fitness.adapters.declarations`, which names requirements files too."""

from __future__ import annotations

import re
from pathlib import Path

from fitness.adapters.installed import MAX_FILE
from fitness.domain.dependencies import Declaration, parse_requirement
from fitness.domain.errors import RuleError

#: How deep ``-r`` includes of requirements files may nest.
MAX_INCLUDES = 32


class DeclarationReader:
    """Collects the declarations of one project, with where each is written."""

    def __init__(self, project_dir: Path) -> None:
        self.project_dir = project_dir
        self.declarations: list[Declaration] = []
        self.sources: list[str] = []
        self.notes: list[str] = []
        self.project_name = ""

    def add(
        self,
        requirement: str,
        *,
        kind: str,
        group: str = "",
        file: str,
        text: str,
        line: int | None,
        section: str,
    ) -> None:
        parsed = parse_requirement(requirement)
        if parsed is None:
            return
        lines = text.splitlines()
        code = lines[line - 1].strip() if line is not None and 0 < line <= len(lines) else ""
        self.declarations.append(
            Declaration(
                name=parsed.name,
                kind=kind,
                group=group,
                file=file,
                line=line,
                code=code,
                extras=parsed.extras,
                section=section,
            )
        )


def read_text(path: Path, shown: str) -> str:
    """The text of a file the declarations are read from (``shown`` names it in errors):
    at most MAX_FILE bytes, UTF-8."""
    try:
        with path.open("rb") as stream:
            data = stream.read(MAX_FILE + 1)
    except OSError as error:
        raise RuleError(f"{shown}: cannot read: {error.strerror}") from None
    if len(data) > MAX_FILE:
        raise RuleError(f"{shown}: larger than {MAX_FILE // (1024 * 1024)} MB; not read")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise RuleError(f"{shown}: not valid UTF-8 (byte {error.start})") from None


_EGG = re.compile(r"#egg=([A-Za-z0-9][A-Za-z0-9._-]*)")


def read_requirements(
    reader: DeclarationReader,
    name: str,
    *,
    kind: str,
    group: str = "",
    section: str = "",
    _from: tuple[Path, ...] = (),
) -> None:
    """The requirements of one file (relative to the project), following ``-r``.

    Files outside the project directory are refused: what a pull request writes must
    not make fitness read other files."""
    base = _from[-1].parent if _from else reader.project_dir
    path = (base / name).resolve()
    project = reader.project_dir.resolve()
    shown = _relative(path, project)
    where = f" (included from {_relative(_from[-1], project)})" if _from else ""
    if not path.is_relative_to(project):
        raise RuleError(f"requirements file '{name}'{where} is outside the project directory")
    if path in _from:
        raise RuleError(
            f"{shown}: includes itself (through {', '.join(_relative(p, project) for p in _from)})"
        )
    if len(_from) >= MAX_INCLUDES:
        raise RuleError(f"{shown}: requirements files nested more than {MAX_INCLUDES} deep")
    if not path.is_file():
        raise RuleError(f"requirements file '{name}'{where}: no such file")
    text = read_text(path, shown)
    if not _from:
        reader.sources.append(
            shown if kind != "development requirements" else f"{shown} (development)"
        )
    for line, logical in _logical_lines(text):
        option, _, argument = logical.partition(" ")
        argument = argument.strip()
        if option in ("-r", "--requirement") or logical.startswith(("-r", "--requirement=")):
            target = argument or logical.removeprefix("--requirement=").removeprefix("-r")
            read_requirements(
                reader,
                target.strip(),
                kind=kind,
                group=group,
                section=section,
                _from=(*_from, path),
            )
            continue
        if option in ("-e", "--editable"):
            egg = _EGG.search(argument)
            if egg:
                reader.add(
                    egg.group(1),
                    kind=kind,
                    group=group,
                    file=shown,
                    text=text,
                    line=line,
                    section=section or shown,
                )
            continue
        if logical.startswith("-"):
            continue  # -c constraints, --index-url, --hash...: not declarations
        egg = _EGG.search(logical)
        requirement = egg.group(1) if egg and "://" in logical.split("#", 1)[0] else logical
        reader.add(
            requirement,
            kind=kind,
            group=group,
            file=shown,
            text=text,
            line=line,
            section=section or shown,
        )


def _logical_lines(text: str) -> list[tuple[int, str]]:
    """(first line, text) of each requirement: comments removed, ``\\`` continuations
    joined, as pip reads them."""
    found: list[tuple[int, str]] = []
    pending = ""
    start = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        line = re.sub(r"(^|\s)#.*$", "", raw)
        if not pending:
            start = number
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        logical = (pending + line).strip()
        pending = ""
        if logical:
            found.append((start, logical))
    if pending.strip():
        found.append((start, pending.strip()))
    return found


def _relative(path: Path, project: Path) -> str:
    try:
        return path.relative_to(project).as_posix()
    except ValueError:
        return str(path)
