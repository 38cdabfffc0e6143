"""Differential tests: the rule types import-linter also has give its verdicts.

Each case runs the same options through import-linter's own contract class and
through our rule, on the same graph of a small real package tree, and compares
the verdict and the set of illegal (importer, imported) pairs.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

import pytest
from importlinter.contracts.acyclic_siblings import AcyclicSiblingsContract
from importlinter.contracts.layers import LayersContract
from importlinter.contracts.private_modules import PrivateModulesContract
from importlinter.contracts.protected import ProtectedContract
from importlinter.domain.contract import Contract

from fitness.adapters.packages import GrimpGraphBuilder
from fitness.domain.config import GraphSettings
from fitness.domain.graph import ProjectGraph
from fitness.domain.options import build_rule
from fitness.domain.rules import (
    AcyclicSiblingsRule,
    LayersRule,
    PrivateModulesRule,
    ProtectedRule,
    Rule,
)
from tests.helpers import write_files

TREE = {
    "pkg/__init__.py": "",
    "pkg/api.py": """
        from pkg.core import _secret
        import pkg.core.inner._deep.z
        import pkg.low.x
        """,
    # Layers: high > mid > low, plus siblings.
    "pkg/high/__init__.py": "",
    "pkg/high/a.py": "import pkg.low.x\nimport pkg.mid.m\n",
    "pkg/high/b.py": "import pkg.low._impl\n",
    "pkg/mid/__init__.py": "",
    "pkg/mid/m.py": "import pkg.high.a\n",
    "pkg/low/__init__.py": "",
    "pkg/low/x.py": "import pkg.left.l\n",
    "pkg/low/y.py": "import pkg.mid.m\n",
    "pkg/low/_impl.py": "",
    "pkg/left/__init__.py": "",
    "pkg/left/l.py": "import pkg.right.r\n",
    "pkg/right/__init__.py": "",
    "pkg/right/r.py": "",
    # Private modules.
    "pkg/core/__init__.py": "",
    "pkg/core/_secret.py": "",
    "pkg/core/uses.py": "from pkg.core import _secret\n",
    "pkg/core/inner/__init__.py": "",
    "pkg/core/inner/w.py": "import pkg.core.inner._deep.z\n",
    "pkg/core/inner/_deep/__init__.py": "",
    "pkg/core/inner/_deep/z.py": "import pkg.core._secret\n",
    "pkg/core/__main__.py": "",
    "pkg/tools/__init__.py": "",
    "pkg/tools/run.py": "import pkg.core.__main__\nimport pkg.core.inner._deep\n",
    # Cycles, at two levels.
    "pkg/cyc/__init__.py": "",
    "pkg/cyc/one.py": "import pkg.cyc.two\n",
    "pkg/cyc/two.py": "import pkg.cyc.three.t\n",
    "pkg/cyc/three/__init__.py": "",
    "pkg/cyc/three/t.py": "import pkg.cyc.one\nimport pkg.cyc.three.u\n",
    "pkg/cyc/three/u.py": "import pkg.cyc.three.t\n",
    "pkg/cyc/four.py": "import pkg.cyc.one\n",
    "pkg/cyc/five.py": "import pkg.cyc.four\nimport pkg.cyc.six\n",
    "pkg/cyc/six.py": "import pkg.cyc.five\n",
    # Containers.
    "pkg/apps/__init__.py": "",
    "pkg/apps/blog/__init__.py": "",
    "pkg/apps/blog/views.py": "import pkg.apps.blog.models\n",
    "pkg/apps/blog/models.py": "import pkg.apps.blog.utils\n",
    "pkg/apps/blog/utils.py": "",
    "pkg/apps/blog/admin.py": "",
    "pkg/apps/shop/__init__.py": "",
    "pkg/apps/shop/views.py": "",
    "pkg/apps/shop/models.py": "import pkg.apps.shop.views\nimport pkg.apps.shop.utils\n",
    "pkg/apps/shop/utils.py": "import pkg.apps.shop.models\n",
    "pkg/apps/shop/tests.py": "",
}

CASES: list[tuple[str, type[Rule], type[Contract], dict[str, Any]]] = [
    ("layers", LayersRule, LayersContract, {"layers": ["pkg.high", "pkg.mid", "pkg.low"]}),
    ("layers kept", LayersRule, LayersContract, {"layers": ["pkg.high", "pkg.low", "pkg.left"]}),
    (
        "layers independent siblings",
        LayersRule,
        LayersContract,
        {"layers": ["pkg.api", "pkg.low", "pkg.left | pkg.right"]},
    ),
    (
        "layers non-independent siblings",
        LayersRule,
        LayersContract,
        {"layers": ["pkg.api", "pkg.low", "pkg.left : pkg.right"]},
    ),
    (
        "layers optional",
        LayersRule,
        LayersContract,
        {"layers": ["pkg.high", "(pkg.nothing)", "pkg.mid", "pkg.low"]},
    ),
    (
        "layers ignore",
        LayersRule,
        LayersContract,
        {
            "layers": ["pkg.high", "pkg.mid", "pkg.low"],
            "ignore_imports": ["pkg.mid.m -> pkg.high.a", "pkg.low.* -> pkg.mid.*"],
        },
    ),
    (
        "layers containers",
        LayersRule,
        LayersContract,
        {
            "layers": ["views", "models", "(utils)"],
            "containers": ["pkg.apps.blog", "pkg.apps.shop"],
        },
    ),
    (
        "layers containers wildcard",
        LayersRule,
        LayersContract,
        {"layers": ["views : utils", "models"], "containers": ["pkg.apps.*"]},
    ),
    (
        "layers exhaustive",
        LayersRule,
        LayersContract,
        {
            "layers": ["views", "models", "(utils)"],
            "containers": ["pkg.apps.*"],
            "exhaustive": True,
        },
    ),
    (
        "layers exhaustive ignores",
        LayersRule,
        LayersContract,
        {
            "layers": ["views", "models", "utils"],
            "containers": ["pkg.apps.blog"],
            "exhaustive": True,
            "exhaustive_ignores": ["admin"],
        },
    ),
    (
        "protected",
        ProtectedRule,
        ProtectedContract,
        {"protected_modules": ["pkg.low"], "allowed_importers": ["pkg.high"]},
    ),
    (
        "protected kept",
        ProtectedRule,
        ProtectedContract,
        {"protected_modules": ["pkg.right"], "allowed_importers": ["pkg.left"]},
    ),
    (
        "protected not as packages",
        ProtectedRule,
        ProtectedContract,
        {
            "protected_modules": ["pkg.low.x", "pkg.low._impl"],
            "allowed_importers": ["pkg.high"],
            "as_packages": False,
        },
    ),
    (
        "protected wildcards",
        ProtectedRule,
        ProtectedContract,
        {"protected_modules": ["pkg.apps.*.models"], "allowed_importers": ["pkg.apps.*.views"]},
    ),
    (
        "protected ignore",
        ProtectedRule,
        ProtectedContract,
        {
            "protected_modules": ["pkg.low"],
            "allowed_importers": ["pkg.high"],
            "ignore_imports": ["pkg.api -> pkg.low.x"],
        },
    ),
    ("private modules", PrivateModulesRule, PrivateModulesContract, {}),
    (
        "private modules in a package",
        PrivateModulesRule,
        PrivateModulesContract,
        {"packages_with_private_modules": ["pkg.core.inner"]},
    ),
    (
        "private modules kept",
        PrivateModulesRule,
        PrivateModulesContract,
        {"packages_with_private_modules": ["pkg.apps"]},
    ),
    (
        "private modules ignore",
        PrivateModulesRule,
        PrivateModulesContract,
        {"ignore_imports": ["pkg.api -> pkg.core.**"]},
    ),
    ("acyclic siblings", AcyclicSiblingsRule, AcyclicSiblingsContract, {"ancestors": ["pkg"]}),
    (
        "acyclic siblings depth 0",
        AcyclicSiblingsRule,
        AcyclicSiblingsContract,
        {"ancestors": ["pkg"], "depth": 0},
    ),
    (
        "acyclic siblings depth 1",
        AcyclicSiblingsRule,
        AcyclicSiblingsContract,
        {"ancestors": ["pkg.cyc"], "depth": 1},
    ),
    (
        "acyclic siblings skip",
        AcyclicSiblingsRule,
        AcyclicSiblingsContract,
        {"ancestors": ["pkg"], "skip_descendants": ["pkg.cyc.three", "pkg.apps.*"]},
    ),
    (
        "acyclic siblings kept",
        AcyclicSiblingsRule,
        AcyclicSiblingsContract,
        {"ancestors": ["pkg.apps.blog", "pkg.core"]},
    ),
    (
        "acyclic siblings ignore",
        AcyclicSiblingsRule,
        AcyclicSiblingsContract,
        {
            "ancestors": ["pkg.cyc"],
            "ignore_imports": ["pkg.cyc.three.t -> pkg.cyc.one", "pkg.cyc.six -> pkg.cyc.five"],
        },
    ),
]


@pytest.fixture(scope="module", autouse=True)
def _import_linter_settings() -> None:
    """import-linter's contracts read adapters (a timer) from its settings."""
    from importlinter.configuration import configure

    configure()


