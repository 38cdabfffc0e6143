"""Same input, same bytes: chains are chosen canonically (the lexicographically
smallest of the shortest), whatever order grimp holds the modules in, and every
output format is byte-identical from run to run, cold or warm, under any hash seed."""

from __future__ import annotations

import itertools
import os
import random
import subprocess
import sys
from pathlib import Path

import grimp
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fitness.domain.chain_search import smallest_shortest_chain
from fitness.domain.errors import RuleError
from fitness.domain.graph import ProjectGraph
from fitness.domain.rules.imports.acyclic import AcyclicRule
from fitness.domain.rules.imports.acyclic_siblings import AcyclicSiblingsRule
from fitness.domain.rules.imports.forbidden import ForbiddenRule
from fitness.domain.rules.imports.independence import IndependenceRule
from fitness.domain.rules.imports.layers import LayersRule
from fitness.domain.rules.support import Level, illegal_dependencies_for_layers
from tests.helpers import fake_graph, write_project

# A graph in which many chains are equally short: every low module reaches every
# high module through any of the middle modules.
FAN = """
    pkg.low.a -> pkg.mid.z
    pkg.low.a -> pkg.mid.m
    pkg.low.a -> pkg.mid.b
    pkg.low.b -> pkg.mid.m
    pkg.mid.z -> pkg.high.x
    pkg.mid.m -> pkg.high.x
    pkg.mid.b -> pkg.high.x
    pkg.mid.b -> pkg.high.y
"""


def in_order(imports: dict[str, list[str]], seed: int) -> ProjectGraph:
    """The graph of ``imports`` with its modules and imports added to grimp in a
    shuffled order (grimp breaks ties by that order)."""
    shuffle = random.Random(seed).shuffle
    modules = sorted(set(imports) | {m for targets in imports.values() for m in targets})
    every = sorted(
        {".".join(m.split(".")[:i]) for m in modules for i in range(1, m.count(".") + 2)}
    )
    shuffle(every)
    graph = grimp.ImportGraph()
    for module in sorted(every, key=lambda m: m.count(".")):  # parents first
        graph.add_module(module)
    pairs = [(a, b) for a, targets in imports.items() for b in targets]
    shuffle(pairs)
    for importer, imported in pairs:
        graph.add_import(importer=importer, imported=imported, line_number=1, line_contents="")
    return ProjectGraph(graph, ("pkg",))


def as_mapping(text: str) -> dict[str, list[str]]:
    pairs: dict[str, list[str]] = {}
    for line in text.strip().splitlines():
        importer, _, imported = (part.strip() for part in line.partition("->"))
        pairs.setdefault(importer, []).append(imported)
    return pairs


def one_at_a_time(
    graph: ProjectGraph, sources: set[str], targets: set[str], excluded: frozenset[str]
) -> list[tuple[str, ...]]:
    """The definition: the smallest shortest chain, its imports left out, again."""
    used: set[tuple[str, str]] = set()
    chains = []
    while (chain := smallest_shortest_chain(graph, sources, targets, excluded, used)) is not None:
        chains.append(chain)
        used.update(itertools.pairwise(chain))
    return chains


# The canonical choice, on small graphs -------------------------------------------------


def test_the_shortest_chain_is_the_lexicographically_smallest_of_the_shortest() -> None:
    graph = fake_graph(FAN)
    assert graph.shortest_chain("pkg.low.a", "pkg.high.x") == (
        "pkg.low.a",
        "pkg.mid.b",
        "pkg.high.x",
    )


def test_a_shorter_chain_wins_over_a_smaller_one() -> None:
    graph = fake_graph(
        """
        pkg.a -> pkg.b
        pkg.b -> pkg.c
        pkg.c -> pkg.z
        pkg.a -> pkg.y
        pkg.y -> pkg.z
        """
    )
    assert graph.shortest_chain("pkg.a", "pkg.z") == ("pkg.a", "pkg.y", "pkg.z")


def test_no_chain_is_none() -> None:
    assert fake_graph(FAN).shortest_chain("pkg.high.x", "pkg.low.a") is None


def test_chains_between_packages_take_the_direct_imports_first_then_the_smallest_shortest() -> None:
    graph = fake_graph(FAN + "pkg.low.b -> pkg.high.y\n")
    low = graph.with_descendants("pkg.low")
    high = graph.with_descendants("pkg.high")
    assert graph.shortest_chains(low, high) == [
        ("pkg.low.b", "pkg.high.y"),
        ("pkg.low.a", "pkg.mid.b", "pkg.high.x"),
        ("pkg.low.a", "pkg.mid.m", "pkg.high.x"),
        ("pkg.low.a", "pkg.mid.z", "pkg.high.x"),
    ]


