"""The composition root of an architecture style (``hexagonal``, ``onion``,
``clean_architecture``): the module, or modules, that wire the architecture
together (``bootstrap.py``, ``main.py``, a dependency-injection container).

It is the outermost part of the architecture:

- it may import everything (the adapters it wires in above all);
- the driving adapters, the entry points (a web application, a command line, a
  message consumer), may import it: they start the application through it. An
  adapter the composition root imports is a driven one, which it wires in: that
  adapter importing it back is a cycle, and a violation;
- a chain that runs through it is not a dependency between the parts it wires:
  ``flask_app -> bootstrap -> orm`` is not one adapter depending on another, and
  not an inner part depending on an outer one (an inner part importing the
  composition root is reported as that).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping

from fitness.domain.errors import ConfigError
from fitness.domain.graph import ProjectGraph, in_package
from fitness.domain.modules import has_wildcard
from fitness.domain.rules.support import OneOrMore, one_or_more

#: A style's ``composition_root`` option: one module or a list.
CompositionRoot = OneOrMore

COMPOSITION_ROOT_DOC = (
    "the composition root: the module (or a list of modules) that wires the parts together "
    "(bootstrap, main); it may import every part, only {who} may import it, and chains "
    "through it are not dependencies between the parts it wires"
)


def roots_of(value: CompositionRoot) -> tuple[str, ...]:
    """The composition root's modules, as a list."""
    return one_or_more(value)


def check_roots(value: CompositionRoot, *, key: str = "composition_root") -> tuple[str, ...]:
    """The modules of ``value``; a :class:`ConfigError` for an empty name or a wildcard."""
    roots = roots_of(value)
    for name in roots:
        if not name or has_wildcard(name):
            raise ConfigError(
                f"option '{key}' must be a module name or a list of them, not {name!r}",
                key=(key,),
            )
    return roots


def wired_in(
    graph: ProjectGraph, roots: Iterable[str], parts: Mapping[str, Collection[str]]
) -> set[str]:
    """The parts (by name, from ``parts``: name -> modules) that a composition root
    imports directly: the driven adapters it wires in. The others are driving."""
    imported = {
        module
        for root in roots
        for member in graph.with_descendants(root)
        for module in graph.grimp.find_modules_directly_imported_by(member)
    }
    return {
        name
        for name, modules in parts.items()
        if any(in_package(module, m) for module in imported for m in modules)
    }


def in_any(module: str, modules: Iterable[str]) -> bool:
    """Whether ``module`` is one of ``modules`` or under one."""
    return any(in_package(module, m) for m in modules)


def wired_importer(importer: str, root: str) -> str:
    """What a driven adapter importing the composition root that wires it in breaks."""
    return (
        f"{importer} imports the composition root {root}, which wires it in: a driven "
        "adapter must not know what wires it (only the driving adapters, the entry points, "
        "may import it)"
    )
