"""Plugins add rule types: installed distributions (entry points) and project-local modules.

An installed distribution is simulated by a ``*.dist-info`` directory with an
``entry_points.txt`` on a ``sys.path`` entry: exactly what ``importlib.metadata``
(and so a real ``pip install``) gives us.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

from fitness.adapters.config.source import load_config
from fitness.cli import main
from fitness.domain.errors import ConfigError
from tests.helpers import write_files, write_project

#: A plugin module: one rule type, ``acme_max_depth`` (modules nested at most N deep).
ACME_RULES = """
from dataclasses import dataclass

from fitness import Chain, Findings, Link, ProjectGraph, Rule, Violation, hookimpl, option


@dataclass(frozen=True, kw_only=True)
class MaxDepthRule(Rule):
    type_name = "acme_max_depth"
    how_to_fix = "Flatten the package."

    max_depth: int = option(doc="how deep a module may be nested")
    count_packages: bool = option(True, doc="count packages as well as modules")

    def describe(self) -> str:
        return f"Modules must be nested at most {self.max_depth} levels deep"

    def evaluate(self, graph: ProjectGraph) -> Findings:
        return Findings.of(
            Violation(importer=m, imported="", summary=f"{m} is {m.count('.') + 1} levels deep")
            for m in graph.internal_modules
            if m.count(".") + 1 > self.max_depth
        )


@hookimpl
def fitness_rule_types():
    return [MaxDepthRule]
