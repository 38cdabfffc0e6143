"""Regenerate the parts of the documentation that are produced, not written.

    python scripts/gen_docs.py           # rewrite what changed
    python scripts/gen_docs.py --check   # exit 1 if a page is out of date (what the test does)

Each generated part sits in a page between two markers:

    <!-- generated: NAME -->
    ...
    <!-- end -->

and is produced here from the code itself, so that it cannot drift from it:

- ``cli``: every subcommand of ``fitness`` (usage, description, options with their help),
  from the argparse parsers of :mod:`fitness.cli`, and the options of the pytest plugin;
- ``configuration``: the keys of ``[tool.fitness]`` (their types from
  :data:`fitness.domain.config.SETTINGS`) and every built-in rule type's options, from the
  option docs that ``fitness rules`` shows;
- ``shop-*`` and ``own-architecture``: output of the ``fitness`` command run on a temporary
  copy of ``examples/shop`` (with the changes the page describes) or on this repository.

``tests/docs/test_docs.py`` regenerates everything in memory and compares it with the files.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Callable, Collection, Iterator, Mapping
from pathlib import Path
from typing import Any, NamedTuple

ROOT = Path(__file__).resolve().parent.parent
SHOP = ROOT / "examples" / "shop"
LIBRARY = ROOT / "examples" / "library"
MARKETPLACE = ROOT / "examples" / "marketplace"
#: A project laid out as in "Architecture Patterns with Python" (a test fixture).
COSMIC = ROOT / "tests" / "cli" / "layouts" / "cosmic"
#: The files that may hold generated parts (README.md links to the pages, and shows two;
#: the site's navigation and the typing imports of fitness/__init__.py list the rule types).
PAGES = ("README.md", "docs", "mkdocs.yml", "fitness/__init__.py")

if str(ROOT) not in sys.path:  # the fitness of this checkout, also when not installed
    sys.path.insert(0, str(ROOT))

MARKER = re.compile(r"<!-- generated: ([\w-]+) -->\n(.*?)<!-- end -->", re.DOTALL)
#: The markers of a generated part in a Python or YAML file: ``# generated: NAME`` ... ``# end``,
#: at the same indentation.
HASH_MARKER = re.compile(r"(?ms)^([ \t]*)# generated: ([\w-]+)\n(.*?)^\1# end$")


def markers(path: Path, text: str) -> list[str]:
    """The names of the generated parts of a file."""
    if path.suffix == ".md":
        return [match.group(1) for match in MARKER.finditer(text)]
    return [match.group(2) for match in HASH_MARKER.finditer(text)]


# --------------------------------------------------------------------------------------
# The command line reference
# --------------------------------------------------------------------------------------

WIDTH = 88  # usage lines are wrapped at 88 columns

# Usage lines and option names are written here rather than by argparse's private
# formatter, whose output changes between Python versions (3.13 writes "-o, --output FILE").


def _subparsers(parser: argparse.ArgumentParser) -> Mapping[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _metavar(action: argparse.Action) -> str:
    if action.metavar is not None:
        return str(action.metavar)
    if action.choices is not None:
        return "{" + ",".join(str(c) for c in action.choices) + "}"
    return action.dest.upper() if action.option_strings else action.dest


def _arguments(action: argparse.Action) -> str:
    """What follows an option (or stands for a positional argument) in a usage line."""
    metavar = _metavar(action)
    if action.nargs == 0:
        return ""
    if action.nargs == "?":
        return f"[{metavar}]"
    if action.nargs == "*":
        return f"[{metavar} ...]"
    if action.nargs == "+":
        return f"{metavar} [{metavar} ...]"
    if action.nargs == argparse.PARSER:
        return f"{metavar} ..."
    return metavar


def _invocation(action: argparse.Action) -> str:
    if not action.option_strings:
        return _metavar(action)
    arguments = _arguments(action)
    return ", ".join(f"{name} {arguments}".strip() for name in action.option_strings)


def _usage(parser: argparse.ArgumentParser) -> str:
    """As argparse writes it: the options, then the positional arguments; a line breaks
    only between two of them."""
    options, positionals = [], []
    for action in parser._actions:
        if action.help == argparse.SUPPRESS:
            continue
        if action.option_strings:
            word = f"{action.option_strings[0]} {_arguments(action)}".strip()
            options.append(word if action.required else f"[{word}]")
        else:
            positionals.append(_arguments(action))
    prefix = f"usage: {parser.prog} "
    words = [word.replace(" ", "\N{NO-BREAK SPACE}") for word in options + positionals]
    text = textwrap.fill(
        " ".join(words),
        width=WIDTH,
        initial_indent=prefix,
        subsequent_indent=" " * len(prefix),
        break_on_hyphens=False,
        break_long_words=False,
    )
    return text.replace("\N{NO-BREAK SPACE}", " ")


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _help(action: argparse.Action, prog: str) -> str:
    if not action.help:
        return "one of " + ", ".join(map(str, action.choices)) if action.choices else ""
    values = {k: v for k, v in vars(action).items() if v is not argparse.SUPPRESS}
    if values.get("choices") is not None:
        values["choices"] = ", ".join(map(str, values["choices"]))
    return str(action.help) % dict(values, prog=prog) if "%" in action.help else action.help


def _option_rows(parser: argparse.ArgumentParser) -> list[str]:
    rows = []
    for action in parser._actions:
        if action.help == argparse.SUPPRESS or isinstance(action, argparse._SubParsersAction):
            continue
        rows.append(f"| `{_cell(_invocation(action))}` | {_cell(_help(action, parser.prog))} |")
    return rows


def cli_reference() -> str:
    """Every subcommand of ``fitness``, from its argparse parser."""
    from fitness.cli import COMMANDS, build_parser

    parser = build_parser()
    commands = _subparsers(parser)
    lines = [
        "```text",
        _usage(parser),
        "```",
        "",
        parser.description or "",
        "",
        "| option | meaning |",
        "|---|---|",
        *_option_rows(parser),
    ]
    for name in COMMANDS:
        sub = commands[name]
        lines += [
            "",
            f"## `fitness {name}`",
            "",
            "```text",
            _usage(sub),
            "```",
            "",
            sub.description or "",
            "",
            "| argument or option | meaning |",
            "|---|---|",
            *_option_rows(sub),
        ]
    lines += ["", "## pytest options", "", *_pytest_options()]
    return "\n".join(lines) + "\n"


class _RecordingGroup:
    """Stands in for pytest's option group: records what the plugin adds."""

    def __init__(self) -> None:
        self.options: list[tuple[tuple[str, ...], dict[str, Any]]] = []

    def addoption(self, *names: str, **kwargs: Any) -> None:
        self.options.append((names, kwargs))


