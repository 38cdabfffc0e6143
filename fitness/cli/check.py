"""``fitness check``: the same rules as the pytest items, without pytest."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO, cast

from fitness._lazy import LazyModule
from fitness.adapters.baseline import baseline_path
from fitness.adapters.paths import shown
from fitness.adapters.replay import Recording, parse, record
from fitness.adapters.report_formats import (
    BUILTIN_RESULT_FORMATS,
    find_result_format,
    render_in,
)
from fitness.adapters.reporters import render
from fitness.adapters.reporters.files import context_for, write_report
from fitness.adapters.session import GraphSession
from fitness.application.check import check_project
from fitness.cli.common import (
    EXIT_BROKEN,
    EXIT_OK,
    EXIT_USAGE,
    add_config_options,
    load,
    print_cache_notes,
    say,
)
from fitness.cli.options import (
    add_format_option,
    add_new_since_option,
    add_output_option,
    add_verbosity_options,
)
from fitness.domain.errors import combined
from fitness.domain.rendering import FULL, SUMMARY, is_url

# (only on GitHub Actions, for the step summary; with -q, for the verdict's line)
if TYPE_CHECKING:
    from fitness.adapters.reporters import markdown as _markdown
    from fitness.adapters.reporters import text as _text
else:
    _markdown = LazyModule("fitness.adapters.reporters.markdown")
    _text = LazyModule("fitness.adapters.reporters.text")


# (only with --new-since: reading the revision's history imports git and the metrics,
# about 90 ms)
if TYPE_CHECKING:
    from fitness.adapters import revision as _revision
else:
    _revision = LazyModule("fitness.adapters.revision")


if TYPE_CHECKING:
    from fitness.adapters.reporters import ReportContext
    from fitness.domain.violations import RuleResult


def register(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Check every rule of [tool.fitness] against the import graph. Violations "
        "recorded in the baseline (fitness-baseline.json, or `baseline` in [tool.fitness]) "
        'do not fail, nor do those of a rule of severity "warning" (unless --strict).'
    )
    add_config_options(parser)
    add_format_option(parser, "check")
    add_output_option(parser)
    parser.add_argument(
        "--rule",
        action="append",
        metavar="NAME",
        dest="rules",
        help="check only the rules of this name (repeatable; shell-style patterns such as "
        "'Layers*' select every rule they match)",
    )
    add_verbosity_options(
        parser,
        quiet="print only the verdict line, and nothing when every rule holds",
        verbose="print everything the report has (every chain of every violation)",
    )
    parser.add_argument(
        "--baseline", metavar="FILE", type=Path, help="the baseline to apply (must exist)"
    )
    parser.add_argument(
        "--no-baseline", action="store_true", help="ignore the baseline: every violation fails"
    )
    parser.add_argument(
        "--strict-baseline",
        action="store_true",
        help="baseline entries that no longer match a violation (fixed ones) fail the rule",
    )
    add_new_since_option(parser)
    parser.add_argument(
        "--strict",
        action="store_true",
        help='rules of severity "warning" fail like the others when broken',
    )
    parser.add_argument(
        "--full",
        action="store_true",
        help="show every violation and chain (the text report summarises large rules; the "
        "markdown and github formats stay within GitHub's limits unless --full is given)",
    )
    parser.add_argument(
        "--blind-spots",
        nargs="?",
        const="list",
        choices=("summary", "list", "off"),
        metavar="MODE",
        help="how to report the dynamic imports the rules cannot see, and the files not "
        "read: list (the default when the option is given without a value), summary (one "
        "line) or off; "
        "default: blind_spots in [tool.fitness], else summary",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:

    loaded = load(args.config)
    session = GraphSession(loaded, use_cache=not args.no_cache, baseline=args.baseline)
    out, err = Recording(sys.stdout), Recording(sys.stderr)
    sys.stdout, sys.stderr = cast(TextIO, out), cast(TextIO, err)
    try:
        code = _check(args, session)
    finally:
        sys.stdout, sys.stderr = out.stream, err.stream
        session.finish()
    _cache_the_run(args, session, code, out.text, err.text)
    return code


def _cache_the_run(
    args: argparse.Namespace, session: GraphSession, code: int, out: str, err: str
) -> None:
    """Cache what this run wrote, for the next one with the same words to replay if
    nothing it read changed (:mod:`fitness.adapters.replay`, which says what is)."""

    loaded = session.loaded
    command = parse(getattr(args, "words", ()))
    if err or args.output is not None or loaded is None or session.listing is None:
        return
    if args.new_since is not None:  # (what the revision names may move: measured again)
        return
    if args.format not in BUILTIN_RESULT_FORMATS:  # (a plugin's, which may change)
        return
    config = loaded.config
    replayable = not config.plugins and all(
        type(rule).__module__.startswith("fitness.domain.rules.")
        and rule.type_name != "dependencies"
        for rule in config.rules
    )
    if not replayable:
        return
    inputs = [loaded.project_dir / r.adr for r in config.rules if r.adr and not is_url(r.adr)]
    if not args.no_baseline:
        inputs.append(baseline_path(loaded, args.baseline))
    graph = {
        "roots": list(config.graph.root_packages),
        "max_file_size": config.graph.max_file_size,
        "namespaces": not config.graph.as_import_linter,
        "listing": session.listing,
    }
    record(
        session.cache(),
        command,
        loaded.path,
        graph,
        inputs,
        code=code,
        out=out,
        err=err,
        stdout=sys.stdout,
        stderr=sys.stderr,
    )


def _check(args: argparse.Namespace, session: GraphSession) -> int:

    loaded = session.loaded_config()
    report_format = find_result_format(args.format, loaded)  # (before the work: a typo fails fast)
    known_at = None
    if args.new_since is not None:
        known_at = _revision.measure_known_at(loaded, args.new_since, session.cache())
    outcome = check_project(
        session,
        patterns=args.rules or (),
        use_baseline=not args.no_baseline,
        strict=args.strict_baseline,
        warnings_fail=args.strict,
        known_at=known_at,
    )
    print_cache_notes(session)
    for warning in outcome.warnings:
        say(f"fitness: warning: {warning}")
    results = outcome.results
    full = bool(args.full or args.verbose)  # -v shows everything
    context = context_for(loaded)._replace(
        dynamic_imports=outcome.graph.blind_dynamic_imports,
        unread_files=outcome.graph.unread_files,
        notes=outcome.notes,
        limits=FULL if full else SUMMARY,
        bounded=not full,
    )
    if args.blind_spots is not None:
        context = context._replace(blind_spots=args.blind_spots)
    text = render_in(report_format, results, context)
    if args.format == "github":
        _write_step_summary(results, context)
    if args.output is not None:
        write_report(args.output, text)
        if args.format != "text":
            _print_text(args, results, context)
    elif args.format == "text":
        _print_text(args, results, context)
    else:
        sys.stdout.write(text)
    if outcome.mistakes:  # the rules are checked; their misspelt names, each at its line
        located = loaded.locate(combined(outcome.mistakes))
        sys.stderr.write("".join(f"fitness: error: {line}\n" for line in located.lines()))
    if outcome.failed:
        return EXIT_USAGE
    return EXIT_BROKEN if outcome.broken else EXIT_OK


def _write_step_summary(results: Sequence[RuleResult], context: ReportContext) -> None:
    """Append the whole markdown report to ``$GITHUB_STEP_SUMMARY`` (when set), so that the
    violations the annotations leave out are one click away."""
    path = os.environ.get("GITHUB_STEP_SUMMARY")
    if not path:
        return

    text = _markdown.render_markdown(results, context, budget=_markdown.STEP_SUMMARY_BUDGET)
    try:
        with open(path, "a", encoding="utf-8") as summary:
            summary.write(text)
    except OSError as error:
        say(
            f"fitness: warning: cannot write the job summary to {shown(path)} "
            f"($GITHUB_STEP_SUMMARY): {error.strerror or error}"
        )


def _print_text(
    args: argparse.Namespace, results: list[RuleResult], context: ReportContext
) -> None:
    """The text report on stdout; with ``-q`` only its last line (the verdict), and
    nothing at all when every rule holds."""
    if not args.quiet:
        sys.stdout.write(render("text", results, context))
    elif not all(r.passed for r in results):  # (a warning is said too)
        sys.stdout.write(_text.summary_line(results) + "\n")