"""

APP_FILES = {
    "app/__init__.py": "",
    "app/core/__init__.py": "",
    "app/core/deep/__init__.py": "",
    "app/core/deep/model.py": "import app.core\n",
}


def acme_config(rule: str = "max_depth = 4", plugins: str = "") -> str:
    rule = rule.replace("\n", "\n        ")
    return f"""
        [tool.fitness]
        root_packages = ["app"]
        {plugins}

        [[tool.fitness.rules]]
        name = "shallow"
        type = "acme_max_depth"
        {rule}
        """


def install_fake_distribution(
    site: Path,
    name: str,
    version: str,
    entry_points: Mapping[str, str],
    files: Mapping[str, str],
    group: str = "fitness",
) -> Path:
    """Write ``files`` and a ``<name>-<version>.dist-info`` with the entry points under
    ``site`` (not yet on ``sys.path``)."""
    write_files(site, files)
    dist_info = site / f"{name.replace('-', '_')}-{version}.dist-info"
    dist_info.mkdir(parents=True)
    (dist_info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n", encoding="utf-8"
    )
    lines = [f"[{group}]", *(f"{k} = {v}" for k, v in entry_points.items())]
    (dist_info / "entry_points.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return dist_info


@pytest.fixture
def acme(site: Path) -> Path:
    """The distribution ``acme-fitness 1.2`` with the ``acme_max_depth`` rule type."""
    install_fake_distribution(
        site, "acme-fitness", "1.2", {"acme": "acme_rules"}, {"acme_rules.py": ACME_RULES}
    )
    return site


def cli_errors(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["check", "--config", str(root / "pyproject.toml")])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    return code, captured.err


# Entry points ---------------------------------------------------------------


def test_a_rule_type_from_an_installed_distribution_runs_as_a_pytest_item(
    acme: Path, pytester: pytest.Pytester
) -> None:
    write_project(pytester.path, acme_config("max_depth = 4"), APP_FILES)
    result = pytester.runpytest("-v")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["*pyproject.toml::shallow PASSED*"])


def test_a_rule_type_from_an_installed_distribution_fails_with_its_own_message(
    acme: Path, pytester: pytest.Pytester
) -> None:
    write_project(pytester.path, acme_config("max_depth = 3"), APP_FILES)
    result = pytester.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*Modules must be nested at most 3 levels deep.",
            "app.core.deep.model is 4 levels deep",
            "How to fix: Flatten the package.",
        ]
    )


OPTION_ERRORS = {
    "unknown option": (
        "max_dept = 3",
        "pyproject.toml:8: [[tool.fitness.rules]] #1 ('shallow'): unknown option 'max_dept'; "
        "did you mean 'max_depth'?",
    ),
    "wrong type": (
        'max_depth = "deep"',
        "pyproject.toml:8: [[tool.fitness.rules]] #1 ('shallow'): option 'max_depth' must be "
        "an integer, not a string ('deep')",
    ),
    "wrong type of a boolean": (
        "max_depth = 3\ncount_packages = 2",
        "pyproject.toml:9: [[tool.fitness.rules]] #1 ('shallow'): option 'count_packages' must "
        "be true or false, not an integer (2)",
    ),
    "missing option": (
        "",
        "[[tool.fitness.rules]] #1 ('shallow'): missing required option 'max_depth'",
    ),
}


@pytest.mark.parametrize("case", sorted(OPTION_ERRORS))
def test_options_of_a_plugin_rule_type_are_validated_like_built_in_ones(
    case: str, acme: Path, pytester: pytest.Pytester, capsys: pytest.CaptureFixture[str]
) -> None:
    rule, expected = OPTION_ERRORS[case]
    write_project(pytester.path, acme_config(rule), APP_FILES)
    result = pytester.runpytest()
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    out = result.stdout.str()
    assert "FAILED pyproject.toml::configuration" in out
    assert expected in out, out
    assert "Traceback" not in out
    code, err = cli_errors(pytester.path, capsys)
    assert code == 2
    assert expected in err


def test_a_misspelt_plugin_rule_type_gets_a_did_you_mean(
    acme: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = acme_config("max_depth = 3").replace('"acme_max_depth"', '"acme_max_dept"')
    root = write_project(tmp_path / "project", config, APP_FILES)
    code, err = cli_errors(root, capsys)
    assert code == 2
    assert "unknown rule type 'acme_max_dept'; did you mean 'acme_max_depth'?" in err
    assert "(available: acme_max_depth, " in err


def test_a_plugin_that_fails_to_load_is_a_short_error_naming_its_distribution(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    install_fake_distribution(
        site,
        "broken-fitness",
        "0.3",
        {"broken": "broken_rules"},
        {"broken_rules.py": "import os\nimport not_installed_dependency\n"},
    )
    root = write_project(tmp_path / "project", acme_config("max_depth = 3"), APP_FILES)
    code, err = cli_errors(root, capsys)
    assert code == 2
    assert (
        "plugin broken (broken-fitness 0.3): cannot load entry point 'broken = broken_rules'" in err
    )
    assert "ModuleNotFoundError: No module named 'not_installed_dependency'" in err
    assert "broken_rules.py:2)" in err


def test_two_distributions_registering_the_same_type_name_is_an_error(
    acme: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    install_fake_distribution(
        acme,
        "other-fitness",
        "2.0",
        {"other": "other_rules"},
        {"other_rules.py": ACME_RULES.replace("MaxDepthRule", "OtherRule")},
    )
    root = write_project(tmp_path / "project", acme_config("max_depth = 3"), APP_FILES)
    code, err = cli_errors(root, capsys)
    assert code == 2
    assert "rule type 'acme_max_depth' is registered twice: by " in err
    assert "acme (acme-fitness 1.2)" in err
    assert "other (other-fitness 2.0)" in err


def test_a_plugin_cannot_replace_a_built_in_rule_type(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    install_fake_distribution(
        site,
        "hijack",
        "1.0",
        {"hijack": "hijack_rules"},
        {"hijack_rules.py": ACME_RULES.replace('"acme_max_depth"', '"layers"')},
    )
    root = write_project(tmp_path / "project", acme_config("max_depth = 3"), APP_FILES)
    code, err = cli_errors(root, capsys)
    assert code == 2
    assert "rule type 'layers' is registered twice: by fitness (built-in) and by hijack" in err


# Project-local plugins ---------------------------------------------------------

LOCAL_PLUGIN_CONFIG = acme_config("max_depth = 3", 'plugins = ["app_rules.arch"]')
LOCAL_FILES = {**APP_FILES, "app_rules/__init__.py": "", "app_rules/arch.py": ACME_RULES}


@pytest.fixture
def forget_modules() -> Iterator[None]:
    before = set(sys.modules)
    yield
    for name in set(sys.modules) - before:
        del sys.modules[name]


def test_a_local_plugin_adds_its_rule_type(pytester: pytest.Pytester) -> None:
    write_project(pytester.path, LOCAL_PLUGIN_CONFIG, LOCAL_FILES)
    result = pytester.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["app.core.deep.model is 4 levels deep"])


@pytest.mark.usefixtures("forget_modules")
@pytest.mark.parametrize("layout", ["flat", "src"])
def test_a_local_plugin_is_imported_from_the_project_without_installing_it(
    layout: str, tmp_path: Path
) -> None:
    prefix = "src/" if layout == "src" else ""
    root = write_project(
        tmp_path / "project",
        LOCAL_PLUGIN_CONFIG.replace("app_rules.arch", "layout_rules.arch"),
        {
            **APP_FILES,
            f"{prefix}layout_rules/__init__.py": "",
            f"{prefix}layout_rules/arch.py": ACME_RULES,
        },
    )
    path_before = list(sys.path)
    loaded = load_config(root / "pyproject.toml")
    assert [rule.type_name for rule in loaded.config.rules] == ["acme_max_depth"]
    assert sys.path == path_before, "the project's directories must leave sys.path again"


def test_two_projects_in_one_process_each_get_their_own_local_plugin(tmp_path: Path) -> None:
    # pytest with several configurations, or one worker checking several projects: the
    # second project's arch_rules must not be the first one's, cached in sys.modules.
    first = write_project(
        tmp_path / "first",
        LOCAL_PLUGIN_CONFIG.replace("app_rules.arch", "arch_rules"),
        {**APP_FILES, "arch_rules.py": "import fitness  # no hook here\n"},
    )
    second = write_project(
        tmp_path / "second",
        LOCAL_PLUGIN_CONFIG.replace("app_rules.arch", "arch_rules"),
        {**APP_FILES, "arch_rules.py": ACME_RULES},
    )
    try:
        with pytest.raises(ConfigError, match="'arch_rules' provides no rule types"):
            load_config(first / "pyproject.toml")
        loaded = load_config(second / "pyproject.toml")
        assert [rule.type_name for rule in loaded.config.rules] == ["acme_max_depth"]
    finally:
        sys.modules.pop("arch_rules", None)


LOCAL_ERRORS = {
    "missing module": (
        {"app_rules/__init__.py": "", "app_rules/arch.py": ACME_RULES},
        'plugins = ["app_rules.arc"]',
        "pyproject.toml:3: plugins: cannot import plugin 'app_rules.arc': no module named "
        "'app_rules.arc'",
        "did you mean 'app_rules.arch'?",
    ),
    "missing package": (
        {"app_rules/__init__.py": "", "app_rules/arch.py": ACME_RULES},
        'plugins = ["app_rule.arch"]',
        "pyproject.toml:3: plugins: cannot import plugin 'app_rule.arch': no module named "
        "'app_rule'",
        "did you mean 'app_rules.arch'?",
    ),
    "raises on import": (
        {
            "app_rules/__init__.py": "",
            "app_rules/arch.py": "X = 1\nraise ValueError('boom')\n# fitness\n",
        },
        'plugins = ["app_rules.arch"]',
        "pyproject.toml:3: plugins: plugin 'app_rules.arch' failed on import: ValueError: boom",
        "app_rules/arch.py:2)",
    ),
    "syntax error": (
        {"app_rules/__init__.py": "", "app_rules/arch.py": "def broken(:\n# fitness\n"},
        'plugins = ["app_rules.arch"]',
        "plugins: plugin 'app_rules.arch' failed on import: SyntaxError:",
        "app_rules/arch.py:1)",
    ),
    "dependency missing": (
        {"app_rules/__init__.py": "", "app_rules/arch.py": "import yaml_not_here\n# fitness\n"},
        'plugins = ["app_rules.arch"]',
        "failed on import: ModuleNotFoundError: No module named 'yaml_not_here'",
        "app_rules/arch.py:1)",
    ),
    "not a module name": (
        {},
        'plugins = ["app_rules/arch.py"]',
        "pyproject.toml:3: plugins: 'app_rules/arch.py' is not a module name",
        "",
    ),
    "not a list": (
        {},
        "plugins = 3",
        "pyproject.toml:3: [tool.fitness]: 'plugins' must be a list of module names",
        "",
    ),
    "misspelt hook": (
        {
            "app_rules/__init__.py": "",
            "app_rules/arch.py": ACME_RULES.replace(
                "def fitness_rule_types", "def fitness_rule_type"
            ),
        },
        'plugins = ["app_rules.arch"]',
        "plugin app_rules.arch (local plugin): unknown hook 'fitness_rule_type'",
        "did you mean 'fitness_rule_types'?",
    ),
    "not a rule class": (
        {
            "app_rules/__init__.py": "",
            "app_rules/arch.py": "from fitness import hookimpl\n\n"
            "@hookimpl\ndef fitness_rule_types():\n    return [dict]\n",
        },
        'plugins = ["app_rules.arch"]',
        "plugin app_rules.arch (local plugin): fitness_rule_types returned <class 'dict'>, "
        "which is not a subclass of fitness.Rule",
        "",
    ),
    "hook raises": (
        {
            "app_rules/__init__.py": "",
            "app_rules/arch.py": "from fitness import hookimpl\n\n"
            "@hookimpl\ndef fitness_rule_types():\n    return 1 / 0\n",
        },
        'plugins = ["app_rules.arch"]',
        "plugin app_rules.arch (local plugin): fitness_rule_types() failed: "
        "ZeroDivisionError: division by zero",
        "app_rules/arch.py:5)",
    ),
}


@pytest.mark.usefixtures("forget_modules")
@pytest.mark.parametrize("case", sorted(LOCAL_ERRORS))
def test_a_broken_local_plugin_is_a_short_error(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files, plugins, expected, hint = LOCAL_ERRORS[case]
    root = write_project(
        tmp_path / "project", acme_config("max_depth = 3", plugins), {**APP_FILES, **files}
    )
    path_before = list(sys.path)
    code, err = cli_errors(root, capsys)
    assert code == 2
    assert expected in err, err
    assert hint in err, err
    assert len(err.splitlines()) == 1, err
    assert sys.path == path_before


def test_a_broken_local_plugin_is_one_failing_item_under_pytest(
    pytester: pytest.Pytester,
) -> None:
    files, plugins, expected, _ = LOCAL_ERRORS["raises on import"]
    write_project(pytester.path, acme_config("max_depth = 3", plugins), {**APP_FILES, **files})
    result = pytester.runpytest()
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    out = result.stdout.str()
    assert "FAILED pyproject.toml::configuration" in out
    assert expected in out
    assert "Traceback" not in out


@pytest.mark.usefixtures("forget_modules")
def test_a_hook_without_the_hookimpl_marker_still_counts(tmp_path: Path) -> None:
    # pytest accepts unmarked hook functions too: a forgotten decorator must not
    # make a plugin silently register nothing.
    unmarked = ACME_RULES.replace("@hookimpl\ndef", "def")
    assert "@hookimpl" not in unmarked
    root = write_project(
        tmp_path / "project",
        LOCAL_PLUGIN_CONFIG.replace("app_rules.arch", "unmarked_rules"),
        {**APP_FILES, "unmarked_rules.py": unmarked},
    )
    loaded = load_config(root / "pyproject.toml")
    assert [rule.type_name for rule in loaded.config.rules] == ["acme_max_depth"]


def test_a_local_plugin_and_a_distribution_registering_the_same_type_is_an_error(
    acme: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_project(
        tmp_path / "project",
        LOCAL_PLUGIN_CONFIG.replace("app_rules.arch", "local_acme"),
        {**APP_FILES, "local_acme.py": ACME_RULES.replace("MaxDepthRule", "LocalRule")},
    )
    code, err = cli_errors(root, capsys)
    assert code == 2
    assert (
        "pyproject.toml:3: rule type 'acme_max_depth' is registered twice: by acme "
        "(acme-fitness 1.2) and by local_acme (local plugin)"
    ) in err


def test_naming_an_installed_plugin_again_as_local_is_harmless(acme: Path, tmp_path: Path) -> None:
    root = write_project(
        tmp_path / "project", acme_config("max_depth = 4", 'plugins = ["acme_rules"]'), APP_FILES
    )
    loaded = load_config(root / "pyproject.toml")
    assert [rule.type_name for rule in loaded.config.rules] == ["acme_max_depth"]


def test_two_distributions_may_use_the_same_entry_point_name(
    acme: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    install_fake_distribution(
        acme,
        "other-fitness",
        "2.0",
        {"acme": "other_rules"},  # the same entry-point name as acme-fitness's
        {"other_rules.py": ACME_RULES.replace('"acme_max_depth"', '"other_max_depth"')},
    )
    assert main(["rules", "acme_max_depth", "other_max_depth"]) == 0
    out = capsys.readouterr().out
    assert "acme_max_depth  [plugin acme from acme-fitness 1.2]" in out
    assert "other_max_depth  [plugin acme from other-fitness 2.0]" in out