class _RecordingParser:
    def __init__(self) -> None:
        self.group = _RecordingGroup()
        self.ini: list[tuple[str, str]] = []

    def getgroup(self, name: str, description: str = "") -> _RecordingGroup:
        return self.group

    def addini(self, name: str, help: str, **kwargs: Any) -> None:
        self.ini.append((name, help))


def _pytest_options() -> list[str]:
    from fitness import pytest_plugin

    recorder = _RecordingParser()
    pytest_plugin.pytest_addoption(recorder)  # type: ignore[arg-type]
    rows = ["Options the plugin adds to `pytest`:", "", "| option | meaning |", "|---|---|"]
    for names, kwargs in recorder.group.options:
        metavar = kwargs.get("metavar")
        choices = kwargs.get("choices")
        if metavar is None and choices is not None:
            metavar = "{" + ",".join(str(c) for c in choices) + "}"
        if kwargs.get("nargs") == "?" and metavar:
            metavar = f"[{metavar}]"
        invocation = ", ".join(f"{n} {metavar}" if metavar else n for n in names)
        help_text = str(kwargs.get("help", "")).replace("%(default)s", str(kwargs.get("default")))
        rows.append(f"| `{_cell(invocation)}` | {_cell(help_text)} |")
    for name, help_text in recorder.ini:
        rows.append(f"| `{name}` (ini) | {_cell(help_text)} |")
    return rows


# --------------------------------------------------------------------------------------
# The configuration reference
# --------------------------------------------------------------------------------------

#: What each key of ``[tool.fitness]`` means, and its default as the reader sees it. The
#: keys themselves (and their types) come from ``fitness.domain.config.SETTINGS``: a key
#: added there without a line here stops the generator.
SETTING_DOCS: dict[str, tuple[str, str]] = {
    "root_packages": (
        "required",
        "the top-level packages to analyse, or portions of namespace packages "
        '(`"company.team.service"`, where `company` and `company.team` have no '
        "`__init__.py`), as in grimp and import-linter",
    ),
    "root_package": ("", 'one root package: `root_package = "x"` instead of `root_packages`'),
    "include_external_packages": (
        "`false`",
        "add third-party and standard-library packages to the graph (as one node each), "
        "so rules can name them",
    ),
    "exclude_type_checking_imports": (
        "`false`",
        "leave out imports under `if TYPE_CHECKING:`",
    ),
    "exclude_main_block_imports": (
        "`false`",
        'leave out imports under `if __name__ == "__main__":` (a module\'s script part); a '
        "run that leaves some out says how many, and where",
    ),
    "max_file_size": (
        '`"5 MiB"`',
        "the largest source file analysed: a number of bytes, or a size with a unit "
        '(`"10 MiB"`, `"500 KB"`: B, KB, MB, GB, KiB, MiB, GiB); a larger module is refused '
        "(an error naming it, exit 2) before anything reads it",
    ),
    "exclude_function_level_imports": (
        "`false`",
        "leave out imports made inside functions and methods (run when the function is "
        "called, not when the module is imported: lazy imports that break a cycle on "
        "purpose); a run that leaves some out says how many, and where; each rule may "
        "say it for itself",
    ),
    "cache_dir": (
        '`".fitness_cache"`',
        "where the caches live, relative to `pyproject.toml`: inside the project (no "
        "absolute path, no `..` leading out); `$FITNESS_CACHE_DIR` puts them elsewhere",
    ),
    "plugins": ("`[]`", "modules of the project that add rule types"),
    "baseline": (
        '`"fitness-baseline.json"`',
        "the baseline of known violations, relative to `pyproject.toml`; when set, the file "
        "must exist. Inside the project (no absolute path, no `..` or symbolic link leading "
        "out); `--baseline FILE` on the command line names any file",
    ),
    "blind_spots": (
        '`"summary"`',
        "how `fitness check` and pytest report the dynamic imports the rules cannot see, "
        "and the files not read (every rule warns about those too): one line, each of "
        "them, or not at all",
    ),
    "require_coverage": (
        "none",
        "fail `fitness check` and pytest (the item `coverage`) when modules no rule governs "
        'exist: `"all"`, or the least share of the modules the rules must govern (`0.9`); '
        "see [Architecture coverage](../coverage.md)",
    ),
    "rules": (
        "`[]`",
        "the rules, as `[[tool.fitness.rules]]` tables (`fitness check` refuses a "
        "configuration without any)",
    ),
}


