"""A run loads only what it uses: entry points read without ``importlib.metadata``,
rule types imported when a rule names them (``RuleTypeRef``), public names on demand."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
from pathlib import Path

import pytest

import fitness
from fitness.adapters.config.plugins import load_rule_types
from fitness.adapters.entry_points import entry_points, parse_entry_points
from fitness.cli import main
from fitness.domain.errors import ConfigError
from tests.adapters.test_plugin_loading import install_fake_distribution
from tests.helpers import write_project

# Entry points -----------------------------------------------------------------


def _metadata_view(group: str) -> list[tuple[str, str, str, str]]:
    return sorted(
        (ep.name, ep.value, dist.metadata["Name"] or "", dist.version or "")
        for dist in importlib.metadata.distributions()
        for ep in dist.entry_points
        if ep.group == group
    )


@pytest.mark.parametrize("group", ["console_scripts", "pytest11", "fitness"])
def test_entry_points_agree_with_importlib_metadata_on_this_environment(group: str) -> None:
    """The fast reader and importlib.metadata find the same entry points here."""
    ours = sorted((e.name, e.value, e.distribution, e.version) for e in entry_points(group))
    assert ours == _metadata_view(group)
    if group == "pytest11":  # this very plugin is installed: the comparison is not vacuous
        assert ("fitness", "fitness.pytest_plugin", "pytest-fitness", fitness.__version__) in ours


def test_a_fake_distribution_is_found_with_its_spelled_name_and_loads(site: Path) -> None:
    install_fake_distribution(
        site,
        "Acme.Rules",
        "2.0rc1",
        {"acme": "acme_pkg.hooks:Plugin.instance [extra]"},
        {
            "acme_pkg/__init__.py": "",
            "acme_pkg/hooks.py": "class Plugin:\n    instance = 'the plugin'\n",
        },
    )
    found = entry_points("fitness")
    assert [(e.name, e.distribution, e.version) for e in found] == [
        ("acme", "Acme.Rules", "2.0rc1")
    ]
    assert found[0].load() == "the plugin"
    assert sorted((e.name, e.value, e.distribution, e.version) for e in found) == _metadata_view(
        "fitness"
    )


def test_a_dist_info_without_metadata_is_named_from_its_directory(site: Path) -> None:
    dist_info = install_fake_distribution(site, "bare", "0.3", {"bare": "bare_mod"}, {})
    (dist_info / "METADATA").unlink()
    assert [(e.distribution, e.version) for e in entry_points("fitness", [str(site)])] == [
        ("bare", "0.3")
    ]


def test_entry_points_txt_parsing_skips_comments_and_other_groups() -> None:
    text = (
        "# a comment\n[console_scripts]\nx = y:z\n\n[fitness]\n; another comment\n"
        "one = pkg.one\n two=pkg.two:obj [extra] \n[fitness.other]\nthree = nope\n"
    )
    assert parse_entry_points(text, "fitness") == [
        ("one", "pkg.one"),
        ("two", "pkg.two:obj [extra]"),
    ]


def test_an_egg_or_zip_on_sys_path_falls_back_to_importlib_metadata(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = tmp_path / "bundle.zip"
    archive.write_bytes(b"PK\x05\x06" + b"\0" * 18)  # an empty zip archive
    monkeypatch.syspath_prepend(str(archive))
    asked: list[str] = []
    real = importlib.metadata.distributions

    def spy() -> object:
        asked.append("distributions")
        return real()

    monkeypatch.setattr(importlib.metadata, "distributions", spy)
    found = entry_points("pytest11")
    assert asked == ["distributions"]
    assert any(e.distribution == "pytest-fitness" for e in found)


# Rule types imported on first use ---------------------------------------------

REF_PLUGIN = """
from fitness import RuleTypeRef, hookimpl

@hookimpl
def fitness_rule_types():
    return [RuleTypeRef("acme_nothing", "acme_lazy_rules:NothingRule")]
"""

REF_RULES = """
from dataclasses import dataclass
from fitness import Findings, Rule

@dataclass(frozen=True, kw_only=True)
class NothingRule(Rule):
    type_name = "acme_nothing"

    def describe(self):
        return "Nothing is ever wrong"

    def evaluate(self, graph):
        return Findings.of([])
