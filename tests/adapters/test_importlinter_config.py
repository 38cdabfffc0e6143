"""import-linter configurations run unchanged: pytest items and `fitness check`, from
``[tool.importlinter]``, ``.importlinter`` and ``setup.cfg``, custom contract types, errors."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import grimp
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fitness.adapters.config.discovery import find_config
from fitness.adapters.config.importlinter import read_options
from fitness.adapters.config.importlinter_contracts import ImportLinterContractRule
from fitness.adapters.config.source import load_config
from fitness.adapters.packages import GrimpGraphBuilder, find_package_dirs
from fitness.application.checking import check_rule
from fitness.cli import main
from fitness.domain.config import GraphSettings
from fitness.domain.errors import ConfigError, RuleError
from fitness.domain.rules import ForbiddenRule, IndependenceRule, LayersRule, ProtectedRule
from fitness.domain.rules.imports.protected import ImportLinterProtectedRule
from fitness.domain.rules.support import apply_ignores
from tests.helpers import fake_graph, write_files

# A small application: the domain reaches up into the API (one layers violation), the
# API imports the database adapter directly (a forbidden import).
PACKAGE = {
    "app/__init__.py": "",
    "app/api/__init__.py": "",
    "app/api/views.py": "import app.services.orders\nimport app.adapters.db\n",
    "app/services/__init__.py": "",
    "app/services/orders.py": "import app.domain.model\n",
    "app/domain/__init__.py": "",
    "app/domain/model.py": "from app.domain import money\n",
    "app/domain/money.py": "",
    "app/domain/pricing.py": "import app.api.views  # reaching up\n",
    "app/adapters/__init__.py": "",
    "app/adapters/db.py": "import sqlite3\n",
    "app/adapters/mail.py": "import smtplib\n",
}

INI = """
    [importlinter]
    root_package = app
    include_external_packages = True

    [importlinter:contract:layers]
    name = App layers
    type = layers
    layers =
        app.api
        app.services
        app.domain

    [importlinter:contract:api-no-db]
    name = The API does not touch the database
    type = forbidden
    source_modules =
        app.api
    forbidden_modules =
        app.adapters.db
        sqlite3
    allow_indirect_imports = true

    [importlinter:contract:adapters]
    name = Adapters are independent
    type = independence
    modules =
        app.adapters.*
"""

TOML = """
    [tool.importlinter]
    root_packages = ["app"]
    include_external_packages = true

    [[tool.importlinter.contracts]]
    id = "layers"
    name = "App layers"
    type = "layers"
    layers = ["app.api", "app.services", "app.domain"]
    ignore_imports = ["app.domain.pricing -> app.api.*"]

    [[tool.importlinter.contracts]]
    id = "mail"
    name = "Only adapters send mail"
    type = "forbidden"
    source_modules = ["app.api", "app.services", "app.domain"]
    forbidden_modules = ["smtplib"]
