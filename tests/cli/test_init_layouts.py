"""`fitness init` on the layouts people use (small projects under tests/cli/layouts/):
it says what it recognised and why, proposes the styles that fit, never layers test
packages or autonomous modules, and never a layering that runs the wrong way round;
`fitness init --baseline` proposes the styles even where today's code breaks them and
records those violations, so that `fitness check` passes."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

from fitness.cli import main
from fitness.domain.inference.candidates import Recognition
from fitness.domain.inference.layering import wrong_way
from fitness.domain.inference.modular import recognise_django, recognise_modules
from fitness.domain.inference.proposal import propose
from fitness.domain.inference.vocabulary import is_layer
from fitness.domain.options import build_rule
from fitness.domain.rules import builtin_rule_types
from tests.helpers import fake_graph, write_files

LAYOUTS = Path(__file__).parent / "layouts"
CLASSES = {rule_type.type_name: rule_type for rule_type in builtin_rule_types()}


class Init:
    """A copy of a layout, `fitness init` run on it, and what it wrote and printed."""

    def __init__(self, project: Path, out: str) -> None:
        self.project = project
        self.out = out
        self.text = (project / "pyproject.toml").read_text(encoding="utf-8")
        self.config: dict[str, Any] = tomllib.loads(self.text)["tool"]["fitness"]

    def rules(self, type_name: str) -> list[dict[str, Any]]:
        return [r for r in self.config["rules"] if r["type"] == type_name]

    def rule(self, type_name: str) -> dict[str, Any]:
        found = self.rules(type_name)
        assert len(found) == 1, [r["name"] for r in self.config["rules"]]
        return found[0]

    @property
    def names(self) -> list[str]:
        return [r["name"] for r in self.config["rules"]]

    @property
    def layer_modules(self) -> list[str]:
        """Every module named as a layer, in every layers rule (relative names of a
        rule with containers made absolute)."""
        found = []
        for rule in self.rules("layers"):
            for layer in rule["layers"]:
                for tail in re.split(r"[|:]", layer):
                    name = tail.strip().strip("()")
                    containers = rule.get("containers") or [""]
                    found += [f"{c}.{name}" if c else name for c in containers]
        return found

    @property
    def baseline(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads((self.project / "fitness-baseline.json").read_text())
        return data


def init(
    layout: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    *options: str,
) -> Init:
    project = tmp_path / layout
    shutil.copytree(LAYOUTS / layout, project, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.chdir(project)
    assert main(["init", *options]) == 0
    return Init(project, capsys.readouterr().out)


def check(*options: str) -> int:
    return main(["check", "-q", *options])


# --- ports and adapters as in "Architecture Patterns with Python" (cosmicpython) -------


def test_the_books_layout_is_recognised_and_its_wrong_way_layering_is_not_proposed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Before: `allocation is layered` with service_layer above adapters (locking in the
    # unit of work importing the repository), and no style recognised at all.
    book = init("cosmic", tmp_path, monkeypatch, capsys)

    assert (
        "fitness: recognised\n"
        "  ports and adapters in allocation, because it has domain, service_layer (the "
        "application), adapters, entrypoints (driving adapters) and bootstrap (the "
        "composition root)\n"
        "  an onion in allocation, because its domain has a model at the centre\n"
        "  CQRS in allocation, because domain.commands and service_layer.handlers are the "
        "command side, views the query side\n"
        "  events in allocation, because domain.events are raised by domain.model and "
        "handled by service_layer.handlers through service_layer.messagebus\n"
    ) in book.out
    assert "allocation is layered" not in book.names
    assert (
        "# note: allocation is not layered as its imports are today: allocation.service_layer\n"
        "#   reaches allocation.adapters, the wrong way round for ports and adapters\n"
    ) in book.text
    assert "# recognised: ports and adapters in allocation, because it has domain" in book.text
    # What holds today is proposed; the hexagon and the onion are not, and it says so.
    assert book.rule("cqrs") == {
        "name": "allocation separates commands from queries",
        "type": "cqrs",
        "commands": ["allocation.service_layer.handlers"],
        "queries": ["allocation.views"],
    }
    assert book.rule("event_driven") == {
        "name": "allocation publishes events its handlers subscribe to",
        "type": "event_driven",
        "publishers": ["allocation.domain.model"],
        "subscribers": ["allocation.service_layer.handlers"],
        "events": ["allocation.domain.events"],
    }
    assert not book.rules("hexagonal") and not book.rules("onion")
    assert (
        "fitness: 2 rules of the recognised layouts do not hold today: allocation is a hexagon "
        "(ports and adapters), allocation is an onion; `fitness init --baseline` proposes them "
        "with today's violations recorded in the baseline\n"
    ) in book.out
    assert not (book.project / "fitness-baseline.json").exists()
    assert check("--no-baseline") == 0


def test_with_a_baseline_the_book_gets_its_hexagon_onion_cqrs_and_events_and_a_backlog(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    book = init("cosmic", tmp_path, monkeypatch, capsys, "--baseline")

    assert book.rule("hexagonal") == {
        "name": "allocation is a hexagon (ports and adapters)",
        "type": "hexagonal",
        "domain": "allocation.domain",
        "application": "allocation.service_layer",
        # repository imports orm: one adapter; the entry points import none of each other
        "adapters": ["allocation.adapters", "allocation.entrypoints.*"],
        "composition_root": "allocation.bootstrap",
    }
    assert book.rule("onion") == {
        "name": "allocation is an onion",
        "type": "onion",
        "domain_models": ["allocation.domain"],
        "application_services": ["allocation.service_layer"],
        "adapters": ["allocation.adapters", "allocation.entrypoints.*"],
        "composition_root": "allocation.bootstrap",
    }
    assert book.rule("cqrs")["write_model"] == ["allocation.domain.model"]  # the tightest
    assert book.rule("event_driven")["events"] == ["allocation.domain.events"]
    assert "allocation is layered" not in book.names  # still the wrong way round
    assert (
        "\n[tool.fitness]\n"
        "# Proposed by `fitness init --baseline` from the layout of the code: today's violations\n"
        "#   are in the baseline, the backlog to work off.\n"
    ) in book.text
    assert "  BROKEN  allocation is a hexagon (ports and adapters) (3 violations)\n" in book.out
    assert "  BROKEN  allocation is an onion (2 violations)\n" in book.out
    # The service layer importing the repository: the backlog. The entry points import
    # the composition root (bootstrap), which driving adapters may, and what bootstrap
    # wires in is no dependency of theirs (issue 21).
    hexagon = book.baseline["rules"]["allocation is a hexagon (ports and adapters)"]
    recorded = {(v["importer"], v["imported"]) for v in hexagon["violations"]}
    assert ("allocation.service_layer.unit_of_work", "allocation.adapters.repository") in recorded
    assert not any("allocation.bootstrap" in dependency for dependency in recorded)
    assert check() == 0
    assert check("--no-baseline") == 1


# --- a modular monolith: modules/<context>/{domain,application,infrastructure} + seedwork --


def test_autonomous_modules_are_not_layered_and_their_command_query_split_is_proposed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Before: layers `modules.bidding > modules.catalog | modules.iam`, the tests packages
    # in layers, and a CQRS rule on the seedwork's base classes.
    monolith = init("modular", tmp_path, monkeypatch, capsys)

    assert (
        "  a modular monolith in modules, because it is named modules and its modules "
        "bidding, catalog and iam each have application, domain and infrastructure; "
        "seedwork is the shared kernel\n"
    ) in monolith.out
    assert "modules is layered" not in monolith.names
    assert not {"modules.bidding", "modules.catalog", "modules.iam"} & set(monolith.layer_modules)
    assert "# note: modules is not layered: its children are autonomous (a modular monolith)\n" in (
        monolith.text
    )
    assert [m for m in monolith.layer_modules if "tests" in m.split(".")] == []
    assert monolith.rule("modular_monolith")["modules"] == {
        "modules.bidding": {"depends_on": ["modules.catalog", "seedwork"]},
        "modules.catalog": {"depends_on": ["seedwork"]},
        "modules.iam": {"depends_on": ["seedwork"]},
        "seedwork": {"depends_on": []},
    }
    assert monolith.rule("cqrs") == {
        "name": "The modules of modules separate commands from queries",
        "type": "cqrs",
        "commands": ["modules.*.application.command"],
        "queries": ["modules.*.application.query"],
    }
    assert check("--no-baseline") == 0


def test_with_a_baseline_the_modules_are_bounded_contexts_each_layered_inside(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monolith = init("modular", tmp_path, monkeypatch, capsys, "--baseline")

    assert monolith.rule("bounded_contexts") == {
        "name": "The modules of modules are bounded contexts",
        "type": "bounded_contexts",
        "contexts": ["modules.bidding", "modules.catalog", "modules.iam"],
        "published": [],
        "shared_kernel": ["seedwork"],
    }
    layered = next(r for r in monolith.rules("layers") if "containers" in r)
    assert layered == {
        "name": "The modules of modules are each layered",
        "type": "layers",
        "layers": ["infrastructure", "application", "domain"],
        "containers": ["modules.bidding", "modules.catalog", "modules.iam"],
    }
    assert [m for m in monolith.layer_modules if "tests" in m.split(".")] == []
    contexts = monolith.baseline["rules"]["The modules of modules are bounded contexts"]
    assert [(v["importer"], v["imported"]) for v in contexts["violations"]] == [
        ("modules.bidding", "modules.catalog")  # bidding reacts to catalog's domain events
    ]
    assert check() == 0
    assert check("--no-baseline") == 1


def test_a_shared_kernels_commands_and_queries_are_no_command_query_split() -> None:
    graph = fake_graph(
        """
        modules.sales.domain.order -> seedwork.domain.entity
        modules.sales.application.command.place -> modules.sales.domain.order
        modules.sales.application.command.place -> seedwork.application.commands
        modules.sales.application.query.orders -> seedwork.application.queries
        modules.stock.domain.item -> seedwork.domain.entity
        modules.stock.application.command.add -> modules.stock.domain.item
        modules.stock.application.query.items -> seedwork.application.queries
        modules.stock.tests.test_add -> modules.stock.application.command.add
        seedwork.application.commands
        """
    )
    proposal = propose(graph, CLASSES)
    cqrs = [r for r in proposal.rules if r.type == "cqrs"]
    assert [r.options for r in cqrs] == [
        {"commands": ["modules.*.application.command"], "queries": ["modules.*.application.query"]}
    ]
    assert "modules is layered" not in [r.name for r in proposal.rules]


def test_sibling_packages_shaped_as_modules_are_autonomous_whatever_their_parent_is_called() -> (
    None
):
    graph = fake_graph(
        """
        shop.billing.application.pay -> shop.billing.domain.invoice
        shop.billing.application.pay -> shop.ordering.domain.order
        shop.ordering.application.place -> shop.ordering.domain.order
        shop.ordering.infrastructure.db -> shop.ordering.domain.order
        """
    )
    found = recognise_modules(graph, "shop")
    assert isinstance(found, Recognition)
    assert found.autonomous == ("shop",)
    assert found.because == ("its modules billing and ordering each have application and domain")


# --- Django -------------------------------------------------------------------------------


def test_a_django_project_gets_app_dependencies_and_model_isolation_never_migrations(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    site = init("djangosite", tmp_path, monkeypatch, capsys)

    assert (
        "  a Django project in mysite, because mysite has settings, urls, wsgi and asgi (the "
        "project); accounts and polls have models, views and urls (its apps); they import "
        "django\n"
    ) in site.out
    assert site.rule("modular_monolith")["modules"] == {
        "accounts": {"depends_on": []},
        "polls": {"depends_on": ["accounts"]},
    }
    assert site.rule("forbidden") == {
        "name": "The models of the Django apps import no views, forms, admin or urls",
        "type": "forbidden",
        "source_modules": ["accounts.models", "polls.models"],
        "forbidden_modules": [
            "accounts.admin",
            "accounts.forms",
            "accounts.urls",
            "accounts.views",
            "polls.admin",
            "polls.forms",
            "polls.urls",
            "polls.views",
        ],
    }
    assert not [m for m in site.layer_modules if m.endswith((".migrations", ".tests"))]
    # polls.views imports mysite.settings: the settings rule waits for --baseline
    assert not site.rules("protected")
    assert "Settings are read through django.conf.settings, never imported" in site.out
    assert check("--no-baseline") == 0


def test_with_a_baseline_a_django_project_reads_its_settings_through_django_conf(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    site = init("djangosite", tmp_path, monkeypatch, capsys, "--baseline")

    assert site.rule("protected") == {
        "name": "Settings are read through django.conf.settings, never imported",
        "type": "protected",
        "protected_modules": ["mysite.settings"],
        "allowed_importers": [],
    }
    assert "fitness: 1 known violation goes to the baseline\n" in site.out
    assert check() == 0


def test_the_django_plugins_rule_types_are_proposed_where_they_are_installed() -> None:
    graph = fake_graph(
        """
        blog.models -> django
        blog.views -> blog.models
        blog.admin -> blog.models
        shop.models -> blog.models
        shop.views -> shop.models
        """
    )
    found = recognise_django(
        graph, {"django_app_dependencies", "django_models_isolation", "django_settings_access"}
    )
    assert found is not None
    assert [(c.type, dict(c.options)) for c in found.candidates] == [
        ("django_app_dependencies", {"apps": {"blog": [], "shop": ["blog"]}}),
        ("django_models_isolation", {}),
    ]


def test_django_itself_is_no_django_project() -> None:
    # django is a root package here: nothing imports the framework from outside.
    graph = fake_graph(
        """
        django.contrib.auth.models -> django.db.models
        django.contrib.auth.admin -> django.contrib.auth.models
        django.contrib.sites.models -> django.db.models
        django.contrib.sites.admin -> django.contrib.sites.models
        """
    )
    assert recognise_django(graph, set()) is None


# --- a layered web service (FastAPI) ------------------------------------------------------


def test_a_web_service_is_recognised_and_not_layered_the_wrong_way_round(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    api = init("webapi", tmp_path, monkeypatch, capsys)

    assert (
        "  a layered web service in app, because it has main (the entry point), api (the web "
        "side), services, repositories (the data access), models, schemas and core; api "
        "imports fastapi\n"
    ) in api.out
    # app.repositories.items imports app.api.deps: neither the style nor today's order
    assert "app is layered" not in api.names
    assert (
        "app is not layered as its imports are today: app.repositories reaches app.api, the "
        "wrong way round for a layered web service"
    ) in api.text.replace("\n#  ", "")
    assert [m for m in api.layer_modules if "tests" in m.split(".")] == []
    assert check("--no-baseline") == 0


def test_with_a_baseline_a_web_service_is_layered_as_its_layout_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    api = init("webapi", tmp_path, monkeypatch, capsys, "--baseline")

    layered = next(r for r in api.rules("layers") if r["name"].startswith("app is"))
    assert layered == {
        "name": "app is a layered web service (main > api > services > repositories > "
        "models/schemas > core)",
        "type": "layers",
        "layers": [
            "app.main",
            "app.api",
            "app.services",
            "app.repositories",
            "app.models | app.schemas",
            "app.core",
        ],
    }
    rule = api.baseline["rules"][layered["name"]]
    assert [(v["importer"], v["imported"]) for v in rule["violations"]] == [
        ("app.repositories", "app.api")
    ]
    assert check() == 0


# --- src layouts, tests, the layering check ------------------------------------------------


def test_a_src_directory_that_is_a_package_is_the_root_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write_files(
        tmp_path,
        {
            "src/__init__.py": "",
            "src/app/__init__.py": "",
            "src/app/web.py": "from src.app import core\n",
            "src/app/core.py": "",
            "src/tests/__init__.py": "",
            "src/tests/test_web.py": "from src.app import web\n",
        },
    )
    monkeypatch.chdir(tmp_path)
    assert main(["init"]) == 0
    config = tomllib.loads((tmp_path / "pyproject.toml").read_text())["tool"]["fitness"]
    assert config["root_packages"] == ["src"]
    layers = {r["name"]: r["layers"] for r in config["rules"] if r["type"] == "layers"}
    assert layers == {"src.app is layered": ["src.app.web", "src.app.core"]}  # no src.tests
    assert check("--no-baseline") == 0


@pytest.mark.parametrize(
    ("name", "layer"),
    [
        ("tests", False),
        ("test_models", False),
        ("conftest", False),
        ("models_test", False),
        ("migrations", False),
        ("__main__", False),
        ("testimonials", True),
        ("domain", True),
    ],
)
def test_which_children_may_be_layers(name: str, layer: bool) -> None:
    assert is_layer(name) is layer


def test_a_layering_that_runs_the_wrong_way_for_the_style_is_found() -> None:
    import networkx as nx

    reaches = nx.DiGraph([("a.app", "a.adapters"), ("a.adapters", "a.domain"), ("a.x", "a.app")])
    ranks = {"a.adapters": 1, "a.app": 2, "a.domain": 3}
    assert wrong_way(reaches, ranks) == ("a.app", "a.adapters")
    assert wrong_way(nx.DiGraph([("a.adapters", "a.app")]), ranks) is None


def test_every_rule_proposed_with_a_backlog_can_be_checked_and_only_styles_are_broken() -> None:
    graph = fake_graph(
        """
        app.domain.model -> app.domain.events
        app.service_layer.handlers -> app.domain.model
        app.service_layer.uow -> app.adapters.repository
        app.adapters.repository -> app.domain.model
        app.entrypoints.web -> app.bootstrap
        app.bootstrap -> app.adapters.repository
        app.bootstrap -> app.service_layer.handlers
        """,
        external=True,
    )
    classes = CLASSES
    proposal = propose(graph, classes, backlog=True)
    assert proposal.broken == ("app is a hexagon (ports and adapters)", "app is an onion")
    assert not proposal.held_back
    broken = []
    for proposed in proposal.rules:
        result = build_rule(classes[proposed.type], proposed.raw()).result(graph)
        assert not result.errors, proposed.name
        if not result.passed:
            broken.append(proposed.type)
    assert broken == ["hexagonal", "onion"]
    assert propose(graph, classes).held_back == (
        "app is a hexagon (ports and adapters)",
        "app is an onion",
    )


def test_the_proposal_is_the_same_bytes_whatever_the_hash_seed(tmp_path: Path) -> None:
    project = tmp_path / "modular"
    shutil.copytree(LAYOUTS / "modular", project)
    outputs = set()
    for seed in ("0", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        result = subprocess.run(
            [sys.executable, "-m", "fitness", "init", "--baseline", "--dry-run"],
            cwd=project,
            capture_output=True,
            text=True,
            check=False,
            env=env,
        )
        assert result.returncode == 0, result.stderr
        outputs.add(result.stdout)
    assert len(outputs) == 1


def test_baseline_takes_the_file_to_write_and_the_configuration_names_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    api = init("webapi", tmp_path, monkeypatch, capsys, "--baseline", "arch/backlog.json")

    assert api.config["baseline"] == "arch/backlog.json"
    assert not (api.project / "fitness-baseline.json").exists()
    recorded = json.loads((api.project / "arch" / "backlog.json").read_text())
    assert recorded["tool"] == "pytest-fitness" and recorded["rules"]
    assert check() == 0


def test_baseline_refuses_a_directory_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "webapi"
    shutil.copytree(LAYOUTS / "webapi", project)
    before = (project / "pyproject.toml").read_bytes()
    monkeypatch.chdir(tmp_path)

    assert main(["init", "--baseline", "webapi"]) == 2

    assert capsys.readouterr().err == (
        "fitness: error: --baseline webapi: is a directory; --baseline takes the baseline "
        "file to write (name the project first: fitness init DIRECTORY --baseline)\n"
    )
    assert (project / "pyproject.toml").read_bytes() == before


def test_a_file_in_the_baselines_place_that_is_no_baseline_is_left_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "webapi"
    shutil.copytree(LAYOUTS / "webapi", project)
    (project / "notes.json").write_text('{"mine": true}\n')
    before = (project / "pyproject.toml").read_bytes()
    monkeypatch.chdir(project)

    assert main(["init", "--baseline", "notes.json"]) == 2

    assert "exists and is not a fitness baseline" in capsys.readouterr().err
    assert (project / "notes.json").read_text() == '{"mine": true}\n'
    assert (project / "pyproject.toml").read_bytes() == before  # nothing written


def test_with_a_baseline_and_nothing_broken_there_is_no_backlog_to_speak_of(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    shop = tmp_path / "shop"
    shutil.copytree(Path(__file__).parents[2] / "examples" / "shop", shop)
    (shop / "pyproject.toml").write_text('[project]\nname = "shop"\n')
    monkeypatch.chdir(shop)

    assert main(["init", "--baseline"]) == 0

    out = capsys.readouterr().out
    assert "# Proposed by `fitness init` from the code as it is today" in out
    assert "fitness: 8 of 8 rules hold today (nothing to baseline)\n" in out
    assert not (shop / "fitness-baseline.json").exists()