@pytest.fixture(scope="module")
def graph(tmp_path_factory: pytest.TempPathFactory) -> ProjectGraph:
    root = write_files(tmp_path_factory.mktemp("parity"), TREE)
    return GrimpGraphBuilder(root, sys_path=[]).build(GraphSettings(root_packages=("pkg",)))


def linter_options(options: Mapping[str, Any]) -> dict[str, Any]:
    """Options as import-linter's INI/TOML readers hand them over: strings and lists."""
    return {
        key: [str(v) for v in value]
        if isinstance(value, list)
        else str(value).lower()
        if isinstance(value, bool)
        else str(value)
        for key, value in options.items()
    }


def linter_pairs(contract: Contract, metadata: Mapping[str, Any]) -> set[tuple[str, str]]:
    if isinstance(contract, LayersContract):
        pairs = {(d["importer"], d["imported"]) for d in metadata["invalid_dependencies"]}
        return pairs | {(module, "") for module in metadata["undeclared_modules"]}
    if isinstance(contract, ProtectedContract):
        return {
            (link["importer"], link["imported"])
            for item in metadata["illegal_imports"]
            for link in item.illegal_links
        }
    if isinstance(contract, PrivateModulesContract):
        return {(link["importer"], link["imported"]) for link in metadata["illegal_imports"]}
    assert isinstance(contract, AcyclicSiblingsContract)
    return {i for imports in metadata["cycle_breakers_by_package"].values() for i in imports}


