"""The report formats: the only list of them, for every command's ``--format``.

The results of ``fitness check`` can be written in :data:`RESULT_FORMATS` and in the
formats plugins add (the ``fitness_report_formats`` hook, :func:`find_result_format`);
the other commands write other things (metrics, the history, the graph) in the
formats :data:`COMMAND_FORMATS` gives them. ``--format``'s choices and help come
from here (:func:`format_choices`, :func:`format_help`). A renderer's module is
imported when a run uses it, and then only that one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NamedTuple, cast

from fitness._lazy import resolve
from fitness.adapters.config.plugins import (
    import_local_plugins,
    load_installed_plugins,
    on_sys_path,
    refuse_analysed_plugins,
    search_dirs,
    validate_plugin_names,
)
from fitness.application.config import LoadedConfig
from fitness.application.plugins import describe_exception, make_plugin_manager, report_formats
from fitness.domain.errors import ConfigError, did_you_mean
from fitness.domain.report_format import ReportFormat

_R = "fitness.adapters.reporters"

#: What renders a report: the results and a report context in, the text out.
Renderer = Callable[[Sequence[object], object], object]

#: The built-in formats of check results (``fitness check --format``, ``--fitness-report``).
RESULT_FORMATS: tuple[ReportFormat, ...] = (
    ReportFormat("text", f"{_R}.text:render"),
    ReportFormat("json", f"{_R}.json_report:render"),
    ReportFormat("sarif", f"{_R}.sarif:render", "SARIF 2.1.0"),
    ReportFormat("github", f"{_R}.github:render", "workflow annotations"),
    ReportFormat("markdown", f"{_R}.markdown:render", "a pull-request comment or job summary"),
)


class OutputFormat(NamedTuple):
    """A format of a command that writes something other than check results."""

    name: str
    help: str = ""


#: Each command's formats, the default first. ``check``'s are :data:`RESULT_FORMATS`,
#: to which plugins add.
COMMAND_FORMATS: dict[str, tuple[OutputFormat, ...]] = {
    "check": tuple(OutputFormat(f.name, f.help) for f in RESULT_FORMATS),
    "metrics": (OutputFormat("text"), OutputFormat("json"), OutputFormat("csv")),
    "coverage": (OutputFormat("text"), OutputFormat("json")),
    "history": (
        OutputFormat("text", "a table"),
        OutputFormat("csv", "a row per commit"),
        OutputFormat("json"),
        OutputFormat("html", "charts"),
    ),
    "graph": (
        OutputFormat("dot", "Graphviz"),
        OutputFormat("mermaid", "rendered by GitHub in markdown"),
    ),
    "rules": (OutputFormat("text"), OutputFormat("json", "for tools")),
    "affected": (OutputFormat("text"), OutputFormat("json")),
}


def format_choices(command: str) -> tuple[str, ...]:
    return tuple(output.name for output in COMMAND_FORMATS[command])


def format_help(command: str) -> str:
    """``text (default), json or csv``, each with its help in brackets (and, for
    ``check``, that plugins may add formats)."""
    formats = COMMAND_FORMATS[command]
    shown = []
    for index, output in enumerate(formats):
        notes = ["default"] if index == 0 else []
        notes += [output.help] if output.help else []
        shown.append(f"{output.name} ({': '.join(notes)})" if notes else output.name)
    text = shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} or {shown[-1]}"
    return f"{text}, or a format a plugin adds" if command == "check" else text


BUILTIN_RESULT_FORMATS = {report_format.name: report_format for report_format in RESULT_FORMATS}


def find_result_format(name: str, loaded: LoadedConfig | None = None) -> ReportFormat:
    """The format of check results called ``name``: a built-in one, or one a plugin adds
    (the installed plugins' and ``loaded``'s own; loaded only for a name not built in).
    A :class:`ConfigError` when there is none, or when a plugin's clashes with a built-in."""
    if name in BUILTIN_RESULT_FORMATS:
        return BUILTIN_RESULT_FORMATS[name]
    added = plugin_result_formats(loaded, name)
    for report_format in added:
        if report_format.name == name:
            return report_format
    known = [*BUILTIN_RESULT_FORMATS, *(f.name for f in added)]
    raise ConfigError(
        f"unknown format '{name}'{did_you_mean(name, known)} (the formats: {', '.join(known)}"
        + ("" if added else "; plugins may add others")
        + ")"
    )


def plugin_result_formats(
    loaded: LoadedConfig | None, chosen: str | None = None
) -> tuple[ReportFormat, ...]:
    """The formats the plugins add: those installed, and the configuration's own. The
    renderer of ``chosen``, if given as ``module:function``, is imported now (a local
    plugin's module is importable only while its directory is on ``sys.path``)."""

    names: list[str] = []
    project_dir: Path | None = None
    if loaded is not None and not loaded.config.graph.as_import_linter:
        names = validate_plugin_names(list(loaded.config.plugins))
        refuse_analysed_plugins(names, list(loaded.config.graph.root_packages))
        project_dir = loaded.project_dir
    installed = load_installed_plugins()
    with on_sys_path(search_dirs(project_dir)):
        local = import_local_plugins(names, project_dir) if names else []
        added = report_formats(make_plugin_manager(local, installed), BUILTIN_RESULT_FORMATS)
        return tuple(_loaded(f) if f.name == chosen else f for f in added)


def _loaded(report_format: ReportFormat) -> ReportFormat:
    """The format with its renderer imported (when given by where it is)."""
    if not isinstance(report_format.renderer, str):
        return report_format

    try:
        renderer = resolve(report_format.renderer)
    except Exception as error:
        reason = describe_exception(error)
        if f" ({__file__}:" in reason:  # (the import failed here, not in the plugin)
            reason = reason[: reason.rindex(f" ({__file__}:")]
        raise ConfigError(
            f"report format '{report_format.name}': cannot import its renderer "
            f"'{report_format.renderer}': {reason}"
        ) from None
    if not callable(renderer):
        raise ConfigError(
            f"report format '{report_format.name}': '{report_format.renderer}' is not a function"
        )
    return ReportFormat(report_format.name, renderer, report_format.help)


def render_in(report_format: ReportFormat, results: Sequence[object], context: object) -> str:
    """The report in ``report_format``; a plugin's renderer that fails or returns no text
    is an error naming the format (not a traceback)."""
    renderer = report_format.renderer
    function = cast(Renderer, resolve(renderer) if isinstance(renderer, str) else renderer)
    if report_format.name in BUILTIN_RESULT_FORMATS:
        return str(function(results, context))

    try:
        text = function(results, context)
    except Exception as error:
        raise ConfigError(
            f"report format '{report_format.name}' ({report_format.target}) failed: "
            f"{describe_exception(error)}"
        ) from None
    if not isinstance(text, str):
        raise ConfigError(
            f"report format '{report_format.name}' ({report_format.target}) must return "
            f"text, not {type(text).__name__}"
        )
    return text