def test_excluded_modules_are_never_on_a_chain() -> None:
    graph = fake_graph(FAN)
    chains = graph.shortest_chains(
        {"pkg.low.a"}, {"pkg.high.x"}, excluded=frozenset({"pkg.mid.b", "pkg.mid.m"})
    )
    assert chains == [("pkg.low.a", "pkg.mid.z", "pkg.high.x")]


def test_chains_do_not_depend_on_the_order_grimp_holds_the_modules_in() -> None:
    imports = as_mapping(FAN)
    found = set()
    for seed in range(20):
        graph = in_order(imports, seed)
        found.add(
            tuple(
                graph.shortest_chains(
                    graph.with_descendants("pkg.low"), graph.with_descendants("pkg.high")
                )
            )
        )
    assert found == {
        (
            ("pkg.low.a", "pkg.mid.b", "pkg.high.x"),
            ("pkg.low.a", "pkg.mid.m", "pkg.high.x"),
            ("pkg.low.a", "pkg.mid.z", "pkg.high.x"),
            # not pkg.low.b -> pkg.mid.m -> pkg.high.x: its last import is on a chain already
        )
    }


def test_layer_routes_do_not_depend_on_the_order_grimp_holds_the_modules_in() -> None:
    imports = as_mapping(FAN)
    rule = LayersRule(name="layers", layers=("pkg.high", "pkg.low"))
    results = {rule.evaluate(in_order(imports, seed)).violations for seed in range(20)}
    assert len(results) == 1
    [violations] = results
    assert [str(chain.modules) for v in violations for chain in v.chains][:1] == [
        "('pkg.low.a', 'pkg.mid.b', 'pkg.high.x')"
    ]


# The same verdicts as grimp's own search ------------------------------------------------

module_names = st.sampled_from(
    ["pkg.a.one", "pkg.a.two", "pkg.b.one", "pkg.b.two", "pkg.c.one", "pkg.c.two", "pkg.d"]
)
import_lists = st.lists(st.tuples(module_names, module_names), max_size=18).map(
    lambda pairs: [(a, b) for a, b in pairs if a != b]
)


def graph_of(pairs: list[tuple[str, str]], seed: int) -> ProjectGraph:
    imports: dict[str, list[str]] = {"pkg.a.one": [], "pkg.b.one": [], "pkg.c.one": []}
    for importer, imported in pairs:
        imports.setdefault(importer, []).append(imported)
    return in_order(imports, seed)


@settings(max_examples=150, deadline=None)
@given(pairs=import_lists, seed=st.integers(0, 1000))
def test_one_search_per_length_finds_the_chains_one_search_per_chain_finds(
    pairs: list[tuple[str, str]], seed: int
) -> None:
    graph = graph_of(pairs, seed)
    sources = graph.with_descendants("pkg.a")
    targets = graph.with_descendants("pkg.c")
    excluded = frozenset({"pkg.b.two"})
    assert graph.shortest_chains(sources, targets, excluded=excluded) == one_at_a_time(
        graph, sources, targets, excluded
    )


@settings(max_examples=150, deadline=None)
@given(pairs=import_lists, seed=st.integers(0, 1000))
def test_layers_find_the_dependencies_and_as_many_routes_as_grimp(
    pairs: list[tuple[str, str]], seed: int
) -> None:
    graph = graph_of(pairs, seed)
    names = ("pkg.a", "pkg.b", "pkg.c")
    ours = illegal_dependencies_for_layers(graph, [Level((n,)) for n in names])
    theirs = graph.grimp.find_illegal_dependencies_for_layers(layers=names)
    assert {(d.importer, d.imported): len(d.routes) for d in ours} == {
        (d.importer, d.imported): len(d.routes) for d in theirs
    }


@settings(max_examples=100, deadline=None)
@given(pairs=import_lists, seeds=st.tuples(st.integers(0, 1000), st.integers(0, 1000)))
def test_rules_report_the_same_chains_whatever_the_order_of_the_graph(
    pairs: list[tuple[str, str]], seeds: tuple[int, int]
) -> None:
    rules = [
        LayersRule(name="layers", layers=("pkg.a", "pkg.b", "pkg.c")),
        IndependenceRule(name="independence", modules=("pkg.a", "pkg.c")),
        ForbiddenRule(name="forbidden", source_modules=("pkg.c",), forbidden_modules=("pkg.a",)),
        AcyclicRule(name="acyclic", modules=("pkg",)),
        AcyclicRule(name="acyclic modules", modules=("pkg.**",), as_packages=False),
        AcyclicSiblingsRule(name="acyclic siblings", ancestors=("pkg",)),
    ]
    first, second = (graph_of(pairs, seed) for seed in seeds)
    for rule in rules:
        try:
            expected = rule.result(first)
        except RuleError:  # too few modules for a cycle
            continue
        assert rule.result(second) == expected