def _toml(value: Any) -> str:
    from fitness.cli.rules import toml_value

    return f"`{toml_value(value)}`"


def configuration_reference() -> str:
    """The keys of ``[tool.fitness]`` and the options of every built-in rule type."""
    from fitness.adapters.config.plugins import load_rule_types
    from fitness.cli.rules import COMMON_OPTIONS, summary
    from fitness.domain.config import SETTINGS
    from fitness.domain.options import describe_type, option_infos
    from fitness.domain.rules.base import Rule

    missing = sorted(set(SETTINGS) - set(SETTING_DOCS))
    extra = sorted(set(SETTING_DOCS) - set(SETTINGS))
    if missing or extra:
        raise SystemExit(
            f"scripts/gen_docs.py: SETTING_DOCS is out of date with [tool.fitness]'s keys "
            f"(undocumented: {', '.join(missing) or 'none'}; gone: {', '.join(extra) or 'none'})"
        )
    lines = [
        "## `[tool.fitness]`",
        "",
        "| key | type | default | meaning |",
        "|---|---|---|---|",
    ]
    for key, hint in SETTINGS.items():
        default, meaning = SETTING_DOCS[key]
        kind = "array of tables" if key == "rules" else describe_type(hint)
        lines.append(f"| `{key}` | {_cell(kind)} | {default} | {_cell(meaning)} |")
    lines += [
        "",
        "## Every rule",
        "",
        "| option | type | default | meaning |",
        "|---|---|---|---|",
        "| `type` | a string | required | the rule type: one of those below, or a plugin's |",
    ]
    for info in option_infos(Rule):
        default = "required" if info.required else _toml(info.default)
        lines.append(f"| `{info.name}` | {_cell(info.type)} | {default} | {_cell(info.doc)} |")
    registry = load_rule_types([], None, load_entry_points=False)
    for rule_type in registry:
        cls = rule_type.rule_class
        lines += ["", f"## `{cls.type_name}`", ""]
        if summary(cls):
            lines += [summary(cls), ""]
        for folder in ("rules", "styles"):  # a rule type's page, or an architecture style's
            if (ROOT / "docs" / folder / f"{cls.type_name}.md").is_file():
                lines += [f"See [the `{cls.type_name}` page](../{folder}/{cls.type_name}.md).", ""]
                break
        options = [o for o in option_infos(cls) if o.name not in COMMON_OPTIONS]
        if not options:
            lines.append("No options of its own.")
            continue
        lines += ["| option | type | default | meaning |", "|---|---|---|---|"]
        for o in options:
            default = "required" if o.required else _toml(o.default)
            lines.append(f"| `{o.name}` | {_cell(o.type)} | {default} | {_cell(o.doc)} |")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------
# Output of the examples
# --------------------------------------------------------------------------------------


class Edit(NamedTuple):
    """Lines appended to a file of examples/shop (``text`` ends with a newline)."""

    path: str
    text: str


DOMAIN_REACHES_UP = Edit(
    "shop/domain/pricing.py",
    "from shop.application.place_order import PlaceOrder  # the domain reaching up\n",
)
DOMAIN_REACHES_OUT = Edit("shop/domain/money.py", "import sqlalchemy  # the domain reaching out\n")
WEB_KNOWS_DB = Edit(
    "shop/adapters/web/handlers.py",
    "from shop.adapters.db.repository import SqlOrderRepository  # web knows the db\n",
)
USE_CASE_PICKS_ADAPTER = Edit(
    "shop/application/place_order.py",
    "from shop.adapters.payments.gateway import HttpPaymentGateway  # use case picks its adapter\n",
)
PORT_KNOWS_USE_CASE = Edit(
    "shop/application/ports.py",
    "from shop.application import place_order  # a port that knows a use case\n",
)

#: The class rules page (docs/rules/classes.md): a test double left in the application
#: layer, an entity deriving from an ORM base through a class of the domain, and a print.
REPOSITORY_IN_APPLICATION = Edit(
    "shop/application/ports.py",
    """

class InMemoryOrderRepository:  # a test double, left in the application layer
    def __init__(self) -> None:
        self.orders: dict[str, Order] = {}

    def get(self, order_id: str) -> Order:
        return self.orders[order_id]

    def add(self, order: Order) -> None:
        self.orders[order.id] = order
""",
)
ORM_BASE_IN_DOMAIN = Edit(
    "shop/domain/money.py",
    """

from sqlalchemy.orm import DeclarativeBase  # noqa: E402


class Record(DeclarativeBase):  # every entity a row
    pass
""",
)
ENTITY_ON_ORM_BASE = Edit(
    "shop/domain/model.py",
    """

from shop.domain.money import Record  # noqa: E402


class Customer(Record):
    name: str
""",
)
PRINT_IN_DOMAIN = Edit(
    "shop/domain/pricing.py",
    """

def log_total(order: Order) -> None:
    print(f"total: {order_total(order).amount}")
""",
)
CLASS_RULES = (
    "Repositories live in the adapters",
    "Entities are free of the ORM",
    "The domain does no I/O",
    "Only the composition root creates adapters",
)


