"""``bounded_contexts``: Domain-Driven Design's bounded contexts and their context map.

The principles (Evans, *Domain-Driven Design*, part IV), each checked with the
machinery of another rule type and each violation saying which it breaks:

1. Contexts are independent of each other (independence), except through each
   other's published language: the ``published`` submodules of a context
   (``api``, ``events``) are what the others may import.
2. The shared kernel may be used by every context, and so knows none of them
   (forbidden: kernel -> any context).
3. With a context map, a downstream context may use only its upstreams'
   published language; an upstream never knows its downstreams; and where a
   relation names an anticorruption layer (``acl``), that module of the
   downstream context is the only one that may import the upstream.

The imports the contexts are allowed (into a published language, from a context
the map lets use it) are left out of the graph, and so are the imports into a
context from code outside every context (a composition root, the kernel, a
framework: such code is not checked, and what it imports is not the business of
the contexts that use it). The independence of the contexts is checked on what
remains: every chain left between two contexts breaks a principle, and the
link where it enters the imported context says which.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from fitness.domain.errors import ConfigError, RuleError, did_you_mean
from fitness.domain.graph import ProjectGraph, in_package
from fitness.domain.modules import MODULES, governed_by, has_wildcard, require_in_graph, resolve_all
from fitness.domain.options import option
from fitness.domain.rules.base import Findings, join_names
from fitness.domain.rules.compose import delegate
from fitness.domain.rules.imports.forbidden import ForbiddenRule
from fitness.domain.rules.imports.independence import IndependenceRule
from fitness.domain.rules.styles.context_map import ContextMap, Relation
from fitness.domain.rules.support import INTERNAL_DESCENDANTS, IgnoringRule, require_internal
from fitness.domain.violations import Violation

#: The keys of one relation of the context map.
RELATION_KEYS = ("upstream", "downstream", "acl")


@dataclass(frozen=True, kw_only=True)
class BoundedContextsRule(IgnoringRule):
    """Bounded contexts that know each other only through their published language and a
    shared kernel; with a context map, only downstream of their upstreams."""

    type_name = "bounded_contexts"
    how_to_fix = (
        "A bounded context keeps its model to itself: other contexts use only its published "
        "language (the published submodules), and what every context needs goes into the "
        "shared kernel. With a context map, a downstream context translates its upstreams' "
        "published language in its anticorruption layer, and an upstream that needs to tell "
        "its downstreams something publishes an event."
    )

    contexts: tuple[str, ...] = option(
        doc="the bounded contexts (a list, or a wildcard such as 'app.*'): independent "
        "except through their published language",
        names=MODULES,
    )
    exclude: tuple[str, ...] = option(
        (),
        doc="modules a wildcard in 'contexts' matches that are not contexts (a composition "
        "root, settings): not checked",
        names=MODULES,
    )
    published: tuple[str, ...] = option(
        ("api", "events"),
        doc="the submodules of every context that other contexts may import "
        "(its published language; '__init__' for the context's package itself), or "
        "modules one context alone publishes ('app.sites.shortcuts')",
    )
    shared_kernel: tuple[str, ...] = option(
        (),
        doc="modules every context may use; they may import no context",
        names=MODULES,
    )
    context_map: tuple[Mapping[str, str], ...] = option(
        (),
        doc="relations {upstream, downstream, acl}: a downstream context may use only "
        "its upstreams' published language, only from its anticorruption layer 'acl' "
        "if one is named (with no relations, any context may use any other's)",
    )

    def __post_init__(self) -> None:
        if not self.contexts:
            raise ConfigError("option 'contexts' must name at least one context", key=("contexts",))
        for name in self.published:
            if not name or "" in name.split(".") or has_wildcard(name):
                raise ConfigError(
                    f"option 'published': {name!r} is neither a submodule name (such as "
                    "'api', for every context) nor a module (such as 'app.billing.invoices', "
                    "for its context alone)",
                    key=("published",),
                )
        plain = [c for c in self.contexts if not has_wildcard(c)]
        for kernel in self.shared_kernel:
            for context in plain:
                if in_package(kernel, context) or in_package(context, kernel):
                    raise ConfigError(
                        f"option 'shared_kernel': '{kernel}' overlaps the context '{context}'",
                        key=("shared_kernel",),
                    )
        seen: set[tuple[str, str]] = set()
        for number, relation in enumerate(self.relations, start=1):
            where = f"option 'context_map', relation {number}"
            pair = (relation.upstream, relation.downstream)
            if relation.upstream == relation.downstream:
                raise ConfigError(
                    f"{where}: '{relation.upstream}' cannot be its own upstream",
                    key=("context_map", number - 1),
                )
            if pair in seen:
                raise ConfigError(
                    f"{where}: {relation.downstream} is already downstream of {relation.upstream}",
                    key=("context_map", number - 1),
                )
            seen.add(pair)
            for end in pair:
                if plain and len(plain) == len(self.contexts) and end not in plain:
                    raise ConfigError(
                        f"{where}: '{end}' is not one of the contexts{did_you_mean(end, plain)}",
                        key=("context_map", number - 1),
                    )
            if relation.acl and not in_package(relation.acl, relation.downstream):
                raise ConfigError(
                    f"{where}: the anticorruption layer '{relation.acl}' must be a module of "
                    f"the downstream context {relation.downstream} "
                    f"(such as '{relation.downstream}.acl')",
                    key=("context_map", number - 1),
                )
            if relation.acl == relation.downstream:
                raise ConfigError(
                    f"{where}: the anticorruption layer must be a module inside "
                    f"{relation.downstream}, not the whole context",
                    key=("context_map", number - 1),
                )

    @property
    def relations(self) -> tuple[Relation, ...]:
        """The context map, each relation checked for its keys."""
        relations = []
        for number, table in enumerate(self.context_map, start=1):
            where = f"option 'context_map', relation {number}"
            for key in table:
                if key not in RELATION_KEYS:
                    raise ConfigError(
                        f"{where}: unknown key '{key}'{did_you_mean(key, RELATION_KEYS)} "
                        "(a relation has upstream, downstream and, optionally, acl)",
                        key=("context_map", number - 1),
                    )
            for key in ("upstream", "downstream"):
                if not table.get(key):
                    raise ConfigError(
                        f"{where}: missing '{key}' (a relation has upstream, downstream "
                        "and, optionally, acl)",
                        key=("context_map", number - 1),
                    )
            relations.append(Relation(table["upstream"], table["downstream"], table.get("acl", "")))
        return tuple(relations)

    def governed_modules(self, graph: ProjectGraph) -> set[str]:
        """The contexts (less what ``exclude`` leaves out) and the shared kernel."""
        return (governed_by(graph, self.contexts) - governed_by(graph, self.exclude)) | governed_by(
            graph, self.shared_kernel
        )

    def describe(self) -> str:
        kernel = (
            f", and all may use the shared kernel {join_names(self.shared_kernel)}"
            if self.shared_kernel
            else ""
        )
        text = (
            f"Bounded contexts {join_names(self.contexts)} depend on each other only through "
            f"their published language ({join_names(self.published)}){kernel}"
            if self.published
            else f"Bounded contexts {join_names(self.contexts)} are independent{kernel}"
        )
        if not self.relations:
            return text
        parts = [
            f"{r.downstream} is downstream of {r.upstream}"
            + (f" through its anticorruption layer {r.acl}" if r.acl else "")
            for r in self.relations
        ]
        return f"{text}; in the context map, {join_names(parts)}"

    # Checking -----------------------------------------------------------------

    def evaluate(self, graph: ProjectGraph) -> Findings:
        graph, warnings = self.without_ignored_imports(graph)
        kernel = resolve_all(graph, self.shared_kernel, option="shared_kernel")
        require_in_graph(graph, kernel, option="shared_kernel")
        excluded = resolve_all(graph, self.exclude, option="exclude")
        contexts = {
            c
            for c in resolve_all(graph, self.contexts, option="contexts")
            # a wildcard names the kernel too
            if not any(in_package(c, k) for k in kernel | excluded)
        }
        require_in_graph(graph, contexts, option="contexts")
        require_internal(graph, contexts, option="contexts", needs=INTERNAL_DESCENDANTS)
        _require_apart(contexts, kernel)
        relations = self.relations
        for relation in relations:
            for end in (relation.upstream, relation.downstream):
                if end not in contexts:
                    raise RuleError(
                        f"context_map: '{end}' is not one of the contexts"
                        f"{did_you_mean(end, contexts)}"
                    )
            if relation.acl:
                require_in_graph(graph, [relation.acl], option="context_map: acl")
        context_map = ContextMap(graph, contexts, self.published, relations)
        warnings += context_map.unpublished_names()
        violations = [
            *self._independent_contexts(graph, context_map),
            *self._kernel_knows_no_context(graph, kernel, contexts),
        ]
        details = {
            "published": {c: list(context_map.entries[c]) for c in sorted(contexts)},
            "shared_kernel": sorted(kernel),
            "context_map": [r._asdict() for r in relations],
        }
        return Findings.of(violations, warnings, details=details)

    def _independent_contexts(
        self, graph: ProjectGraph, context_map: ContextMap
    ) -> list[Violation]:
        """Independence of the contexts, once the allowed imports are left out."""
        if len(context_map.contexts) < 2:
            return []
        remaining = graph.without_imports(context_map.left_out_imports())
        return (
            delegate(self, IndependenceRule, modules=tuple(sorted(context_map.contexts)))
            .reworded_by_chain(lambda v, chain: context_map.explain(v.importer, v.imported, chain))
            .violations(remaining)
        )

    def _kernel_knows_no_context(
        self, graph: ProjectGraph, kernel: set[str], contexts: set[str]
    ) -> list[Violation]:
        if not kernel or not contexts:
            return []
        # A chain stops at the first context it enters: a context's own imports are
        # that context's business, not the kernel's.
        graph = graph.without_imports(
            (importer, imported)
            for context in sorted(contexts)
            for importer in sorted(graph.with_descendants(context))
            for imported in graph.imported_by(importer)
            if not in_package(imported, context)
        )
        return (
            delegate(
                self,
                ForbiddenRule,
                source_modules=tuple(sorted(kernel)),
                forbidden_modules=tuple(sorted(contexts)),
            )
            .reworded(
                lambda v: (
                    f"the shared kernel {v.importer} depends on the context {v.imported}: "
                    "every context may use the kernel, so it may know none of them; move this "
                    f"code into {v.imported}"
                )
            )
            .violations(graph)
        )


def _require_apart(contexts: set[str], kernel: set[str]) -> None:
    """Contexts nested in one another, or holding the kernel, cannot be told apart."""
    for context in sorted(contexts):
        inside = sorted(c for c in contexts if in_package(c, context) and c != context)
        if inside:
            raise RuleError(
                f"contexts: '{inside[0]}' is inside the context '{context}'; name contexts "
                "that do not contain each other"
            )
        held = sorted(k for k in kernel if in_package(k, context) or in_package(context, k))
        if held:
            raise RuleError(f"shared_kernel: '{held[0]}' overlaps the context '{context}'")