# The command line, cold and warm, under different hash seeds ------------------------------

CONFIG = """
    [tool.fitness]
    root_packages = ["fan"]

    [[tool.fitness.rules]]
    name = "layers"
    type = "layers"
    layers = ["fan.top", "fan.bottom"]

    [[tool.fitness.rules]]
    name = "forbidden"
    type = "forbidden"
    source_modules = ["fan.bottom"]
    forbidden_modules = ["fan.top"]

    [[tool.fitness.rules]]
    name = "independence"
    type = "independence"
    modules = ["fan.top", "fan.bottom"]

    [[tool.fitness.rules]]
    name = "acyclic"
    type = "acyclic"
    modules = ["fan"]
    max_cycles = 3
"""


def fan_package(root: Path, width: int = 12) -> Path:
    """``fan.bottom`` reaches ``fan.top`` through each of ``width`` middle modules: many
    equally short chains, and import cycles between the middle and the rest."""
    files = {"fan/__init__.py": "", "fan/top/__init__.py": "", "fan/bottom/__init__.py": ""}
    files["fan/middle/__init__.py"] = ""
    for i in range(width):
        files[f"fan/middle/m{i:02}.py"] = f"import fan.top.t{i % 3}\nimport fan.bottom.b{i % 2}\n"
    for i in range(3):
        files[f"fan/top/t{i}.py"] = "".join(f"import fan.middle.m{j:02}\n" for j in range(0, 12, 5))
    for i in range(2):
        files[f"fan/bottom/b{i}.py"] = "".join(f"import fan.middle.m{j:02}\n" for j in range(width))
    return write_project(root, CONFIG, files)


def run(project: Path, seed: int, *args: str) -> bytes:
    env = {**os.environ, "PYTHONHASHSEED": str(seed), "NO_COLOR": "1"}
    env.pop("GITHUB_STEP_SUMMARY", None)
    done = subprocess.run(
        [sys.executable, "-m", "fitness", "check", *args],
        cwd=project,
        env=env,
        capture_output=True,
        check=False,
    )
    assert done.returncode == 1, done.stderr.decode()
    return done.stdout


@pytest.mark.slow
@pytest.mark.parametrize("output_format", ["text", "json", "sarif", "markdown", "github"])
def test_every_format_is_byte_identical_cold_and_warm_under_any_hash_seed(
    tmp_path: Path, output_format: str
) -> None:
    project = fan_package(tmp_path)
    cold = {run(project, seed, "--no-cache", "--format", output_format) for seed in (0, 1, 2, 3)}
    run(project, 4, "--format", output_format)  # fills the cache
    warm = {run(project, seed, "--format", output_format) for seed in (5, 6)}
    assert len(cold | warm) == 1
    assert b"fan.bottom" in cold.pop()


@pytest.mark.slow
def test_a_root_package_that_is_a_symbolic_link_is_shown_by_its_path_in_the_project(
    tmp_path: Path,
) -> None:
    elsewhere = fan_package(tmp_path / "elsewhere")
    project = tmp_path / "project"
    project.mkdir()
    (project / "pyproject.toml").write_text((elsewhere / "pyproject.toml").read_text())
    (project / "fan").symlink_to(elsewhere / "fan", target_is_directory=True)
    out = run(project, 0, "--no-cache", "--format", "github").decode()
    assert "::error file=fan/bottom/b0.py,line=1," in out
    assert str(tmp_path) not in out


@pytest.mark.slow
def test_the_html_report_and_the_graph_exports_are_byte_identical_under_any_hash_seed(
    tmp_path: Path,
) -> None:
    project = fan_package(tmp_path / "fan")

    def output(seed: int, *args: str) -> bytes:
        env = {**os.environ, "PYTHONHASHSEED": str(seed)}
        done = subprocess.run(
            [sys.executable, "-m", "fitness", *args, "--no-cache"],
            cwd=project,
            env=env,
            capture_output=True,
            check=False,
        )
        assert done.returncode in (0, 1), done.stderr.decode()
        return done.stdout

    for seed in (0, 1, 2):
        output(seed, "report", "--html", str(tmp_path / f"report{seed}.html"))
    pages = {(tmp_path / f"report{seed}.html").read_bytes() for seed in (0, 1, 2)}
    assert len(pages) == 1
    for export in ("dot", "mermaid"):
        assert len({output(seed, "graph", "--format", export) for seed in (0, 1, 2)}) == 1
