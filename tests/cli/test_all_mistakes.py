"""Every configuration mistake of a run is reported together, each at its file:line:
not one run per mistake. In ``fitness check`` one line each (exit 2); in pytest the
configuration item lists them (module names, which need the graph, on their rule's item)."""

from __future__ import annotations

from pathlib import Path

import pytest

from fitness.cli import main
from tests.cli.test_bad_input import project

SEVERAL = """
[tool.fitness]
root_packages = ["shop"]
blind_spot = "list"

[[tool.fitness.rules]]
name = "layers"
type = "layer"
layers = ["shop.application", "shop.domain"]

[[tool.fitness.rules]]
name = "forbidden"
type = "forbidden"
source_module = ["shop.domain"]
forbidden_modules = "shop.application"
as_packages = 3

[[tool.fitness.rules]]
name = "forbidden"
type = "independence"
modules = ["shop.domain", "shop.application"]
"""

EXPECTED = [
    "{path}:3: [tool.fitness]: unknown key 'blind_spot'; did you mean 'blind_spots'?",
    "{path}:7: [[tool.fitness.rules]] #1 ('layers'): unknown rule type 'layer'; did you mean "
    "'layers'? (available: ",
    "{path}:13: [[tool.fitness.rules]] #2 ('forbidden'): unknown option 'source_module'; did "
    "you mean 'source_modules'?",
    "{path}:14: [[tool.fitness.rules]] #2 ('forbidden'): option 'forbidden_modules' must be a "
    "list of strings, not a string ('shop.application'): write forbidden_modules = [\"shop."
    'application"]',
    "{path}:15: [[tool.fitness.rules]] #2 ('forbidden'): option 'as_packages' must be true or "
    "false, not an integer (3)",
    "{path}:18: [[tool.fitness.rules]] #3: the name 'forbidden' is used by another rule; rule "
    "names must be unique",
]

MISSPELT_MODULES = """
[tool.fitness]
root_packages = ["shop"]

[[tool.fitness.rules]]
name = "pure domain"
type = "forbidden"
source_modules = ["shop.domian", "shop.domain"]
forbidden_modules = ["shop.aplication"]

[[tool.fitness.rules]]
name = "right"
type = "forbidden"
source_modules = ["shop.domain"]
forbidden_modules = ["shop.application"]

[[tool.fitness.rules]]
name = "domain classes"
type = "classes"
modules = ["shop.domain", "shop.domian"]
excluding = ["shop.legacy"]
should_be_named = ["*"]
"""