"""


def project(root: Path, files: dict[str, str]) -> Path:
    return write_files(root, {**PACKAGE, **files})


# --- the three configuration sources, under pytest -----------------------------------------


def test_importlinter_file_gives_one_item_per_contract(pytester: pytest.Pytester) -> None:
    project(pytester.path, {".importlinter": INI})
    result = pytester.runpytest("-p", "no:cacheprovider", "-rA")
    result.assert_outcomes(passed=1, failed=2)
    for line in (
        "PASSED .importlinter::Adapters are independent",
        "FAILED .importlinter::App layers*",
        "FAILED .importlinter::The API does not touch the database*",
    ):
        result.stdout.fnmatch_lines([line])
    # The failure is fitness's: chain, file and line.
    result.stdout.fnmatch_lines(
        [
            "app.domain is not allowed to import app.api:",
            "  app.domain.pricing -> app.api.views",
            "    app/domain/pricing.py:1  import app.api.views  # reaching up",
        ]
    )
    result.stdout.fnmatch_lines(["app.api is not allowed to import app.adapters.db:"])


def test_setup_cfg_importlinter_section(pytester: pytest.Pytester) -> None:
    project(pytester.path, {"setup.cfg": "[metadata]\nname = app\n" + textwrap.dedent(INI)})
    result = pytester.runpytest("-p", "no:cacheprovider", "--collect-only", "-q")
    result.stdout.fnmatch_lines(
        [
            "setup.cfg::App layers",
            "setup.cfg::The API does not touch the database",
            "setup.cfg::Adapters are independent",
        ]
    )


def test_setup_cfg_without_importlinter_section_is_not_collected(
    pytester: pytest.Pytester,
) -> None:
    project(pytester.path, {"setup.cfg": "[metadata]\nname = app\n"})
    result = pytester.runpytest("-p", "no:cacheprovider", "--collect-only", "-q")
    assert "setup.cfg::" not in result.stdout.str()


def test_pyproject_tool_importlinter(pytester: pytest.Pytester) -> None:
    project(pytester.path, {"pyproject.toml": TOML})
    result = pytester.runpytest("-p", "no:cacheprovider", "-rA")
    result.assert_outcomes(passed=2)  # the ignore_imports entry keeps the layers
    result.stdout.fnmatch_lines(
        ["PASSED pyproject.toml::App layers", "PASSED pyproject.toml::Only adapters send mail"]
    )


def test_tool_fitness_wins_over_an_importlinter_config(pytester: pytest.Pytester) -> None:
    fitness = """
        [tool.fitness]
        root_packages = ["app"]

        [[tool.fitness.rules]]
        name = "Declared for fitness"
        type = "independence"
        modules = ["app.adapters.db", "app.adapters.mail"]
    """
    project(pytester.path, {"pyproject.toml": fitness + TOML, ".importlinter": INI})
    assert find_config(pytester.path) == pytester.path / "pyproject.toml"
    result = pytester.runpytest("-p", "no:cacheprovider", "--collect-only", "-q")
    result.stdout.fnmatch_lines(["pyproject.toml::Declared for fitness", "1 test collected*"])


def test_importlinter_order_setup_cfg_then_importlinter_then_pyproject(tmp_path: Path) -> None:
    project(tmp_path, {"pyproject.toml": TOML, ".importlinter": INI})
    assert find_config(tmp_path) == tmp_path / ".importlinter"
    write_files(tmp_path, {"setup.cfg": INI})
    assert find_config(tmp_path / "app" / "domain") == tmp_path / "setup.cfg"


def test_contracts_are_collected_when_testpaths_leave_the_file_out(
    pytester: pytest.Pytester,
) -> None:
    project(
        pytester.path,
        {
            ".importlinter": INI,
            "pytest.ini": "[pytest]\ntestpaths = tests\n",
            "tests/test_unit.py": "def test_unit(): pass\n",
        },
    )
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=2, failed=2)


def test_fitness_config_option_accepts_an_importlinter_file(pytester: pytest.Pytester) -> None:
    project(pytester.path, {"config/contracts.ini": INI, "test_unit.py": "def test_x(): pass\n"})
    result = pytester.runpytest(
        "-p", "no:cacheprovider", "--fitness-config", "config/contracts.ini", "test_unit.py"
    )
    result.assert_outcomes(passed=2, failed=2)


# --- readers: the same options as import-linter's own readers ----------------------------------


@pytest.mark.parametrize("name", [".importlinter", "setup.cfg", "pyproject.toml"])
def test_reader_matches_importlinters_own(tmp_path: Path, name: str) -> None:
    from importlinter.application.use_cases import read_user_options
    from importlinter.configuration import configure

    text = TOML if name == "pyproject.toml" else INI + "\n    ignore_imports =\n\n        x -> y\n"
    project(tmp_path, {name: text})
    configure()
    theirs = read_user_options(config_filename=str(tmp_path / name))
    ours = read_options(tmp_path / name)
    assert ours.contracts_options == theirs.contracts_options
    session = dict(ours.session_options)
    if "root_package" in session:  # import-linter normalizes it after reading
        session["root_packages"] = [session.pop("root_package")]
    assert session == theirs.session_options


def test_native_rules_are_built_from_ini_lists_and_string_booleans(tmp_path: Path) -> None:
    project(tmp_path, {".importlinter": INI})
    rules = load_config(tmp_path / ".importlinter").config.rules
    layers, forbidden, independence = rules
    assert isinstance(layers, LayersRule)
    assert layers.layers == ("app.api", "app.services", "app.domain")
    assert isinstance(forbidden, ForbiddenRule)
    assert forbidden.forbidden_modules == ("app.adapters.db", "sqlite3")
    assert forbidden.allow_indirect_imports is True
    assert isinstance(independence, IndependenceRule)


# --- custom contract types ---------------------------------------------------------------------

CUSTOM_CONTRACTS = '''
from importlinter import Contract, ContractCheck, fields, output
from importlinter.contracts.forbidden import ForbiddenContract


class NoImportersContract(Contract):
    """Nothing may import the given modules (opaque metadata: rendered as text)."""

    modules = fields.ListField(subfield=fields.StringField())

    def check(self, graph, verbose):
        importers = sorted(
            (importer, module)
            for module in self.modules
            for importer in graph.find_modules_that_directly_import(module)
        )
        return ContractCheck(kept=not importers, metadata={"found": importers})

    def render_broken_contract(self, check):
        for importer, module in check.metadata["found"]:
            output.print_error(f"{importer} imports {module}, which nobody may import")


class LoudForbidden(ForbiddenContract):
    """import-linter's forbidden contract under another name (chain metadata)."""