# examples/library: the rings, the onion and the loan events, broken.
ENTITY_KNOWS_USE_CASE = Edit(
    "library/entities/loan.py",
    "from library.use_cases.ports import Clock  # an entity asking a use case for the time\n",
)
GATEWAY_IMPORTS_ORM = Edit(
    "library/interface_adapters/gateways.py",
    "from sqlalchemy import text  # a gateway reaching for the ORM\n",
)
DB_KNOWS_WEB = Edit(
    "library/frameworks/db.py", "from library.frameworks import web  # one adapter using another\n"
)
USE_CASE_CALLS_SUBSCRIBER = Edit(
    "library/use_cases/borrow_book.py",
    "from library.interface_adapters.notifications import LoanNotifier  # calling the subscriber\n",
)
EVENT_HOLDS_ENTITY = Edit(
    "library/events.py", "from library.entities.book import Book  # an entity inside an event\n"
)


def _shipping_deprecates_billing(text: str) -> str:
    """examples/marketplace's pyproject.toml with billing a deprecated dependency of shipping."""
    return text.replace(
        'interface = ["api"] }\n\n[tool.pytest',
        'interface = ["api"], deprecated = ["marketplace.billing"] }\n\n[tool.pytest',
    )


def _without_fitness(text: str) -> str:
    """examples/shop's pyproject.toml without its [tool.fitness] tables."""
    head, *tables = re.split(r"(?m)^(?=\[)", text)
    return head + "".join(
        table for table in tables if not table.startswith(("[tool.fitness", "[[tool.fitness"))
    )


#: The rule the `metrics` page shows, and checks on examples/shop.
METRICS_RULE = """\
[[tool.fitness.rules]]
name = "Coupling and cohesion budget"
type = "metrics"
max_instability = 0.5
max_lcom4 = 1
stable_dependencies = true

[tool.fitness.rules.overrides."shop.main"]
max_instability = 1.0          # the composition root depends on everything
"""


#: The rules of examples/shop about imports.
IMPORT_RULES = (
    "Layered architecture",
    "No infrastructure in the core",
    "Adapters are independent",
    "Ports and adapters",
)
#: A package no rule of examples/shop governs (the `coverage` page).
NEW_REPORTING_PACKAGE = (
    Edit("shop/reporting/__init__.py", '"""Sales reports, placed nowhere yet."""\n'),
    Edit("shop/reporting/sales.py", "from shop.domain import pricing\n"),
    Edit("shop/reporting/export.py", "import csv\n"),
)


def _requiring_coverage(text: str) -> str:
    """examples/shop's pyproject.toml with ``require_coverage = "all"`` and its import
    rules only (its class rules select classes in the whole of ``shop``)."""
    text = _only_rule(*IMPORT_RULES)(text)
    return text.replace(
        'root_packages = ["shop"]\n', 'root_packages = ["shop"]\nrequire_coverage = "all"\n', 1
    )


def _with_rules(rules: str) -> Callable[[str], str]:
    """examples/shop's pyproject.toml with these rules instead of its own."""

    def replace(text: str) -> str:
        head, *tables = re.split(r"(?m)^(?=\[)", text)
        kept = [table for table in tables if not table.startswith("[[tool.fitness.rules")]
        return head + "".join(kept).replace("[tool.pytest", rules + "\n[tool.pytest", 1)

    return replace


def _only_rule(*names: str) -> Callable[[str], str]:
    """Keep only the rules called ``names`` in examples/shop's pyproject.toml."""

    def keep(text: str) -> str:
        head, *tables = re.split(r"(?m)^(?=\[\[tool\.fitness\.rules\]\]|\[tool\.pytest)", text)
        kept = [
            t
            for t in tables
            if any(f'name = "{name}"' in t for name in names) or t.startswith("[tool.pytest")
        ]
        return head + "".join(kept)

    return keep


class Step(NamedTuple):
    """A later command of an example, after more edits (``restore``: files put back as
    they are in the example)."""

    command: tuple[str, ...]
    edits: tuple[Edit, ...] = ()
    restore: tuple[str, ...] = ()
    show_exit: bool = True


class Example(NamedTuple):
    """A command run in a copy of a project, shown as a console session (stderr and
    stdout as a terminal shows them); ``then``: more commands in the same copy."""

    command: tuple[str, ...]
    edits: tuple[Edit, ...] = ()
    project: Path = SHOP
    config: Callable[[str], str] | None = None
    show_exit: bool = True
    fence: str = "console"
    then: tuple[Step, ...] = ()


