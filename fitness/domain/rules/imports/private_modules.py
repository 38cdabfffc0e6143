"""``private_modules``: a private module may be imported only from within its parent package.

Same options and verdicts as import-linter's private modules contract. A
module is private when the last part of its name starts with an underscore
(``shop.db._engine``; dunder names such as ``__main__`` are not private), and
its descendants are covered too. It may be imported by its parent package
(``shop.db``) and anything inside it.
"""

from __future__ import annotations

from dataclasses import dataclass

from fitness.domain.errors import ConfigError, RuleError
from fitness.domain.graph import ProjectGraph, in_package
from fitness.domain.modules import MODULES, governed_by, require_in_graph, resolve_all
from fitness.domain.options import option
from fitness.domain.rules.base import Findings, join_names
from fitness.domain.rules.support import INTERNAL_DESCENDANTS, IgnoringRule, require_internal
from fitness.domain.violations import Chain, Violation


@dataclass(frozen=True, kw_only=True)
class PrivateModulesRule(IgnoringRule):
    """Modules whose name starts with ``_`` are private to their parent package."""

    type_name = "private_modules"
    how_to_fix = (
        "Import what the parent package exposes instead of its private module, or make the "
        "module public (drop the leading underscore) if it is meant to be used from outside."
    )

    packages_with_private_modules: tuple[str, ...] = option(
        (),
        doc="packages whose private modules are checked (default: all the root packages)",
        names=MODULES,
    )

    def __post_init__(self) -> None:
        private = sorted(p for p in self.packages_with_private_modules if has_private_part(p))
        if private:
            raise ConfigError(
                f"packages_with_private_modules: {join_names(repr(p) for p in private)} "
                f"{'is' if len(private) == 1 else 'are'} private or inside a private module; "
                "list an ancestor that is not private instead",
                key=("packages_with_private_modules",),
            )

    def governed_modules(self, graph: ProjectGraph) -> set[str]:
        return governed_by(graph, self.packages_with_private_modules or graph.root_packages)

    def describe(self) -> str:
        where = (
            f" in {join_names(self.packages_with_private_modules)}"
            if self.packages_with_private_modules
            else ""
        )
        return f"Private modules{where} may be imported only from within their parent package"

    def evaluate(self, graph: ProjectGraph) -> Findings:
        graph, warnings = self.without_ignored_imports(graph)
        violations = []
        for imported in sorted(self._modules_to_check(graph)):
            parent = parent_of_innermost_private(imported)
            if parent is None:
                continue
            for importer in sorted(graph.grimp.find_modules_that_directly_import(imported)):
                if in_package(importer, parent):
                    continue
                violations.append(
                    Violation(
                        importer=importer,
                        imported=imported,
                        summary=f"{importer} is not allowed to import {imported} "
                        f"(private to {parent})",
                        chains=(Chain.of(graph, (importer, imported)),),
                    )
                )
        return Findings.of(violations, warnings)

    def _modules_to_check(self, graph: ProjectGraph) -> set[str]:
        if not self.packages_with_private_modules:
            return set(graph.modules)
        packages = resolve_all(
            graph, self.packages_with_private_modules, option="packages_with_private_modules"
        )
        require_in_graph(graph, packages, option="packages_with_private_modules")
        require_internal(
            graph, packages, option="packages_with_private_modules", needs=INTERNAL_DESCENDANTS
        )
        private = sorted(p for p in packages if has_private_part(p))
        if private:
            raise RuleError(
                f"packages_with_private_modules: the expressions match private modules "
                f"({join_names(private)}); list an ancestor that is not private instead"
            )
        return packages | {d for p in packages for d in graph.grimp.find_descendants(p)}


def is_private_name(name: str) -> bool:
    """``_x`` is private; ``__x__`` (a dunder such as ``__main__``) is not."""
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def has_private_part(module: str) -> bool:
    return any(is_private_name(part) for part in module.split("."))


def parent_of_innermost_private(module: str) -> str | None:
    """The parent of the module's innermost private part (itself or an ancestor), if any.
    A top-level package is never private: it has no parent to be private to."""
    parts = module.split(".")
    for index in range(len(parts) - 1, 0, -1):
        if is_private_name(parts[index]):
            return ".".join(parts[:index])
    return None