'''


def custom_ini(module: str) -> str:
    return f"""
        [importlinter]
        root_packages =
            app
        contract_types =
            no_importers: {module}.NoImportersContract
            loud_forbidden: {module}.LoudForbidden

        [importlinter:contract:nobody]
        name = Nobody imports the mail adapter
        type = no_importers
        modules =
            app.adapters.mail

        [importlinter:contract:pricing]
        name = Nobody imports pricing
        type = no_importers
        modules = app.domain.money

        [importlinter:contract:loud]
        name = Services do not reach the database
        type = loud_forbidden
        source_modules = app.services
        forbidden_modules = app.adapters.db
    """


def test_custom_contract_types_run_through_importlinter(pytester: pytest.Pytester) -> None:
    project(
        pytester.path,
        {".importlinter": custom_ini("contracts_a"), "contracts_a.py": CUSTOM_CONTRACTS},
    )
    result = pytester.runpytest("-p", "no:cacheprovider", "-rA")
    result.assert_outcomes(passed=2, failed=1)
    for line in (
        "PASSED .importlinter::Nobody imports the mail adapter",
        "FAILED .importlinter::Nobody imports pricing - *",
        "PASSED .importlinter::Services do not reach the database",
    ):
        result.stdout.fnmatch_lines([line])
    # Opaque metadata: the contract's own rendering is the violation.
    result.stdout.fnmatch_lines(
        ["app.domain.model imports app.domain.money, which nobody may import"]
    )


def test_a_custom_contract_with_chain_metadata_gives_chains_with_lines(tmp_path: Path) -> None:
    files = dict(PACKAGE)
    files["app/services/orders.py"] += "import app.api.views\n"
    write_files(tmp_path, {**files, ".importlinter": custom_ini("contracts_b")})
    write_files(tmp_path, {"contracts_b.py": CUSTOM_CONTRACTS})
    from fitness.adapters.packages import GrimpGraphBuilder
    from fitness.application.checking import check_rule

    loaded = load_config(tmp_path / ".importlinter")
    loud = loaded.config.rules[2]
    assert isinstance(loud, ImportLinterContractRule)
    graph = GrimpGraphBuilder(tmp_path, cache_dir=None).build(loaded.config.graph)
    result = check_rule(loud, graph)
    (violation,) = result.violations
    assert (violation.importer, violation.imported) == ("app.services", "app.adapters.db")
    (chain,) = violation.chains
    assert chain.modules == ("app.services.orders", "app.api.views", "app.adapters.db")
    assert chain.links[0].location == "app/services/orders.py:2"
    assert loaded.line_of_rule(2) == 19  # [importlinter:contract:loud]


def test_a_project_type_replaces_a_builtin_of_the_same_name(tmp_path: Path) -> None:
    ini = custom_ini("contracts_c").replace("loud_forbidden:", "forbidden:")
    ini = ini.replace("type = loud_forbidden", "type = forbidden")
    project(tmp_path, {".importlinter": ini, "contracts_c.py": CUSTOM_CONTRACTS})
    rule = load_config(tmp_path / ".importlinter").config.rules[2]
    assert isinstance(rule, ImportLinterContractRule)
    assert rule.class_path == "contracts_c.LoudForbidden"


def test_fitness_check_runs_an_importlinter_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project(tmp_path, {"setup.cfg": custom_ini("contracts_d"), "contracts_d.py": CUSTOM_CONTRACTS})
    monkeypatch.chdir(tmp_path / "app")
    assert main(["check", "--no-cache"]) == 1
    out = capsys.readouterr().out
    assert "KEPT   Nobody imports the mail adapter" in out
    assert "BROKEN Nobody imports pricing" in out
    assert "app.domain.model imports app.domain.money, which nobody may import" in out
    assert out.rstrip().endswith("2 kept, 1 broken (1 violation)")


def test_fitness_check_on_a_kept_toml_config(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project(tmp_path, {"pyproject.toml": TOML})
    assert main(["check", "--no-cache", "--config", str(tmp_path)]) == 0
    assert "KEPT   App layers" in capsys.readouterr().out


# --- a contract copied into [[tool.fitness.rules]] works as written --------------------------


def test_a_contract_copied_into_tool_fitness_works_as_written(pytester: pytest.Pytester) -> None:
    copied = """
        [tool.fitness]
        root_packages = ["app"]
        include_external_packages = true

        [[tool.fitness.rules]]
        id = "layers"
        name = "App layers"
        type = "layers"
        layers = ["app.api", "app.services", "app.domain"]
        containers = []
        ignore_imports = ["app.domain.pricing -> app.api.*"]
        unmatched_ignore_imports_alerting = "error"
        exhaustive = false
        exhaustive_ignores = []
        broken_contract_guidance = "Ask the architects."

        [[tool.fitness.rules]]
        id = "db"
        name = "The API does not touch the database"
        type = "forbidden"
        source_modules = ["app.api"]
        forbidden_modules = ["app.adapters.db", "sqlite3"]
        ignore_imports = []
        allow_indirect_imports = "True"
        unmatched_ignore_imports_alerting = "warn"
        as_packages = true
        broken_contract_guidance = "Go through a service."

        [[tool.fitness.rules]]
        id = "adapters"
        name = "Adapters are independent"
        type = "independence"
        modules = ["app.adapters.*"]
        ignore_imports = []
        unmatched_ignore_imports_alerting = "none"
        broken_contract_guidance = ""
    """
    project(pytester.path, {"pyproject.toml": copied})
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(["How to fix: Go through a service."])


# --- errors: short, with file and line -----------------------------------------------------------


def load_error(path: Path) -> str:
    with pytest.raises(ConfigError) as excinfo:
        load_config(path)
    return str(excinfo.value)


def test_malformed_ini_names_file_and_line(tmp_path: Path) -> None:
    project(tmp_path, {".importlinter": "[importlinter]\nroot_package = app\nthis line is wrong\n"})
    message = load_error(tmp_path / ".importlinter")
    assert message.startswith(f"{tmp_path / '.importlinter'}:3: invalid INI")
    assert "this line is wrong" in message


def test_duplicate_option_names_file_and_line(tmp_path: Path) -> None:
    ini = "[importlinter]\nroot_package = app\nroot_package = other\n"
    project(tmp_path, {".importlinter": ini})
    message = load_error(tmp_path / ".importlinter")
    assert message.startswith(f"{tmp_path / '.importlinter'}:3: invalid INI")
    assert "root_package" in message


def test_unknown_contract_type_with_did_you_mean(tmp_path: Path) -> None:
    project(tmp_path, {".importlinter": INI.replace("type = independence", "type = independance")})
    message = load_error(tmp_path / ".importlinter")
    assert message.startswith(f"{tmp_path / '.importlinter'}:25: contract 'adapters'")
    assert "unknown contract type 'independance'; did you mean 'independence'?" in message


def test_unknown_option_with_did_you_mean_in_toml(tmp_path: Path) -> None:
    project(tmp_path, {"pyproject.toml": TOML.replace("ignore_imports", "ignore_import")})
    message = load_error(tmp_path / "pyproject.toml")
    assert message.startswith(f"{tmp_path / 'pyproject.toml'}:10: contract 'layers'")
    assert "unknown option 'ignore_import'; did you mean 'ignore_imports'?" in message


def test_a_percent_sign_in_ini_is_explained(tmp_path: Path) -> None:
    project(tmp_path, {".importlinter": INI.replace("name = App layers", "name = 100% layered")})
    message = load_error(tmp_path / ".importlinter")
    assert message.startswith(f"{tmp_path / '.importlinter'}:6: ")
    assert "write %% for a literal %" in message


def test_invalid_custom_contract_options_name_the_option(tmp_path: Path) -> None:
    ini = custom_ini("contracts_e").replace("modules = app.domain.money", "moduls = x")
    project(tmp_path, {".importlinter": ini, "contracts_e.py": CUSTOM_CONTRACTS})
    message = load_error(tmp_path / ".importlinter")
    assert message.startswith(f"{tmp_path / '.importlinter'}:")
    assert "contract 'Nobody imports pricing'" in message


def test_a_custom_class_that_cannot_be_imported(tmp_path: Path) -> None:
    project(tmp_path, {".importlinter": custom_ini("no_such_module_here")})
    message = load_error(tmp_path / ".importlinter")
    assert "cannot import 'no_such_module_here'" in message


def test_missing_importlinter_fails_only_the_custom_contracts(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    ini = textwrap.dedent(custom_ini("contracts_f")) + textwrap.dedent(
        """
        [importlinter:contract:native]
        name = Adapters are independent
        type = independence
        modules = app.adapters.*
        """
    )
    project(pytester.path, {".importlinter": ini, "contracts_f.py": CUSTOM_CONTRACTS})
    monkeypatch.setitem(sys.modules, "importlinter", None)  # as if it were not installed
    result = pytester.runpytest("-p", "no:cacheprovider", "-rA")
    result.assert_outcomes(passed=1, failed=3)
    assert (
        "contract 'Nobody imports pricing' has type 'no_importers', which runs through "
        "import-linter's own contract class (contracts_f.NoImportersContract), but "
        "import-linter is not installed; install it with: "
        "pip install 'pytest-fitness[importlinter]'"
    ) in result.stdout.str()
    assert "Traceback" not in result.stdout.str()


def test_cli_error_exit_2_without_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project(tmp_path, {".importlinter": INI.replace("root_package = app", "root_pakage = app")})
    assert main(["check", "--config", str(tmp_path / ".importlinter")]) == 2
    err = capsys.readouterr().err
    assert f"{tmp_path / '.importlinter'}:2:" in err
    assert "unknown option 'root_pakage'; did you mean 'root_package'?" in err


# --- import-linter's edge cases (issue 11 H) ---------------------------------------------------

# A service that is a portion of the namespace packages ``company`` and ``company.team``, with
# a second portion of ``company.team`` elsewhere on the path (another distribution).
SERVICE = {
    "src/company/team/service/__init__.py": "",
    "src/company/team/service/domain/__init__.py": "",
    "src/company/team/service/domain/model.py": "from ..adapters import db\n",
    "src/company/team/service/adapters/__init__.py": "",
    "src/company/team/service/adapters/db.py": "import company.team.billing.api\nimport sqlite3\n",
    "src/company/team/service/plugins/extra.py": "import company.team.service.domain.model\n",
    "vendor/company/team/billing/api.py": "import company.team.service\n",
}
SERVICE_INI = """
    [importlinter]
    root_package = company.team.service
    include_external_packages = True

    [importlinter:contract:layers]
    name = Service layers
    type = layers
    layers =
        company.team.service.adapters
        company.team.service.domain
"""


def graph_facts(graph: grimp.ImportGraph) -> tuple[list[tuple[str, bool]], list[tuple[str, str]]]:
    modules = sorted((m, graph.is_module_squashed(m)) for m in graph.modules)
    imports = sorted(
        (importer, imported)
        for importer in graph.modules
        for imported in graph.find_modules_directly_imported_by(importer)
    )
    return modules, imports


@pytest.mark.parametrize("roots", [("company.team.service",), ("company.team",)])
@pytest.mark.parametrize("external", [False, True])
def test_a_namespace_portion_as_root_package_gives_grimps_own_graph(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, roots: tuple[str, ...], external: bool
) -> None:
    write_files(tmp_path, SERVICE)
    sys_path = [str(tmp_path / "src"), str(tmp_path / "vendor")]
    settings = GraphSettings(
        root_packages=roots, include_external_packages=external, as_import_linter=True
    )
    cold = GrimpGraphBuilder(tmp_path, cache_dir=tmp_path / "cache", sys_path=sys_path)
    warm = GrimpGraphBuilder(tmp_path, cache_dir=tmp_path / "cache", sys_path=sys_path)
    monkeypatch.syspath_prepend(str(tmp_path / "vendor"))
    monkeypatch.syspath_prepend(str(tmp_path / "src"))
    expected = graph_facts(grimp.build_graph(*roots, include_external_packages=external))
    assert graph_facts(cold.build(settings).grimp) == expected
    assert graph_facts(warm.build(settings).grimp) == expected
    if roots == ("company.team",):  # both portions: billing in vendor/, service in src/
        assert ("company.team.billing.api", False) in expected[0]


def test_outside_import_linter_the_namespace_directory_inside_the_service_is_in_the_graph(
    tmp_path: Path,
) -> None:
    """``plugins/`` has no ``__init__.py``: grimp leaves it out, Python imports it (PEP 420)."""
    write_files(tmp_path, SERVICE)
    sys_path = [str(tmp_path / "src"), str(tmp_path / "vendor")]
    roots = ("company.team.service",)
    builder = GrimpGraphBuilder(tmp_path, sys_path=sys_path)
    theirs = builder.build(GraphSettings(root_packages=roots, as_import_linter=True))
    ours = builder.build(GraphSettings(root_packages=roots))
    assert "company.team.service.plugins.extra" not in theirs
    assert [u.module for u in theirs.unread_files] == ["company.team.service.plugins"]
    assert "company.team.service.plugins" in ours
    assert ours.import_lines(
        "company.team.service.plugins.extra", "company.team.service.domain.model"
    ) == [(1, "import company.team.service.domain.model")]
    assert ours.unread_files == ()


def test_the_portions_of_a_namespace_root_package_are_found_on_every_path(tmp_path: Path) -> None:
    write_files(tmp_path, SERVICE)
    paths = [tmp_path / "src", tmp_path / "vendor"]
    assert find_package_dirs("company.team", paths) == [
        tmp_path / "src/company/team",
        tmp_path / "vendor/company/team",
    ]
    assert find_package_dirs("company.team.service", paths) == [
        tmp_path / "src/company/team/service"
    ]


def test_importlinter_contracts_on_a_namespace_portion_run_under_pytest(
    pytester: pytest.Pytester,
) -> None:
    write_files(pytester.path, {**SERVICE, ".importlinter": SERVICE_INI})
    result = pytester.runpytest("-p", "no:cacheprovider", "-rA")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "company.team.service.domain is not allowed to import company.team.service.adapters:",
            "  company.team.service.domain.model -> company.team.service.adapters.db",
            "    src/company/team/service/domain/model.py:1  from ..adapters import db",
        ]
    )


def test_a_namespace_portion_as_root_package_in_tool_fitness(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = """
        [tool.fitness]
        root_packages = ["company.team.service"]

        [[tool.fitness.rules]]
        name = "The domain does not reach the adapters"
        type = "forbidden"
        source_modules = ["company.team.service.domain"]
        forbidden_modules = ["company.team.service.adapters"]
    """
    write_files(tmp_path, {**SERVICE, "pyproject.toml": config})
    assert main(["check", "--no-cache", "--config", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert (
        "    src/company/team/service/domain/model.py:1  from ..adapters import db"
    ) in out.splitlines()


@pytest.mark.parametrize(
    ("root", "message"),
    [
        (
            "company.team.service.domain",
            "root package 'company.team.service.domain' is inside the regular package "
            "'company.team.service' ({root}/src/company/team/service/__init__.py); a root "
            "package is a top-level package or a portion of a namespace package (name "
            "'company.team.service' instead?)",
        ),
        (
            "company.team.service.domain.model",  # a module inside a regular package
            "root package 'company.team.service.domain.model' is inside the regular package "
            "'company.team.service.domain' ({root}/src/company/team/service/domain/__init__.py); "
            "a root package is a top-level package or a portion of a namespace package (name "
            "'company.team.service' instead?)",
        ),
        (
            "company.team.billing.api",
            "root package 'company.team.billing.api' is a single module "
            "({root}/vendor/company/team/billing/api.py), not a package",
        ),
        (
            "company.team.servise",
            "root package 'company.team.servise' not found in {root}/src/company/team, "
            "{root}/vendor/company/team; did you mean 'company.team.service'?",
        ),
    ],
)
def test_a_root_package_that_is_no_namespace_portion_is_refused_with_the_reason(
    tmp_path: Path, root: str, message: str
) -> None:
    write_files(tmp_path, SERVICE)
    with pytest.raises(ConfigError) as excinfo:
        find_package_dirs(root, [tmp_path / "src", tmp_path / "vendor"])
    assert str(excinfo.value) == message.replace("{root}", str(tmp_path))


@pytest.mark.parametrize(
    "expression",
    [
        "app.domain.pricing->app.api.views",
        "app.domain.pricing  ->  app.api.*",
        " app.domain.** ->app.api.**",
    ],
)
def test_ignore_imports_are_read_whatever_the_spaces_around_the_arrow(
    tmp_path: Path, expression: str, capsys: pytest.CaptureFixture[str]
) -> None:
    toml = TOML.replace('"app.domain.pricing -> app.api.*"', f'"{expression}"')
    project(tmp_path, {"pyproject.toml": toml})
    assert main(["check", "--no-cache", "--config", str(tmp_path)]) == 0
    assert "KEPT   App layers" in capsys.readouterr().out


def test_an_unmatched_ignore_without_spaces_is_quoted_as_written() -> None:
    graph = fake_graph("app.a -> app.b")
    with pytest.raises(RuleError) as excinfo:
        apply_ignores(graph, ["app.b->app.a"])
    assert str(excinfo.value).splitlines()[0] == "ignore_imports: 'app.b->app.a' matches no import"


STALE_PROTECTED = """
    [importlinter]
    root_package = app

    [importlinter:contract:stale]
    name = Only the services import the domain
    type = protected
    protected_modules = app.domain
    allowed_importers =
        app.services
        app.api.old_views
    as_packages = {as_packages}
"""


def test_an_importlinter_protected_contract_keeps_a_missing_allowed_importer_silently(
    tmp_path: Path,
) -> None:
    """As import-linter does, not as packages: the importer that no longer exists allows
    nothing, and the contract is checked."""
    project(tmp_path, {".importlinter": STALE_PROTECTED.format(as_packages="False")})
    rule = load_config(tmp_path / ".importlinter").config.rules[0]
    assert isinstance(rule, ImportLinterProtectedRule)
    assert rule.type_name == "protected"
    graph = fake_graph("app.services.orders -> app.domain.model\napp.api.views -> app.domain")
    result = check_rule(rule, graph)
    assert (result.errors, result.warnings) == ((), ())
    assert [(v.importer, v.imported) for v in result.violations] == [
        ("app.api.views", "app.domain")
    ]


def test_a_native_protected_rule_warns_of_a_missing_allowed_importer() -> None:
    rule = ProtectedRule(
        name="p",
        protected_modules=("app.domain",),
        allowed_importers=("app.services", "app.api.old_views"),
        as_packages=False,
    )
    graph = fake_graph("app.services -> app.domain\napp.api.views -> app.domain")
    result = check_rule(rule, graph)
    assert result.errors == ()
    assert result.warnings == (
        "allowed_importers: module 'app.api.old_views' is not in the graph, so it allows "
        "nothing; did you mean 'app.api.views'?",
    )
    assert [(v.importer, v.imported) for v in result.violations] == [
        ("app.api.views", "app.domain")
    ]


@pytest.mark.parametrize("rule_class", ["native", "importlinter"])
def test_a_missing_allowed_importer_as_a_package_is_an_error_in_both(rule_class: str) -> None:
    """import-linter fails too: it needs the missing package's descendants."""
    cls = ProtectedRule if rule_class == "native" else ImportLinterProtectedRule
    rule = cls(
        name="p", protected_modules=("app.domain",), allowed_importers=("app.api.old_views",)
    )
    result = check_rule(rule, fake_graph("app.api.views -> app.domain"))
    assert result.errors == (
        "allowed_importers: module 'app.api.old_views' is not in the graph; "
        "did you mean 'app.api.views'?",
    )


ARROW_GRAPH = "app.a.x -> app.b.y\napp.a.x -> app.c\napp.b.y -> app.c\napp.c -> app.a"


@settings(max_examples=60, deadline=None)
@given(
    expression=st.sampled_from(
        ["app.a.x -> app.b.y", "app.*.x -> app.c", "app.** -> app.c", "app.b.y -> app.**"]
    ),
    before=st.text(" \t", max_size=3),
    after=st.text(" \t", max_size=3),
    outside=st.text(" ", max_size=2),
)
def test_the_spaces_around_the_arrow_never_change_what_is_ignored(
    expression: str, before: str, after: str, outside: str
) -> None:
    """As import-linter reads an import expression: each side is stripped."""
    importer, imported = expression.split(" -> ")
    written = f"{outside}{importer}{before}->{after}{imported}{outside}"
    graph = fake_graph(ARROW_GRAPH)
    expected, _ = apply_ignores(graph, [expression])
    ignored, _ = apply_ignores(graph, [written])
    assert sorted(ignored.grimp.modules) == sorted(expected.grimp.modules)
    assert ignored.grimp.count_imports() == expected.grimp.count_imports()
    for module in graph.modules:
        assert ignored.grimp.find_modules_directly_imported_by(
            module
        ) == expected.grimp.find_modules_directly_imported_by(module)