EXAMPLES: dict[str, Example] = {
    "shop-check": Example(("check",)),
    "shop-failure": Example(("check",), edits=(DOMAIN_REACHES_UP,)),
    "shop-pytest-failures": Example(
        ("pytest", "-m", "fitness"), edits=(DOMAIN_REACHES_UP, DOMAIN_REACHES_OUT, WEB_KNOWS_DB)
    ),
    "shop-hexagonal": Example(
        ("check", "--full"),
        edits=(
            WEB_KNOWS_DB,
            USE_CASE_PICKS_ADAPTER,
            Edit("shop/domain/pricing.py", "import sqlalchemy  # the domain reaching out\n"),
            DOMAIN_REACHES_UP,
            PORT_KNOWS_USE_CASE,
        ),
        config=_only_rule("Ports and adapters"),
    ),
    "shop-classes": Example(
        ("check", "--full"),
        edits=(REPOSITORY_IN_APPLICATION, ORM_BASE_IN_DOMAIN, ENTITY_ON_ORM_BASE, PRINT_IN_DOMAIN),
        config=_only_rule(*CLASS_RULES),
    ),
    "shop-baseline": Example(
        ("baseline",),
        edits=(DOMAIN_REACHES_UP, WEB_KNOWS_DB),
        show_exit=False,
        then=(Step(("check",), show_exit=False),),
    ),
    "shop-baseline-new": Example(
        ("baseline",),
        edits=(DOMAIN_REACHES_UP, WEB_KNOWS_DB),
        fence="",
        then=(
            Step(
                ("check",),
                edits=(
                    Edit(
                        "shop/domain/money.py",
                        "from shop.application.ports import OrderRepository  # reaching up too\n",
                    ),
                ),
                restore=(WEB_KNOWS_DB.path,),
            ),
        ),
    ),
    "shop-init": Example(("init",), config=_without_fitness, show_exit=False),
    "cosmic-init-baseline": Example(
        ("init", "--baseline"), project=COSMIC, show_exit=False, then=(Step(("check",)),)
    ),
    "shop-metrics": Example(("metrics",), show_exit=False),
    "shop-coverage": Example(
        ("coverage",), edits=NEW_REPORTING_PACKAGE, config=_requiring_coverage, show_exit=False
    ),
    "shop-coverage-check": Example(
        ("check",), edits=NEW_REPORTING_PACKAGE, config=_requiring_coverage
    ),
    "shop-metrics-rule": Example(("pytest", "-m", "fitness"), config=_with_rules(METRICS_RULE)),
    "shop-graph": Example(
        ("graph", "--format", "mermaid"), edits=(DOMAIN_REACHES_UP,), fence="mermaid"
    ),
    "library-clean": Example(
        ("check", "--full"),
        edits=(ENTITY_KNOWS_USE_CASE, GATEWAY_IMPORTS_ORM),
        project=LIBRARY,
        config=_only_rule("Clean architecture"),
    ),
    "library-onion": Example(
        ("check", "--full"),
        edits=(ENTITY_KNOWS_USE_CASE, GATEWAY_IMPORTS_ORM, DB_KNOWS_WEB),
        project=LIBRARY,
        config=_only_rule("Onion"),
    ),
    "library-events": Example(
        ("check", "--full"),
        edits=(USE_CASE_CALLS_SUBSCRIBER, EVENT_HOLDS_ENTITY),
        project=LIBRARY,
        config=_only_rule("Loan events"),
    ),
    "marketplace-modular-monolith": Example(
        ("check", "--full"),
        project=MARKETPLACE,
        edits=(
            Edit(
                "marketplace/shipping/api.py",
                "from marketplace.catalog.api import find_product  # weigh the parcel\n",
            ),
            Edit(
                "marketplace/billing/handlers.py",
                "from marketplace.ordering.orders import Order  # billing reads the order itself\n"
                "from marketplace.ordering import OrderLine  # not in ordering's __all__\n",
            ),
            Edit(
                "marketplace/catalog/api.py",
                "from marketplace.ordering.events import OrderPlaced  # the catalog counts sales\n",
            ),
            Edit(
                "marketplace/shipping/parcels.py",
                "from marketplace.billing import invoices_for  # until billing publishes events\n",
            ),
        ),
        config=_shipping_deprecates_billing,
    ),
    "own-check": Example(("check",), project=ROOT, show_exit=False),
    "own-architecture": Example(
        ("graph", "--format", "mermaid"), project=ROOT, fence="mermaid", show_exit=False
    ),
}


# The dependencies page (docs/rules/dependencies.md): examples/shop with its metadata,
# its distributions installed in a virtual environment made of their metadata alone (the
# same output on every machine, whatever the Python that generates the page has).
SHOP_METADATA = """\
[project]
name = "shop"
version = "1.0"
dependencies = [
    "Flask>=3",
    "SQLAlchemy>=2",
    "requests>=2.31",
    "Babel>=2.14",
    "gunicorn>=22",
]

[dependency-groups]
dev = ["pytest>=8", "Faker>=25"]

"""
DEPENDENCIES_RULE = """\
[[tool.fitness.rules]]
name = "Third-party dependencies"
type = "dependencies"
environment = [".venv"]   # default: where the Python running fitness finds its packages

[tool.fitness.rules.usage]
"shop.domain" = []
"shop.application" = []
"shop.adapters.db" = ["SQLAlchemy"]
"shop.adapters.web" = ["Flask"]
"shop.adapters.payments" = ["requests"]
"""


