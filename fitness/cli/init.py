"""``fitness init``: propose a configuration whose every rule holds today; with
``--baseline``, the rules of the layouts it recognises even where today's code breaks
them, with those violations recorded in the baseline.

The ``[tool.fitness]`` block is written into ``pyproject.toml`` as text (in the
place of the old one with ``--force``, else at the end), so every other byte of
the file (comments, formatting, order) stays as it was; the new file is checked
to parse to the same data outside ``[tool.fitness]`` before it atomically
replaces the old one (through a symbolic link, to its target).
"""

from __future__ import annotations

import argparse
import os
import re
import tomllib
from pathlib import Path
from typing import Any

from fitness.adapters.baseline import DEFAULT_BASELINE, check_may_replace, update_baseline
from fitness.adapters.config.discovery import CONFIG_FILE
from fitness.adapters.config.plugins import load_rule_types
from fitness.adapters.dependency_metadata import attach_dependency_metadata
from fitness.adapters.files import write_text_safely
from fitness.adapters.packages import GrimpGraphBuilder
from fitness.adapters.paths import check_file_name, is_outside, shown
from fitness.adapters.toml_edit import TomlScanError, replace_fitness
from fitness.application.checking import check_rules
from fitness.cli.common import EXIT_OK, say_text
from fitness.domain.baseline import Baseline
from fitness.domain.config import GraphSettings, parse_config
from fitness.domain.errors import ConfigError, FitnessError
from fitness.domain.inference import propose, to_toml
from fitness.domain.inference.dependencies import with_dependencies
from fitness.domain.inference.vocabulary import NOT_APPLICATION, is_test


def register(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Inspect the packages of a project and add to its pyproject.toml a "
        "[tool.fitness] configuration: the rules of the layouts it recognises (ports and "
        "adapters, onion, CQRS, events, modular monoliths, bounded contexts, Django projects, "
        "layered web services) and of what the imports say (layers in the order the packages "
        "reach each other, independent packages, no cycles), each checked by the rule code "
        "that `fitness check` runs. Without --baseline every rule holds today; the rest of "
        "the file stays as it is."
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
    parser.add_argument(
        "--baseline",
        nargs="?",
        const=Path("fitness-baseline.json"),  # adapters.baseline.DEFAULT_BASELINE
        metavar="FILE",
        type=Path,
        help="also propose the rules of the recognised layouts that today's code breaks, and "
        "record their violations in FILE (default fitness-baseline.json next to "
        "pyproject.toml): the backlog, so that the proposal passes",
    )
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="print the configuration and what `fitness check` would say of it; write nothing",
    )
    parser.set_defaults(run=run)


def find_root_packages(project: Path) -> list[str]:
    """Top-level packages (directories with ``__init__.py``) in ``src/`` or the project
    (``src`` itself, where it is a package: its code imports ``src.app``)."""
    src = project / "src"
    bases = [project] if (src / "__init__.py").is_file() else [src, project]
    for base in bases:
        if not base.is_dir():
            continue
        found = sorted(
            entry.name
            for entry in base.iterdir()
            if entry.is_dir()
            and entry.name.isidentifier()
            and entry.name not in NOT_APPLICATION
            and not is_test(entry.name)
            and (entry / "__init__.py").is_file()
        )
        if found:
            return found
    return []


def read_pyproject(config: Path) -> str:
    """The text of ``pyproject.toml`` ("" if there is none); errors name the file."""
    if not config.exists() and not config.is_symlink():
        return ""
    if config.is_dir():
        raise FitnessError(f"{config}: is a directory, not a file; nothing was written")
    try:
        data = config.read_bytes()
    except OSError as error:
        raise FitnessError(
            f"{config}: cannot read it ({error.strerror or error}); nothing was written"
        ) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ConfigError(f"not valid UTF-8 (byte {error.start})", str(config)) from None


def parse_toml(text: str, where: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        match = re.search(r"\(at line (\d+), column (\d+)\)", str(error))
        reason = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(error))
        location = f"{where}:{match.group(1)}" if match else str(where)
        raise ConfigError(
            f"invalid TOML: {reason}; fix it first, nothing was written", location
        ) from None


def edited(text: str, block: str, config: Path) -> str:
    """``text`` with ``block`` as its ``[tool.fitness]``, checked to change nothing else."""

    before = parse_toml(text, config)
    try:
        new_text = replace_fitness(text, block)
        after = tomllib.loads(new_text)
    except (TomlScanError, tomllib.TOMLDecodeError):
        after = None
    if after is not None:
        before.get("tool", {}).pop("fitness", None)
        added = after.get("tool", {}).pop("fitness", None)
        if not after.get("tool") and "tool" not in before:
            after.pop("tool", None)
        if after == before and added == tomllib.loads(block)["tool"]["fitness"]:
            return new_text
    raise ConfigError(
        "cannot replace [tool.fitness] without changing the rest of the file; "
        "nothing was written (remove the old [tool.fitness] by hand, then run fitness init)",
        str(config),
    )


def write_config(config: Path, text: str) -> None:
    """Write atomically; through a symbolic link to its target, never replacing the link."""

    target = config.resolve() if config.is_symlink() else config
    try:
        write_text_safely(target, text)
    except OSError as error:
        raise FitnessError(
            f"{config}: cannot write it ({error.strerror or error}); nothing was written"
        ) from None