"""

APP = {"app/__init__.py": "", "app/core.py": ""}


def _config(rule_type: str) -> str:
    return f"""
        [tool.fitness]
        root_packages = ["app"]
        plugins = ["acme_lazy_plugin"]

        [[tool.fitness.rules]]
        name = "calm"
        type = "{rule_type}"
        """


def test_an_installed_plugin_names_its_rule_type_and_the_class_is_imported_when_used(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    install_fake_distribution(
        site,
        "acme-lazy",
        "1.0",
        {"acme": "acme_lazy_plugin"},
        {"acme_lazy_plugin.py": REF_PLUGIN, "acme_lazy_rules.py": REF_RULES},
    )
    project = tmp_path / "project"
    write_project(
        project, _config("acme_nothing").replace('plugins = ["acme_lazy_plugin"]', ""), APP
    )
    registry = load_rule_types([], project)
    assert "acme_nothing" in registry.classes
    assert "acme_lazy_plugin" in sys.modules
    assert "acme_lazy_rules" not in sys.modules  # listed, not imported
    code = main(["check", "--no-cache", "--config", str(project / "pyproject.toml")])
    assert code == 0, capsys.readouterr()
    assert "1 kept" in capsys.readouterr().out
    assert "acme_lazy_rules" in sys.modules
    assert registry.classes["acme_nothing"].__name__ == "NothingRule"


def test_a_local_plugin_may_name_its_rule_types_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_project(
        tmp_path,
        _config("acme_nothing"),
        {**APP, "acme_lazy_plugin.py": REF_PLUGIN, "acme_lazy_rules.py": REF_RULES},
    )
    try:
        code = main(["check", "--no-cache", "--config", str(tmp_path / "pyproject.toml")])
    finally:
        for name in ("acme_lazy_plugin", "acme_lazy_rules"):
            sys.modules.pop(name, None)
    assert code == 0, capsys.readouterr()


@pytest.mark.parametrize(
    ("rules_source", "message"),
    [
        (
            "raise ImportError('no such thing')",
            "plugin acme_lazy_plugin (local plugin): cannot import rule type 'acme_nothing' "
            "from 'acme_lazy_rules:NothingRule': ImportError: no such thing",
        ),
        (
            REF_RULES.replace('type_name = "acme_nothing"', 'type_name = "acme_other"'),
            "plugin acme_lazy_plugin (local plugin): 'acme_lazy_rules:NothingRule' has "
            "type_name 'acme_other', but was registered as 'acme_nothing'",
        ),
    ],
)
def test_a_rule_type_that_cannot_be_imported_is_a_config_error_naming_the_plugin(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], rules_source: str, message: str
) -> None:
    write_project(
        tmp_path,
        _config("acme_nothing"),
        {**APP, "acme_lazy_plugin.py": REF_PLUGIN, "acme_lazy_rules.py": rules_source},
    )
    try:
        code = main(["check", "--no-cache", "--config", str(tmp_path / "pyproject.toml")])
    finally:
        for name in ("acme_lazy_plugin", "acme_lazy_rules"):
            sys.modules.pop(name, None)
    err = capsys.readouterr().err
    assert code == 2
    assert message in err
    assert "Traceback" not in err


def test_a_malformed_rule_type_ref_is_rejected_when_registered(tmp_path: Path) -> None:
    plugin = REF_PLUGIN.replace('"acme_lazy_rules:NothingRule"', '"acme_lazy_rules/NothingRule"')
    write_project(tmp_path, _config("acme_nothing"), {**APP, "acme_lazy_plugin.py": plugin})
    try:
        with pytest.raises(ConfigError, match="must name a type and a class as"):
            load_rule_types(["acme_lazy_plugin"], tmp_path)
    finally:
        sys.modules.pop("acme_lazy_plugin", None)


def test_fitness_check_imports_only_the_rule_types_it_uses(tmp_path: Path) -> None:
    """Checked in a fresh interpreter: which modules did one `layers` rule pull in?"""
    write_project(
        tmp_path,
        """
        [tool.fitness]
        root_packages = ["app"]

        [[tool.fitness.rules]]
        name = "layered"
        type = "layers"
        layers = ["app.ui", "app.core"]
        """,
        {**APP, "app/ui.py": "import app.core\n"},
    )
    script = (
        "import sys\nfrom fitness.cli import main\n"
        f"code = main(['check', '--no-cache', '--config', {str(tmp_path / 'pyproject.toml')!r}])\n"
        "print(code, sorted(m for m in sys.modules if m.startswith(('fitness.', 'importlib.m'))))"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout.splitlines()[-1]
    code, modules = out.split(" ", 1)
    assert code == "0"
    assert "'fitness.domain.rules.imports.layers'" in modules
    for unused in (
        "fitness.domain.rules.metrics.thresholds",
        "fitness.domain.rules.styles.hexagonal",
        "fitness.domain.rules.imports.modules",
        "importlib.metadata",
    ):
        assert f"'{unused}'" not in modules


# Public names -------------------------------------------------------------------


def test_every_public_name_resolves() -> None:
    for name in fitness.__all__:
        assert getattr(fitness, name) is not None
    assert set(fitness.__all__) <= set(dir(fitness))
    with pytest.raises(AttributeError, match="has no attribute 'nope'"):
        _ = fitness.nope
