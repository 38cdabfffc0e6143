"""``fitness init``: propose a configuration that passes today, and a baseline for the rest.

The ``[tool.fitness]`` block is appended to ``pyproject.toml`` as text, so every
other byte of the file (comments, formatting, order) stays as it was; the new
file is checked to be valid TOML before it atomically replaces the old one.
"""

from __future__ import annotations

import argparse
import re
import sys
import tomllib
from pathlib import Path
from typing import Any

from fitness.adapters.discovery import CONFIG_FILE, has_fitness_table
from fitness.adapters.pyproject import load_config
from fitness.cli.common import EXIT_OK
from fitness.domain.errors import ConfigError, FitnessError

#: Top-level directories that are not the application's packages.
NOT_APPLICATION = {"tests", "test", "testing", "docs", "doc", "examples", "benchmarks", "scripts"}


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "init",
        help="infer the architecture the code has today; write [tool.fitness] and a baseline",
        description="Inspect the packages of a project and append a [tool.fitness] "
        "configuration that passes today (layers in dependency order, independent "
        "packages, no cycles) to its pyproject.toml, leaving the rest of the file as it "
        "is; violations that remain are written to the baseline.",
    )
    parser.add_argument(
        "directory", nargs="?", type=Path, default=Path(), help="the project (default: here)"
    )
    parser.add_argument(
        "--root",
        action="append",
        metavar="PACKAGE",
        help="a root package to analyse (repeatable; default: every top-level package)",
    )
    parser.add_argument(
        "--force", action="store_true", help="replace an existing [tool.fitness] configuration"
    )
    parser.add_argument("--dry-run", action="store_true", help="print the proposal; write nothing")
    parser.set_defaults(run=run)


def find_root_packages(project: Path) -> list[str]:
    """Top-level packages (directories with ``__init__.py``) in ``src/`` or the project."""
    for base in (project / "src", project):
        if not base.is_dir():
            continue
        found = sorted(
            entry.name
            for entry in base.iterdir()
            if entry.is_dir()
            and entry.name.isidentifier()
            and entry.name not in NOT_APPLICATION
            and (entry / "__init__.py").is_file()
        )
        if found:
            return found
    return []


_FITNESS_HEADER = re.compile(r"^\s*\[\[?\s*tool\s*\.\s*fitness\s*(\.[^\]]*)?\]\]?\s*(#.*)?$")
_ANY_HEADER = re.compile(r"^\s*\[")


def without_fitness_tables(text: str) -> str:
    """The text without its ``[tool.fitness]`` tables (``--force``), other lines untouched."""
    kept: list[str] = []
    inside = False
    for line in text.splitlines(keepends=True):
        if _FITNESS_HEADER.match(line):
            inside = True
            continue
        if inside and _ANY_HEADER.match(line):
            inside = False
        if not inside:
            kept.append(line)
    return "".join(kept)


def appended(text: str, block: str) -> str:
    newline = "\r\n" if "\r\n" in text else "\n"
    if not text:
        return block
    separator = (
        ""
        if text.endswith(newline + newline)
        else newline
        if text.endswith(newline)
        else newline * 2
    )
    return text + separator + block


def run(args: argparse.Namespace) -> int:
    from fitness.adapters.baseline import DEFAULT_BASELINE, update_baseline, write_atomically
    from fitness.adapters.packages import GrimpGraphBuilder
    from fitness.adapters.plugin_loading import load_rule_types
    from fitness.adapters.session import GraphSession
    from fitness.application.checking import check_rules
    from fitness.domain.baseline import Baseline
    from fitness.domain.config import GraphSettings
    from fitness.domain.inference import propose, to_toml

    project = args.directory.resolve()
    if not project.is_dir():
        raise FitnessError(f"{args.directory}: not a directory")
    config = project / CONFIG_FILE
    original = config.read_bytes() if config.exists() else b""
    try:
        text = original.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ConfigError(f"not valid UTF-8 (byte {error.start})", str(config)) from None
    if config.exists() and has_fitness_table(config) and not args.force:
        raise FitnessError(
            f"{config} already has a [tool.fitness] configuration; use --force to replace it"
        )
    roots = args.root or find_root_packages(project)
    if not roots:
        raise FitnessError(
            f"no package (a directory with __init__.py) in {project} or {project / 'src'}; "
            "name one with --root"
        )
    graph = GrimpGraphBuilder(project).build(GraphSettings(tuple(roots)))
    registry = load_rule_types([], None)
    proposal = propose(graph, set(registry.classes))
    if not proposal.rules:
        raise FitnessError(
            f"could not infer any rule for {', '.join(roots)} (too few packages); "
            "declare [tool.fitness] yourself"
        )
    newline = "\r\n" if "\r\n" in text else "\n"
    base = without_fitness_tables(text) if args.force else text
    block = to_toml(proposal, newline=newline)
    new_text = appended(base, block)
    try:
        tomllib.loads(new_text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(
            f"cannot add [tool.fitness]: the file would not be valid TOML ({error}); "
            "nothing was written",
            str(config),
        ) from None
    if args.dry_run:
        sys.stdout.write(block)
        return EXIT_OK
    write_atomically(config, new_text)
    loaded = load_config(config)
    results = check_rules(loaded.config.rules, GraphSession(loaded, use_cache=False).graph())
    baseline = Baseline.from_results(r for r in results if not r.errors)
    message = f"fitness: added [tool.fitness] with {len(proposal.rules)} rules to {config}\n"
    if baseline.entries:
        path = project / DEFAULT_BASELINE
        update_baseline(path, lambda _old: baseline, read_current=False)
        message += (
            f"fitness: {len(baseline.entries)} violations remain; recorded in {path} "
            "(only new violations will fail)\n"
        )
    for note in proposal.notes:
        message += f"fitness: note: {note}\n"
    sys.stdout.write(message + block)
    return EXIT_OK