def check(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["check", "--config", str(root / "pyproject.toml")])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_fitness_check_reports_every_mistake_of_the_configuration_one_line_each(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(tmp_path, SEVERAL)
    path = root / "pyproject.toml"

    code, out, err = check(root, capsys)

    assert code == 2
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == len(EXPECTED)
    for line, expected in zip(lines, EXPECTED, strict=True):
        assert line.startswith("fitness: error: " + expected.format(path=path)), line


def test_pytest_lists_every_mistake_in_the_configuration_item(pytester: pytest.Pytester) -> None:
    project(pytester.path, SEVERAL)
    path = pytester.path / "pyproject.toml"

    result = pytester.runpytest("-p", "no:randomly")

    result.assert_outcomes(failed=1)
    out = result.stdout.str()
    assert "pytest-fitness: 6 mistakes in the configuration:" in out
    for expected in EXPECTED:
        assert "  " + expected.format(path=path) in out
    assert "FAILED pyproject.toml::configuration" in out


def test_every_misspelt_module_is_reported_at_its_option_and_the_other_rules_are_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(tmp_path, MISSPELT_MODULES)
    path = root / "pyproject.toml"

    code, out, err = check(root, capsys)

    assert code == 2
    assert out.splitlines()[:3] == ["ERROR  pure domain", "KEPT   right", "ERROR  domain classes"]
    assert err.splitlines() == [
        f"fitness: error: {path}:7: rule 'pure domain': source_modules: module 'shop.domian' "
        "is not in the graph; did you mean 'shop.domain'?",
        f"fitness: error: {path}:8: rule 'pure domain': forbidden_modules: module "
        "'shop.aplication' is not in the graph; did you mean 'shop.application'?",
        f"fitness: error: {path}:19: rule 'domain classes': modules: module 'shop.domian' is "
        "not in the graph; did you mean 'shop.domain'?",
        f"fitness: error: {path}:20: rule 'domain classes': excluding: module 'shop.legacy' "
        "is not in the graph, nor a class or function of the project",
    ]


def test_pytest_fails_each_rule_with_its_misspelt_modules_at_their_lines(
    pytester: pytest.Pytester,
) -> None:
    project(pytester.path, MISSPELT_MODULES)
    path = pytester.path / "pyproject.toml"

    result = pytester.runpytest("-p", "no:randomly")

    result.assert_outcomes(failed=2, passed=1)
    result.stdout.fnmatch_lines(
        [
            "*fitness: pure domain*",
            "source_modules: module 'shop.domian' is not in the graph; did you mean 'shop.domain'?",
            "forbidden_modules: module 'shop.aplication' is not in the graph; *",
            f"pytest-fitness: {path}:7: rule 'pure domain': source_modules: module 'shop.domian' "
            "is not in the graph; did you mean 'shop.domain'?",
            f"pytest-fitness: {path}:8: rule 'pure domain': forbidden_modules: *",
            "*fitness: domain classes*",
            f"pytest-fitness: {path}:19: rule 'domain classes': modules: *",
            f"pytest-fitness: {path}:20: rule 'domain classes': excluding: *",
        ]
    )


def test_a_long_list_of_mistakes_is_cut_at_fifty(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    keys = "".join(f"unknown_{n:02} = 1\n" for n in range(60))
    root = project(tmp_path, f'[tool.fitness]\nroot_packages = ["shop"]\n{keys}')

    code, _, err = check(root, capsys)

    assert code == 2
    lines = err.splitlines()
    assert len(lines) == 51
    assert "unknown key 'unknown_00'" in lines[0]
    assert "unknown key 'unknown_49'" in lines[49]
    assert lines[50] == "fitness: error: ... and 10 more mistakes"


def test_an_import_linter_configuration_reports_each_mistake_of_each_contract(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project(tmp_path, "")
    (tmp_path / "pyproject.toml").unlink()
    (tmp_path / ".importlinter").write_text(
        "[importlinter]\nroot_package = shop\n\n"
        "[importlinter:contract:one]\nname = One\ntype = forbidden\n"
        "source_modules = shop.domain\nforbidden_modulez = shop.application\n"
        "as_packages = maybe\n\n"
        "[importlinter:contract:two]\nname = Two\ntype = layer\n",
        encoding="utf-8",
    )

    code = main(["check", "--config", str(tmp_path / ".importlinter")])
    err = capsys.readouterr().err

    assert code == 2
    lines = err.splitlines()
    assert len(lines) == 3, err
    assert ":8: " in lines[0] and "unknown option 'forbidden_modulez'" in lines[0]
    assert ":9: " in lines[1] and "option 'as_packages' must be true or false" in lines[1]
    assert ":13: " in lines[2] and "unknown contract type 'layer'; did you mean" in lines[2]


MODULAR_MONOLITH = """
[tool.fitness]
root_packages = ["shop"]

[[tool.fitness.rules]]
name = "modules"
type = "modular_monolith"

[tool.fitness.rules.modules]
"shop.domain" = { interface = ["shop.domain.model", "*"] }
"shop.application" = { depends_on = ["shop.domain"], interface = ["shop.application.services"] }
"""


def test_every_mistake_in_a_modular_monoliths_interfaces_is_reported_at_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(tmp_path, MODULAR_MONOLITH)
    path = root / "pyproject.toml"

    code, _, err = check(root, capsys)

    assert code == 2
    label = "[[tool.fitness.rules]] #1 ('modules'): "
    assert err.splitlines() == [
        f"fitness: error: {path}:9: {label}modules.shop.domain.interface: 'shop.domain.model' "
        "is not a submodule name; write it relative to shop.domain ('api' for shop.domain.api)",
        f"fitness: error: {path}:9: {label}modules.shop.domain.interface: '*' is not a "
        "submodule name; write it relative to shop.domain ('api' for shop.domain.api)",
        f"fitness: error: {path}:10: {label}modules.shop.application.interface: "
        "'shop.application.services' is not a submodule name; write it relative to "
        "shop.application ('api' for shop.application.api)",
    ]


def test_every_interface_a_modular_monolith_lacks_is_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = MODULAR_MONOLITH.replace('"shop.domain.model", "*"', '"modle", "mony"').replace(
        '"shop.application.services"', '"service"'
    )
    root = project(tmp_path, config)
    path = root / "pyproject.toml"

    code, out, err = check(root, capsys)

    assert code == 2
    assert err.splitlines() == [
        f"fitness: error: {path}:9: rule 'modules': modules.shop.domain.interface: shop.domain "
        "has no submodule 'modle'; did you mean 'model'?",
        f"fitness: error: {path}:9: rule 'modules': modules.shop.domain.interface: shop.domain "
        "has no submodule 'mony'; did you mean 'money'?",
        f"fitness: error: {path}:10: rule 'modules': modules.shop.application.interface: "
        "shop.application has no submodule 'service'; did you mean 'services'?",
    ]
    assert out.splitlines()[0] == "ERROR  modules"
    for missing in ("'service'", "'modle'", "'mony'"):
        assert f"has no submodule {missing}" in out


IMPORTLINTER_SESSION = """\
[importlinter]
root_packages =
    shop
    src/shop
include_external_packages = maybe
exclude_type_checking_imports = yes
contract_types =
    no separator
show_timing = True

[importlinter:contract:one]
name = One
type = forbidden
source_modules = shop.domain
forbidden_modulez = shop.application
"""


def test_an_import_linter_configuration_reports_every_session_mistake_with_the_contracts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The session options stopped at the first mistake: one run per mistake.
    project(tmp_path, "")
    (tmp_path / "pyproject.toml").unlink()
    path = tmp_path / ".importlinter"
    path.write_text(IMPORTLINTER_SESSION, encoding="utf-8")

    code = main(["check", "--config", str(path)])
    err = capsys.readouterr().err

    assert code == 2
    assert err.splitlines() == [
        f"fitness: error: {path}:2: [importlinter]: root package 'src/shop' must be a package "
        "name: a top-level package, or a portion of a namespace package "
        "('company.team.service')",
        f"fitness: error: {path}:5: [importlinter]: option 'include_external_packages' must be "
        "true or false, not 'maybe'",
        f"fitness: error: {path}:6: [importlinter]: option 'exclude_type_checking_imports' "
        "must be true or false, not 'yes'",
        f"fitness: error: {path}:7: [importlinter]: contract_types entry 'no separator' must be "
        "'name: package.module.Class'",
        f"fitness: error: {path}:9: [importlinter]: unknown option 'show_timing'; did you mean "
        "'show_timings'?",
        f"fitness: error: {path}:15: contract 'one' ('One'): unknown option 'forbidden_modulez'; "
        "did you mean 'forbidden_modules'?",
    ]


def test_an_import_linter_toml_session_reports_every_mistake_without_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # `root_packages = 3` was a TypeError traceback.
    root = project(
        tmp_path,
        """
        [tool.importlinter]
        root_packages = 3
        contract_types = 5
        exclude_type_checking_imports = "x"

        [[tool.importlinter.contracts]]
        name = "One"
        type = "forbidden"
        source_modules = ["shop.domain"]
        forbidden_modules = ["shop.application"]
        """,
    )
    path = root / "pyproject.toml"

    code, out, err = check(root, capsys)

    assert (code, out) == (2, "")
    assert err.splitlines() == [
        f"fitness: error: {path}:2: [tool.importlinter]: 'root_packages' must be a list of "
        "package names, not an integer (3)",
        f"fitness: error: {path}:3: [tool.importlinter]: 'contract_types' must be a list of "
        "'name: package.module.Class' entries, not an integer (5)",
        f"fitness: error: {path}:4: [tool.importlinter]: option 'exclude_type_checking_imports' "
        "must be true or false, not 'x'",
    ]


def test_pytest_lists_every_session_mistake_of_an_import_linter_configuration(
    pytester: pytest.Pytester,
) -> None:
    project(pytester.path, "")
    (pytester.path / "pyproject.toml").unlink()
    (pytester.path / ".importlinter").write_text(IMPORTLINTER_SESSION, encoding="utf-8")

    result = pytester.runpytest("-p", "no:randomly")

    result.assert_outcomes(failed=1)
    out = result.stdout.str()
    assert "pytest-fitness: 6 mistakes in the configuration:" in out
    for line in (2, 5, 6, 7, 9, 15):
        assert f"  {pytester.path / '.importlinter'}:{line}: " in out
