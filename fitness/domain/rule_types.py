"""The built-in rule types: one line each, the only list of them.

Everything else that knows the built-in rule types is derived from this table:
the rule types registered with the plugin manager (:mod:`fitness.application.plugins`),
the lazy exports of :mod:`fitness` and :mod:`fitness.domain.rules`, ``fitness rules``
and its "did you mean", and the generated parts of the documentation
(``scripts/gen_docs.py``: the table of rule types, the site's navigation, the
typing imports of ``fitness/__init__.py``). ``tests/domain/test_rule_types.py``
holds it to that.

This module imports nothing of fitness: ``import fitness`` reads it, and a run
imports a rule type's module only when a rule has that type.
"""

from __future__ import annotations

from typing import NamedTuple


class BuiltinRuleType(NamedTuple):
    """One built-in rule type: its name, where its class is defined, its page."""

    type_name: str
    #: ``"package.module:ClassName"``, imported on first use.
    target: str
    #: Its page, relative to ``docs/``.
    docs: str
    #: What it checks, in a line (the table of rule types in ``docs/rules/index.md``).
    summary: str

    @property
    def module(self) -> str:
        return self.target.partition(":")[0]

    @property
    def class_name(self) -> str:
        return self.target.partition(":")[2]


_R = "fitness.domain.rules"

#: In the order the documentation lists them: the import rules, then the styles.
BUILTIN_RULE_TYPES: tuple[BuiltinRuleType, ...] = (
    BuiltinRuleType("layers", f"{_R}.imports.layers:LayersRule", "rules/layers.md",
        "higher layers may import lower ones, never the reverse"),
    BuiltinRuleType("forbidden", f"{_R}.imports.forbidden:ForbiddenRule", "rules/forbidden.md",
        "some modules must not import others"),
    BuiltinRuleType("independence", f"{_R}.imports.independence:IndependenceRule",
        "rules/independence.md", "modules none of which imports another"),
    BuiltinRuleType("protected", f"{_R}.imports.protected:ProtectedRule", "rules/protected.md",
        "only the allowed importers may import some modules"),
    BuiltinRuleType("private_modules", f"{_R}.imports.private_modules:PrivateModulesRule",
        "rules/private_modules.md",
        "a `_private` module is imported only from within its package"),
    BuiltinRuleType("acyclic_siblings", f"{_R}.imports.acyclic_siblings:AcyclicSiblingsRule",
        "rules/acyclic_siblings.md",
        "no cycles among the children of each package, all the way down"),
    BuiltinRuleType("acyclic", f"{_R}.imports.acyclic:AcyclicRule", "rules/acyclic.md",
        "no cycles among the slices a pattern selects, with the cycles shown"),
    BuiltinRuleType("hexagonal", f"{_R}.styles.hexagonal:HexagonalRule", "rules/hexagonal.md",
        "ports and adapters"),
    BuiltinRuleType("modules", f"{_R}.imports.modules:ModulesRule", "rules/modules.md",
        "the fluent API's rules, declared in the configuration"),
    BuiltinRuleType("classes", f"{_R}.code.classes:ClassesRule", "rules/classes.md",
        "classes: their bases, protocols, names, decorators, calls, where they live and "
        "who creates them (ArchUnit's reach)"),
    BuiltinRuleType("functions", f"{_R}.code.functions:FunctionsRule", "rules/classes.md",
        "functions: their names, decorators, calls and where they live"),
    BuiltinRuleType("metrics", f"{_R}.metrics.thresholds:MetricsRule", "rules/metrics.md",
        "thresholds on coupling and cohesion"),
    BuiltinRuleType("dependencies", f"{_R}.imports.dependencies:DependenciesRule",
        "rules/dependencies.md",
        "third-party distributions declared, used, development-only ones out of production "
        "code, and which packages may use which (deptry's and tach's `check-external` "
        "checks, with chains)"),
    BuiltinRuleType("modular_monolith", f"{_R}.styles.modular_monolith:ModularMonolithRule",
        "styles/modular_monolith.md",
        "modules with declared dependencies and public interfaces, no cycles between them "
        "(tach's modules)"),
    BuiltinRuleType("bounded_contexts", f"{_R}.styles.bounded_contexts:BoundedContextsRule",
        "styles/bounded_contexts.md",
        "DDD's bounded contexts: published language, shared kernel, context map, "
        "anticorruption layers"),
    BuiltinRuleType("cqrs", f"{_R}.styles.cqrs:CqrsRule", "styles/cqrs.md",
        "commands and queries kept apart, each with its model"),
    BuiltinRuleType("clean_architecture", f"{_R}.styles.clean_architecture:CleanArchitectureRule",
        "styles/clean_architecture.md",
        "Martin's concentric rings: dependencies point inwards, frameworks only outside"),
    BuiltinRuleType("onion", f"{_R}.styles.onion:OnionRule", "styles/onion.md",
        "Palermo's onion (ArchUnit's `onionArchitecture()`): domain models, domain "
        "services, application services, independent adapters"),
    BuiltinRuleType("event_driven", f"{_R}.styles.event_driven:EventDrivenRule",
        "styles/event_driven.md",
        "publishers and subscribers that know the events, never each other; plain events"),
    BuiltinRuleType("strangler_fig", f"{_R}.styles.strangler_fig:StranglerFigRule",
        "styles/strangler_fig.md",
        "the legacy code is being replaced: no new importers of it, the replacement never "
        "imports it; the migration's progress"),
)  # fmt: skip

#: Class name -> the module that defines it (the lazy exports).
BUILTIN_RULE_CLASSES: dict[str, str] = {t.class_name: t.module for t in BUILTIN_RULE_TYPES}
