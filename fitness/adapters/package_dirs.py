"""Where the root packages are, found statically: the project directory, its ``src/``,
then ``sys.path`` (first match wins), never ``importlib`` (which consults
``sys.modules`` and may import). Light on imports: a run that replays an unchanged
result (:mod:`fitness.adapters.replay`) locates the packages too.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path

from fitness.adapters.paths import name_problem, shown
from fitness.domain.errors import ConfigError, did_you_mean


def search_paths(project_dir: Path, extra: Sequence[str] | None = None) -> list[Path]:
    """Where root packages are looked for, first match wins."""
    paths = [project_dir / "src", project_dir]
    for entry in sys.path if extra is None else extra:
        path = Path(entry or ".").resolve()
        if path.is_dir():
            paths.append(path)
    unique: list[Path] = []
    for path in paths:
        if path not in unique:
            unique.append(path)
    return unique


def find_package_dirs(name: str, paths: Sequence[Path], *, sys_path: bool = True) -> list[Path]:
    """The directories of root package ``name``: one for a regular package, one per
    portion for a namespace package. Raise :class:`ConfigError` if absent (``sys_path``:
    whether ``paths`` go on with ``sys.path``, which the error then names as a whole).

    ``name`` may be dotted (``company.team.service``) when its parent is a
    namespace package (no ``__init__.py``), as grimp and import-linter allow:
    each part is looked for in the directories of the one before, as Python does.
    """
    parts = name.split(".")
    problem = name_problem(os.path.join(*parts), name)  # the directory it would be
    if problem is not None:
        raise ConfigError(f"root package '{shown(name)}': {problem}", key=("root_packages",))
    bases: Sequence[Path] = paths
    first_regular = ""
    for depth, part in enumerate(parts):
        prefix = ".".join(parts[: depth + 1])
        bases = _find_in(name, prefix, part, bases, on_sys_path=sys_path and depth == 0)
        if (bases[0] / "__init__.py").is_file():
            first_regular = first_regular or prefix
            if depth == len(parts) - 2:
                raise ConfigError(
                    f"root package '{name}' is inside the regular package '{prefix}' "
                    f"({bases[0] / '__init__.py'}); a root package is a top-level package "
                    f"or a portion of a namespace package (name '{first_regular}' instead?)",
                    key=("root_packages",),
                )
    return list(bases)


def _find_in(
    name: str, prefix: str, part: str, bases: Sequence[Path], *, on_sys_path: bool
) -> list[Path]:
    """The directories of package ``prefix`` (``part`` its last part) in ``bases``."""
    portions: list[Path] = []
    for base in bases:
        candidate = base / part
        if (candidate / "__init__.py").is_file():
            return [candidate]
        if candidate.is_dir():
            portions.append(candidate)
    if portions:
        return portions
    subject = f"root package '{name}'" + ("" if prefix == name else f": '{prefix}'")
    for base in bases:
        if (base / f"{part}.py").is_file():
            raise ConfigError(
                f"{subject} is a single module ({base / f'{part}.py'}), not a package",
                key=("root_packages",),
            )
    shown = bases[:2] if on_sys_path else bases
    parent = prefix.rpartition(".")[0]
    nearby = [
        f"{parent}.{entry.name}" if parent else entry.name
        for base in shown
        if base.is_dir()
        for entry in base.iterdir()
        if entry.is_dir()
        and entry.name.isidentifier()
        and ((entry / "__init__.py").is_file() or "." in name)
    ]
    where = ", ".join(str(p) for p in shown) + (" or on sys.path" if on_sys_path else "")
    found = "not found" if prefix == name else "is not"
    raise ConfigError(
        f"{subject} {found} in {where}{did_you_mean(prefix, nearby)}", key=("root_packages",)
    )