def run(args: argparse.Namespace) -> int:

    check_file_name(args.directory, "directory")
    project = args.directory.resolve()
    if not project.is_dir():
        raise FitnessError(f"{args.directory}: not a directory")
    config = project / CONFIG_FILE
    baseline_file, configured = _baseline_file(args.baseline, project)
    text = read_pyproject(config)
    if "fitness" in parse_toml(text, config).get("tool", {}) and not args.force:
        raise FitnessError(
            f"{config} already has a [tool.fitness] configuration; use --force to replace it"
        )
    roots = args.root or find_root_packages(project)
    if not roots:
        raise FitnessError(
            f"no package (a directory with __init__.py) in {project} or {project / 'src'}; "
            "name one with --root"
        )
    # With external packages: the style rules that need them (a hexagon's pure domain)
    # are judged as the configuration will check them (it then builds the graph so).
    graph = GrimpGraphBuilder(project).build(
        GraphSettings(tuple(roots), include_external_packages=True)
    )
    registry = load_rule_types([], None)
    proposal = propose(graph, registry.classes, backlog=args.baseline is not None)
    # Third-party dependencies (declared in the project's metadata, installed here).
    attach_dependency_metadata(graph, project)
    proposal = with_dependencies(proposal, graph, registry.classes)
    if not proposal.rules:
        raise FitnessError(
            f"could not infer any rule that holds for {', '.join(roots)} (too few packages, "
            "or packages that all import each other); declare [tool.fitness] yourself"
        )
    newline = "\r\n" if "\r\n" in text else "\n"
    block = to_toml(proposal, newline=newline)
    new_text = edited(text, block, config)
    # The outcome, judged as `fitness check` will judge it: the exact table, parsed and
    # checked by the same code.
    table = tomllib.loads(block)["tool"]["fitness"]
    results = check_rules(parse_config(table, registry.classes).rules, graph)
    baseline = Baseline.from_results(r for r in results if not r.errors)
    if baseline.entries and configured:  # the configuration names the file
        block = to_toml(proposal, baseline=configured, newline=newline)
        new_text = edited(text, block, config)
    if baseline.entries and not args.dry_run:
        check_may_replace(baseline_file, config=config)  # before anything is written
    out = [] if args.dry_run else [f"fitness: added [tool.fitness] to {config}"]
    out.append(block.rstrip("\r\n").replace("\r\n", "\n"))
    out += recognised(proposal.recognised)
    out += outcome(results, proposal.dropped, baseline.violation_count, proposal.held_back)
    if args.dry_run:
        out.append(f"fitness: dry run: nothing written ({config} is unchanged)")
    else:
        write_config(config, new_text)
        if baseline.entries:
            update_baseline(baseline_file, lambda _old: baseline, read_current=False)
            out.append(f"fitness: recorded them in {baseline_file} (only new violations will fail)")
    say_text("\n".join(out))
    return EXIT_OK


def _baseline_file(option: Path | None, project: Path) -> tuple[Path, str | None]:
    """Where the baseline goes (``--baseline FILE``, relative to the current directory,
    else the default file next to pyproject.toml), and what the configuration must say
    of it (``None``: nothing, it is the default file)."""

    default = project / DEFAULT_BASELINE
    if option is None or option == Path(DEFAULT_BASELINE):  # the option's default
        return default, None
    path = option.absolute()
    if path.is_dir():
        raise FitnessError(
            f"--baseline {option}: is a directory; --baseline takes the baseline file to "
            "write (name the project first: fitness init DIRECTORY --baseline)"
        )
    if path == default:
        return default, None
    if is_outside(project, path):
        # (the configuration names the file, and may name only one inside the project)
        raise FitnessError(
            f"--baseline {shown(option)}: outside the project {project} (links followed); "
            "the configuration fitness init writes names the baseline file, and a "
            "configuration may name only a file inside its project: choose one there"
        )
    where = os.path.join(os.path.realpath(path.parent), path.name)  # (project is resolved too)
    return path, os.path.relpath(where, project).replace(os.sep, "/")


def recognised(lines: tuple[str, ...]) -> list[str]:
    """What was recognised in the layout, and why."""
    if not lines:
        return ["fitness: recognised no known layout (the rules follow the imports alone)"]
    return ["fitness: recognised", *(f"  {line}" for line in lines)]


def outcome(
    results: list[Any],
    dropped: tuple[str, ...],
    baselined: int,
    held_back: tuple[str, ...] = (),
) -> list[str]:
    """What `fitness check` will say of the proposed rules today."""
    holding = [r for r in results if r.passed]
    lines = [
        f"fitness: {len(holding)} of {len(results)} rules hold today"
        + (" (nothing to baseline)" if not baselined else "")
    ]
    for result in results:
        verdict = "holds " if result.passed else "BROKEN"
        count = len(result.violations)
        detail = "" if result.passed else f" ({count} violation{'s' * (count != 1)})"
        lines.append(f"  {verdict}  {result.rule_name}{detail}")
    if baselined:
        lines.append(
            f"fitness: {baselined} known violation{'s go' if baselined != 1 else ' goes'} "
            "to the baseline"
        )
    if dropped:
        lines.append(
            f"fitness: left out {len(dropped)} candidate rule{'s' * (len(dropped) != 1)} "
            f"that would not hold today: {', '.join(dropped)}"
        )
    if held_back:
        count = len(held_back)
        lines.append(
            f"fitness: {count} rule{'s' * (count != 1)} of the recognised layouts "
            f"{'do' if count != 1 else 'does'} not hold today: {', '.join(held_back)}; "
            "`fitness init --baseline` proposes "
            f"{'them' if count != 1 else 'it'} with today's violations recorded in the baseline"
        )
    return lines
