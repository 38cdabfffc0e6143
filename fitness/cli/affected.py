"""``fitness affected REV``: the test files the changes since REV can affect, for any runner
(``pytest --fitness-affected=REV`` deselects the others itself)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

from fitness.adapters.affected import GitChangedProject, declared_plugins
from fitness.adapters.cache_store import CacheOpening, open_cache
from fitness.adapters.pytest_settings import find_settings
from fitness.application.affected import affected_tests
from fitness.cli.common import EXIT_OK
from fitness.cli.options import add_format_option
from fitness.domain.affected import Policy
from fitness.domain.config import DEFAULT_CACHE_DIR
from fitness.domain.errors import FitnessError
from fitness.domain.rendering import printable_line


def register(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "List the test files (pytest's: its testpaths and python_files) that "
        "the changes since REV (committed since its merge base with HEAD, staged, unstaged, "
        "untracked) can affect through what they import, statically and transitively; safe "
        "first: a change imports cannot follow (a conftest.py, a configuration or non-Python "
        "file, a dynamic import that could import anything, the project's pytest plugins) "
        "selects every test it might touch, and a test that runs code out of process "
        "(subprocess, sys.executable, pytester) is always listed. One path a line, relative "
        "to the current directory; the summary on standard error."
    )
    parser.add_argument("revision", metavar="REV", help="a branch, tag or commit")
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="test files or directories (default: pytest's testpaths, else its rootdir)",
    )
    add_format_option(parser, "affected")
    parser.add_argument(
        "--always",
        action="append",
        default=[],
        metavar="GLOB",
        help="changed files matching GLOB select every test (repeatable; added to "
        "fitness_affected_always of pytest's configuration)",
    )
    parser.add_argument(
        "--never",
        action="append",
        default=[],
        metavar="GLOB",
        help="changed files matching GLOB select no test (repeatable; added to "
        "fitness_affected_never)",
    )
    parser.add_argument(
        "--no-cache", action="store_true", help="read every file, without the cache"
    )
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="say why each test file is affected"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:

    cwd = Path.cwd()
    settings = find_settings(cwd)
    opening = (
        CacheOpening(None) if args.no_cache else open_cache(settings.rootdir, DEFAULT_CACHE_DIR)
    )
    source = GitChangedProject(
        settings.rootdir,
        store=opening.store,
        pythonpath=settings.pythonpath,
        plugins=declared_plugins(settings.rootdir, settings.addopts, settings.django_settings),
        option="fitness affected",
    )
    tests = _test_files(source, settings, [cwd / p for p in args.paths] or None)
    policy = Policy(always=(*settings.always, *args.always), never=(*settings.never, *args.never))
    selection = affected_tests(source, args.revision, tests, policy)
    shown = {path: _shown(source.top / path, cwd) for path in selection.tests}
    if args.format == "json":
        data = {
            "revision": args.revision,
            "test_files": selection.total,
            "changed_modules": selection.changed_modules,
            "every_test": selection.everything,
            "reason": selection.reason,
            "affected": [shown[path] for path in selection.tests],
            "why": {shown[p]: selection.why[p] for p in selection.tests if p in selection.why},
            "ignored_changes": list(selection.ignored),
        }
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    else:
        for path in selection.tests:
            line = shown[path]
            if args.verbose and path in selection.why:
                line += f"  ({selection.why[path]})"
            sys.stdout.write(printable_line(line) + "\n")
    sys.stderr.write(printable_line(selection.line()) + "\n")
    if opening.note:
        sys.stderr.write(printable_line(f"fitness: note: {opening.note}") + "\n")
    return EXIT_OK


def _shown(path: Path, cwd: Path) -> str:
    return os.path.relpath(path, cwd).replace(os.sep, "/")


def _test_files(source: Any, settings: Any, given: list[Path] | None) -> list[str]:
    """pytest's test files (relative to the repository) under ``given`` (files or
    directories; default its ``testpaths``, else the rootdir): Python files matching
    ``python_files``, outside ``norecursedirs``; a file given by name is one."""
    roots = given or [settings.rootdir / p for p in settings.testpaths] or [settings.rootdir]
    files: list[str] = []
    listed = source.python_files()
    for root in roots:
        relative = source.relative(root)
        if relative is None:
            raise FitnessError(f"{root}: not inside the repository at {source.top}")
        if root.is_file():
            files.append(relative)
            continue
        prefix = "" if relative in ("", ".") else relative + "/"
        for path in listed:
            if not path.startswith(prefix):
                continue
            parts = path[len(prefix) :].split("/")
            if any(
                fnmatchcase(d, pattern) for d in parts[:-1] for pattern in settings.norecursedirs
            ):
                continue
            if any(fnmatchcase(parts[-1], pattern) for pattern in settings.python_files):
                files.append(path)
    return sorted(set(files))