def our_pairs(rule: Rule, graph: ProjectGraph) -> tuple[bool, set[tuple[str, str]]]:
    result = rule.result(graph)
    if isinstance(rule, AcyclicSiblingsRule):
        pairs = {
            (link.importer, link.imported)
            for v in result.violations
            for chain in v.chains
            for link in chain.links
        }
    else:
        pairs = {(v.importer, v.imported) for v in result.violations}
    return result.passed, pairs


@pytest.mark.parametrize(
    ("rule_type", "contract_type", "options"),
    [pytest.param(rule, contract, options, id=name) for name, rule, contract, options in CASES],
)
def test_same_verdict_and_illegal_imports_as_import_linter(
    graph: ProjectGraph,
    rule_type: type[Rule],
    contract_type: type[Contract],
    options: dict[str, Any],
) -> None:
    contract = contract_type(
        name="parity",
        session_options={"root_packages": ["pkg"]},
        contract_options=linter_options(options),
    )
    check = contract.check(copy.deepcopy(graph.grimp), verbose=False)
    expected = linter_pairs(contract, check.metadata)

    rule = build_rule(rule_type, {"name": "parity", **options})
    kept, pairs = our_pairs(rule, graph)

    assert kept == check.kept
    assert pairs == expected


def test_the_cases_cover_both_verdicts_for_every_type(graph: ProjectGraph) -> None:
    """The differential test proves little if every case of a type is kept (or broken)."""
    verdicts: dict[type[Rule], set[bool]] = {}
    for _, rule_type, _, options in CASES:
        kept, _ = our_pairs(build_rule(rule_type, {"name": "x", **options}), graph)
        verdicts.setdefault(rule_type, set()).add(kept)
    assert all(v == {True, False} for v in verdicts.values()), verdicts
