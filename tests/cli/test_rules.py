"""``fitness rules``: the available rule types, their options and where they come from."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fitness import __version__
from fitness.cli import main
from tests.adapters.test_plugin_loading import (  # noqa: F401  (acme, forget_modules: fixtures)
    ACME_RULES,
    APP_FILES,
    acme,
    acme_config,
    forget_modules,
)
from tests.helpers import write_project


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["rules", *args])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    return code, captured.out, captured.err


@pytest.fixture
def elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory with no configuration above it."""
    directory = tmp_path / "elsewhere"
    directory.mkdir()
    monkeypatch.chdir(directory)
    return directory


@pytest.mark.usefixtures("elsewhere")
def test_lists_the_built_in_rule_types_with_their_options(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys)
    assert code == 0
    assert (
        "Every rule also takes: name (required), because, broken_contract_guidance, adr, "
        "severity, exclude_function_level_imports." in out
    )
    assert f"forbidden  [built-in (pytest-fitness {__version__})]" in out
    assert "    source_modules: a list of strings, required\n" in out
    assert "        modules that must not import the others\n" in out
    assert "    allow_indirect_imports: true or false, default false\n" in out
    assert (
        "    unmatched_ignore_imports_alerting: one of 'none', 'warn', 'error', default \"error\"\n"
    ) in out
    for type_name in ("layers", "forbidden", "independence"):
        assert f"\n{type_name}  [built-in" in out
    # the common options are listed once, not under every type
    assert "    because:" not in out


@pytest.mark.usefixtures("elsewhere", "acme")
def test_lists_the_rule_types_of_installed_plugins_with_their_distribution(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys)
    assert code == 0
    assert "acme_max_depth  [plugin acme from acme-fitness 1.2]" in out
    assert "    max_depth: an integer, required\n        how deep a module may be nested\n" in out
    assert "    count_packages: true or false, default true\n" in out
    assert "from plugins" in out.splitlines()[0]


@pytest.mark.usefixtures("elsewhere", "forget_modules")
def test_includes_the_local_plugins_of_the_configuration(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_project(
        tmp_path / "project",
        acme_config("max_depth = 3", 'plugins = ["project_rules"]'),
        {**APP_FILES, "project_rules.py": ACME_RULES},
    )
    code, out, _ = run(capsys)
    assert "acme_max_depth" not in out, "no configuration here: no local plugins"
    code, out, _ = run(capsys, "--config", str(root / "pyproject.toml"))
    assert code == 0
    assert (
        "acme_max_depth  [local plugin project_rules ([tool.fitness] plugins, project_rules.py)]"
        in out
    )


@pytest.mark.usefixtures("forget_modules")
def test_finds_the_configuration_from_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_project(
        tmp_path / "project",
        # the rules themselves are broken: listing the rule types must still work
        acme_config("max_dept = 3", 'plugins = ["cwd_rules"]'),
        {**APP_FILES, "cwd_rules.py": ACME_RULES},
    )
    monkeypatch.chdir(root / "app")
    code, out, _ = run(capsys, "acme_max_depth")
    assert code == 0
    assert out.startswith("1 rule type (0 built-in, 1 from plugins)")
    assert "[local plugin cwd_rules" in out


@pytest.mark.usefixtures("elsewhere", "acme")
def test_json_format(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--format", "json", "acme_max_depth", "layers")
    assert code == 0
    data = json.loads(out)
    assert [t["type"] for t in data["rule_types"]] == ["acme_max_depth", "layers"]
    acme_type, layers = data["rule_types"]
    assert acme_type["plugin"] == {
        "name": "acme",
        "kind": "entry point",
        "distribution": "acme-fitness",
        "version": "1.2",
        "location": "",
    }
    assert acme_type["class"] == "acme_rules.MaxDepthRule"
    options = {o["name"]: o for o in acme_type["options"]}
    assert options["max_depth"] == {
        "name": "max_depth",
        "type": "an integer",
        "required": True,
        "default": None,
        "doc": "how deep a module may be nested",
        "common": False,
    }
    assert options["name"]["common"] is True
    assert options["count_packages"]["default"] is True
    assert layers["plugin"]["kind"] == "built-in"
    assert layers["plugin"]["distribution"] == "pytest-fitness"
    layer_options = {o["name"]: o for o in layers["options"]}
    assert layer_options["containers"]["default"] == []
    assert layers["description"].startswith("Each layer may import the layers below it")


@pytest.mark.usefixtures("elsewhere")
def test_an_unknown_type_is_an_error_with_did_you_mean(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "layer")
    assert code == 2
    assert out == ""
    assert err.startswith("fitness: error: unknown rule type 'layer'; did you mean 'layers'?")


def test_a_broken_local_plugin_is_a_located_error(
    tmp_path: Path, elsewhere: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_project(
        tmp_path / "project", acme_config("max_depth = 3", 'plugins = ["nowhere.rules"]'), APP_FILES
    )
    code, _, err = run(capsys, "--config", str(root))
    assert code == 2
    assert f"{root / 'pyproject.toml'}:3: plugins: cannot import plugin 'nowhere.rules'" in err


@pytest.mark.usefixtures("forget_modules")
@pytest.mark.parametrize("command", ["rules", "check", "coverage"])
def test_a_plugin_listed_twice_is_an_error_naming_the_key_and_the_plugin(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A copy left behind (or a typo for another plugin's name): `fitness rules` dropped it
    # silently where every other command refuses the configuration.
    root = write_project(
        tmp_path / "project",
        acme_config("max_depth = 3", 'plugins = ["twice_rules", "twice_rules"]'),
        {**APP_FILES, "twice_rules.py": ACME_RULES},
    )
    code = main([command, "--config", str(root / "pyproject.toml")])
    captured = capsys.readouterr()
    assert code == 2
    assert captured.err == (
        f"fitness: error: {root / 'pyproject.toml'}:3: [tool.fitness]: option 'plugins': "
        "'twice_rules' is listed twice (items 1 and 2)\n"
    )


def test_a_missing_config_file_is_an_error(
    elsewhere: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "--config", str(elsewhere / "nope.toml"))
    assert code == 2
    assert "nope.toml: no such file" in err