def _installed(name: str, version: str, *tops: str, requires: tuple[str, ...] = ()) -> list[Edit]:
    """A distribution installed in the example's .venv: its metadata, nothing else."""
    meta = f".venv/lib/python3.12/site-packages/{name}-{version}.dist-info"
    headers = "".join(f"Requires-Dist: {r}\n" for r in requires)
    top_level = "".join(f"{top}\n" for top in tops or (name.lower(),))
    return [
        Edit(
            f"{meta}/METADATA",
            f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n{headers}",
        ),
        Edit(f"{meta}/top_level.txt", top_level),
    ]


SHOP_VENV = (
    Edit(".venv/pyvenv.cfg", "home = /usr/bin\n"),
    *_installed("Flask", "3.0.3", requires=("Werkzeug>=3.0.0", "click>=8.1.3")),
    *_installed("Werkzeug", "3.0.3"),
    *_installed("click", "8.1.7"),
    *_installed("SQLAlchemy", "2.0.30"),
    *_installed("requests", "2.32.3", requires=("urllib3<3,>=1.21.1", "idna<4,>=2.5")),
    *_installed("urllib3", "2.2.1"),
    *_installed("idna", "3.7"),
    *_installed("Babel", "2.15.0", "babel"),
    *_installed("gunicorn", "22.0.0"),
    *_installed("pytest", "8.2.0", "_pytest", "py", "pytest"),
    *_installed("Faker", "25.2.0", "faker"),
)


def _with_dependencies(text: str) -> str:
    return SHOP_METADATA + _with_rules(DEPENDENCIES_RULE)(text)


EXAMPLES.update(
    {
        "shop-dependencies": Example(
            ("check", "--full"),
            edits=(
                *SHOP_VENV,
                Edit(
                    "shop/adapters/payments/gateway.py",
                    "from urllib3.util import Retry  # retry as requests does\n",
                ),
                Edit(
                    "shop/formatting.py",
                    '"""Amounts as the customer reads them."""\n\nfrom babel.numbers import '
                    "format_currency\n",
                ),
                Edit("shop/domain/money.py", "from shop import formatting  # noqa: E402\n"),
                Edit("shop/main.py", "from faker import Faker  # sample orders for the demo\n"),
            ),
            config=_with_dependencies,
        ),
    }
)


# The strangler fig page (docs/styles/strangler_fig.md): examples/invoicing, mid-migration.
INVOICING = ROOT / "examples" / "invoicing"
#: An importer of the legacy code when the baseline was recorded, migrated since.
OLD_PDF_ROUTE = Edit(
    "invoicing/main.py",
    "from invoicing.legacy.pdf import render_invoice_pdf  # the old PDF download\n",
)
EXAMPLES.update(
    {
        "invoicing-check": Example(("check",), project=INVOICING),
        "invoicing-progress": Example(
            ("baseline",),
            edits=(OLD_PDF_ROUTE,),
            project=INVOICING,
            fence="",
            then=(
                Step(
                    ("check",),
                    edits=(
                        Edit(
                            "invoicing/web/invoices.py",
                            "from invoicing.legacy.tax import vat  # a shortcut to the old code\n",
                        ),
                    ),
                    restore=(OLD_PDF_ROUTE.path,),
                ),
            ),
        ),
        "invoicing-replacement": Example(
            ("baseline",),
            edits=(
                Edit(
                    "invoicing/billing/tax.py",
                    "from invoicing.legacy.tax import VAT_RATES  # the new code reaching back\n",
                ),
            ),
            project=INVOICING,
            show_exit=False,
            then=(Step(("check",)),),
        ),
    }
)


# The architecture styles of issue 13: bounded contexts and CQRS (docs/styles/).
BOOKSTORE = ROOT / "examples" / "bookstore"
HELPDESK = ROOT / "examples" / "helpdesk"
EXAMPLES.update(
    {
        "bookstore-contexts": Example(
            ("check", "--full"),
            project=BOOKSTORE,
            edits=(
                Edit(
                    "bookstore/ordering/checkout.py",
                    "from bookstore.catalog.api import Catalog"
                    "  # around the anticorruption layer\n",
                ),
                Edit(
                    "bookstore/shipping/handlers.py",
                    "from bookstore.ordering.checkout import Checkout"
                    "  # into ordering's internals\n",
                ),
                Edit(
                    "bookstore/shipping/model.py",
                    "from bookstore.catalog.model import Book  # not an upstream of shipping\n",
                ),
                Edit(
                    "bookstore/catalog/repository.py",
                    "from bookstore.ordering.events import OrderPlaced"
                    "  # upstream knows downstream\n",
                ),
            ),
            config=_only_rule("Bounded contexts"),
        ),
        "helpdesk-cqrs": Example(
            ("check", "--full"),
            project=HELPDESK,
            edits=(
                Edit(
                    "helpdesk/queries/open_tickets.py",
                    "from helpdesk.write_model.store import TicketStore  # reads the aggregates\n",
                ),
                Edit(
                    "helpdesk/queries/agent_workload.py",
                    "from helpdesk.commands import close_ticket  # a query that writes\n",
                ),
                Edit(
                    "helpdesk/commands/close_ticket.py",
                    "from helpdesk.queries import open_tickets  # asks a query before deciding\n",
                ),
                Edit(
                    "helpdesk/commands/assign_ticket.py",
                    "from helpdesk.read_model.views import Board  # decides on the read model\n",
                ),
            ),
        ),
    }
)


def _environment() -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "FITNESS_", "PYTEST_"))
    }
    env.update(COLUMNS="100", PYTHONHASHSEED="0", PYTHONDONTWRITEBYTECODE="1")
    env.update(PYTHONUNBUFFERED="1")  # stdout and stderr in the order a terminal shows
    env["PYTHONPATH"] = os.pathsep.join(filter(None, (str(ROOT), env.get("PYTHONPATH"))))
    env.pop("NO_COLOR", None)
    # pytest leaves its short test summary uncut on CI machines (CI, BUILD_NUMBER):
    # the pages show what a developer's terminal shows, wherever they are generated.
    env.pop("CI", None)
    env.pop("BUILD_NUMBER", None)
    return env


def _copy(example: Example, into: Path) -> Path:
    """A copy of the example's project (only what the command reads), with its edits."""
    target = into / example.project.name
    ignore = shutil.ignore_patterns(".fitness_cache", "__pycache__", "*.pyc", ".venv", ".git")
    if example.project == ROOT:
        target.mkdir()
        shutil.copy2(ROOT / "pyproject.toml", target / "pyproject.toml")
        shutil.copytree(ROOT / "fitness", target / "fitness", ignore=ignore)
    else:
        shutil.copytree(example.project, target, ignore=ignore)
    _edit(target, example.edits)
    if example.config is not None:
        config = target / "pyproject.toml"
        config.write_text(example.config(config.read_text(encoding="utf-8")), encoding="utf-8")
    return target


def _edit(project: Path, edits: tuple[Edit, ...]) -> None:
    for edit in edits:
        path = project / edit.path
        path.parent.mkdir(parents=True, exist_ok=True)  # a new package
        before = path.read_text(encoding="utf-8") if path.exists() else ""
        path.write_text(before + edit.text, encoding="utf-8")


def _run(project: Path, command: tuple[str, ...], show_exit: bool) -> str:
    """``$ fitness COMMAND`` and what it prints (and its exit status, if shown); for
    ``pytest ...``, pytest's failures and short summary (its header names the plugins
    and versions installed here, its last line the time taken)."""
    env = _environment()
    if command[0] == "pytest":
        env["COLUMNS"] = "80"
        argv = [sys.executable, "-m", "pytest", *command[1:], "-p", "no:cacheprovider"]
    else:
        argv = [sys.executable, "-m", "fitness", *command]
    done = subprocess.run(
        argv,
        cwd=project,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        check=False,
    )
    shell = " ".join(command) if command[0] == "pytest" else f"fitness {' '.join(command)}"
    if done.returncode >= 2:
        raise SystemExit(
            f"scripts/gen_docs.py: `{shell}` failed (exit {done.returncode}):\n{done.stdout}"
        )
    output = done.stdout.rstrip()
    if command[0] == "pytest":
        failures = output.index("\n=" + "=" * 20)  # the FAILURES line
        output = "...\n" + output[failures + 1 : output.rindex("\n")]
    for where in {str(project.parent.resolve()), str(project.parent)}:
        output = output.replace(where, "/path/to")  # a temporary directory
    shown = f"$ {shell}\n{output}\n"
    return shown + (f"$ echo $?\n{done.returncode}\n" if show_exit else "")


def run_example(example: Example) -> str:
    with tempfile.TemporaryDirectory(prefix="fitness-docs-") as tmp:
        project = _copy(example, Path(tmp))
        if example.fence == "mermaid":
            shown = _run(project, example.command, show_exit=False)
            return "```mermaid\n" + shown.split("\n", 1)[1] + "```\n"
        shown = _run(project, example.command, example.show_exit)
        for step in example.then:
            _edit(project, step.edits)
            for name in step.restore:
                shutil.copy2(example.project / name, project / name)
            if example.fence:
                shown += _run(project, step.command, step.show_exit)
            else:  # only the last step's session is shown
                shown = _run(project, step.command, step.show_exit)
    return f"```{example.fence or 'console'}\n{shown}```\n"


# --------------------------------------------------------------------------------------
# The pages
# --------------------------------------------------------------------------------------


# --------------------------------------------------------------------------------------
# What the one list of built-in rule types (fitness.domain.rule_types) gives
# --------------------------------------------------------------------------------------


def rule_types_table() -> str:
    """The table of rule types in docs/rules/index.md."""
    from fitness.domain.rule_types import BUILTIN_RULE_TYPES

    rows = ["| type | checks |", "|---|---|"]
    for rule_type in BUILTIN_RULE_TYPES:
        page = os.path.relpath(rule_type.docs, "rules").replace(os.sep, "/")
        rows.append(f"| [`{rule_type.type_name}`]({page}) | {rule_type.summary} |")
    return "\n".join(rows) + "\n"


def rule_type_pages() -> str:
    """The site's navigation of the rule types' pages (mkdocs.yml): one entry per page."""
    from fitness.domain.rule_types import BUILTIN_RULE_TYPES

    sections: dict[str, dict[str, list[str]]] = {"rules": {}, "styles": {}}
    for rule_type in BUILTIN_RULE_TYPES:
        section = rule_type.docs.partition("/")[0]
        sections[section].setdefault(rule_type.docs, []).append(rule_type.type_name)
    lines = ["  - Rule types:", "      - rules/index.md"]
    for section, title in (("rules", None), ("styles", "Architecture styles")):
        if title:
            lines.append(f"  - {title}:")
        for page, names in sections[section].items():
            lines.append(f"      - {' and '.join(names)}: {page}")
    return "\n".join(lines) + "\n"


def _exports() -> dict[str, str]:
    import fitness

    return {**fitness._EXPORTS, "__version__": "fitness._version"}


def _isort_key(name: str) -> tuple[int, str]:
    """isort's (and ruff's) order of names: CONSTANTS, Classes, then the others."""
    if name.isupper() and len(name) > 1:
        return (0, name)
    return (1 if name[0].isupper() else 2, name)


def public_names() -> str:
    """``__all__`` of fitness/__init__.py: every name it exports."""
    names = sorted(_exports(), key=_isort_key)
    return "__all__ = [\n" + "".join(f'    "{name}",\n' for name in names) + "]\n"


def typing_imports() -> str:
    """What type checkers read in fitness/__init__.py: an import of every lazy export."""
    by_module: dict[str, list[str]] = {}
    for name, module in _exports().items():
        if name != "__version__":
            by_module.setdefault(module, []).append(name)
    lines = ["if TYPE_CHECKING:"]
    for module in sorted(by_module):
        names = sorted(by_module[module], key=_isort_key)
        line = f"    from {module} import {', '.join(names)}"
        if len(line) <= 100:
            lines.append(line)
        else:
            lines.append(f"    from {module} import (")
            lines += [f"        {name}," for name in names]
            lines.append("    )")
    return "\n".join(lines) + "\n"


def own_rules() -> str:
    """The ``[tool.fitness]`` tables of this repository's pyproject.toml."""
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    _, *tables = re.split(r"(?m)^(?=\[)", text)
    ours = [t for t in tables if t.startswith(("[tool.fitness", "[[tool.fitness"))]
    return "```toml\n" + "".join(ours).rstrip("\n") + "\n```\n"


def _runner(example: Example) -> Callable[[], str]:
    return lambda: run_example(example)


GENERATORS: dict[str, Callable[[], str]] = {
    "cli": cli_reference,
    "configuration": configuration_reference,
    "metrics-rule": lambda: f"```toml\n{METRICS_RULE}```\n",
    "dependencies-rule": lambda: (
        f"```toml\n{SHOP_METADATA}[tool.fitness]\n...\n\n{DEPENDENCIES_RULE}```\n"
    ),
    "own-rules": lambda: own_rules(),
    "rule-types": rule_types_table,
    "rule-type-pages": rule_type_pages,
    "public-names": public_names,
    "typing-imports": typing_imports,
    **{name: _runner(example) for name, example in EXAMPLES.items()},
}


def page_files(root: Path = ROOT) -> Iterator[Path]:
    for name in PAGES:
        path = root / name
        if path.is_dir():
            yield from sorted(path.rglob("*.md"))
        else:
            yield path


def regenerate(
    text: str, blocks: dict[str, str], where: str = "", only: Collection[str] | None = None
) -> str:
    """``text`` with its generated parts replaced (those named in ``only``, if given);
    ``blocks`` caches what was produced."""

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in GENERATORS:
            raise SystemExit(
                f"{where}: unknown generated part '{name}' (known: {', '.join(GENERATORS)})"
            )
        if only is not None and name not in only:
            return match.group(0)
        if name not in blocks:
            blocks[name] = GENERATORS[name]()
        return f"<!-- generated: {name} -->\n{blocks[name]}<!-- end -->"

    def replace_hashed(match: re.Match[str]) -> str:
        indent, name = match.group(1), match.group(2)
        if name not in GENERATORS:
            raise SystemExit(
                f"{where}: unknown generated part '{name}' (known: {', '.join(GENERATORS)})"
            )
        if only is not None and name not in only:
            return match.group(0)
        if name not in blocks:
            blocks[name] = GENERATORS[name]()
        return f"{indent}# generated: {name}\n{blocks[name]}{indent}# end"

    if where.endswith((".py", ".yml")):
        return HASH_MARKER.sub(replace_hashed, text)
    return MARKER.sub(replace, text)


def expected_pages(
    root: Path = ROOT, only: Collection[str] | None = None
) -> dict[Path, tuple[str, str]]:
    """Every page with a generated part: (its text now, its text regenerated); with
    ``only``, only the parts of those names are regenerated."""
    blocks: dict[str, str] = {}
    pages = {}
    for path in page_files(root):
        text = path.read_text(encoding="utf-8")
        if markers(path, text):
            where = str(path.relative_to(root))
            pages[path] = (text, regenerate(text, blocks, where, only))
    return pages


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only report out-of-date pages")
    args = parser.parse_args(argv)
    try:
        import grimp  # noqa: F401
    except ImportError:
        print(
            "scripts/gen_docs.py: fitness's dependencies are missing; run it with the "
            "project's environment: .venv/bin/python scripts/gen_docs.py",
            file=sys.stderr,
        )
        return 2
    stale = []
    for path, (now, expected) in expected_pages().items():
        if now != expected:
            stale.append(path.relative_to(ROOT))
            if not args.check:
                path.write_text(expected, encoding="utf-8")
    verb = "out of date" if args.check else "rewrote"
    for path in stale:
        print(f"{verb}: {path}")
    if not stale:
        print("the generated documentation is up to date")
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    raise SystemExit(main())
