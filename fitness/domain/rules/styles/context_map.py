"""The context map of the ``bounded_contexts`` rule type, as one graph has it: each
context's published language, the relations between contexts, which imports into a
context are another context's business, and which principle a chain breaks."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from fitness.domain.errors import RuleError, did_you_mean
from fitness.domain.graph import ProjectGraph, in_package
from fitness.domain.modules import require_in_graph
from fitness.domain.rules.base import join_names
from fitness.domain.violations import Chain

#: A ``published`` name that stands for the context's package itself (its ``__init__``).
PACKAGE_ITSELF = "__init__"


class Relation(NamedTuple):
    """One relation of the context map: ``downstream`` may use ``upstream``'s published
    language, only from ``acl`` (a module of the downstream context) if one is named."""

    upstream: str
    downstream: str
    acl: str = ""


class ContextMap:
    """The contexts, their published language and their relations, as one graph has them."""

    def __init__(
        self,
        graph: ProjectGraph,
        contexts: set[str],
        published: Iterable[str],
        relations: tuple[Relation, ...],
    ) -> None:
        self.graph = graph
        self.contexts = contexts
        self.names = tuple(name for name in published if "." not in name)
        self.modules = tuple(name for name in published if "." in name)
        self.relations = {(r.upstream, r.downstream): r for r in relations}
        self.has_map = bool(relations)
        self.published: dict[str, set[str]] = {}  # context -> its published modules
        self.entries: dict[str, list[str]] = {}  # context -> its published entry points
        for context in sorted(contexts):
            modules: set[str] = set()
            entries = []
            for name in self.names:
                if name == PACKAGE_ITSELF:
                    modules.add(context)
                    entries.append(context)
                elif (module := f"{context}.{name}") in graph:
                    modules |= graph.with_descendants(module)
                    entries.append(module)
            self.published[context] = modules
            self.entries[context] = entries
        require_in_graph(graph, self.modules, option="published")
        for module in self.modules:
            owner = self.context_of(module)
            if owner is None:
                raise RuleError(
                    f"published: '{module}' is in no context; a module in 'published' is "
                    "one its context alone publishes"
                )
            self.published[owner] |= graph.with_descendants(module)
            self.entries[owner].append(module)

    def context_of(self, module: str) -> str | None:
        for context in self.contexts:
            if in_package(module, context):
                return context
        return None

    def unpublished_names(self) -> tuple[str, ...]:
        """A warning for each published name that no context has (a typo is likely)."""
        return tuple(
            f"published: no context has a submodule '{name}'"
            f"{did_you_mean(name, self._submodule_names())}"
            for name in self.names
            if name != PACKAGE_ITSELF
            and not any(f"{context}.{name}" in self.graph for context in self.contexts)
        )

    def _submodule_names(self) -> set[str]:
        return {
            child.rpartition(".")[2]
            for context in self.contexts
            for child in self.graph.grimp.find_children(context)
        }

    def may_use(self, importer: str, downstream: str, upstream: str) -> bool:
        """Whether ``importer`` (a module of ``downstream``) may import ``upstream``'s
        published language."""
        if not self.has_map:
            return True
        relation = self.relations.get((upstream, downstream))
        if relation is None:
            return False
        return not relation.acl or in_package(importer, relation.acl)

    def left_out_imports(self) -> set[tuple[str, str]]:
        """The direct imports into a context that are none of another context's business:
        those from code outside every context (a composition root, the kernel, a
        framework: not checked here), and those into a published language that the
        importing context may use."""
        left_out = set()
        for context in sorted(self.contexts):
            published = self.published[context]
            for imported in sorted(self.graph.with_descendants(context)):
                for importer in self.graph.importers_of(imported):
                    if in_package(importer, context):
                        continue
                    downstream = self.context_of(importer)
                    if downstream is None or (
                        imported in published and self.may_use(importer, downstream, context)
                    ):
                        left_out.add((importer, imported))
        return left_out

    def explain(self, importer: str, imported: str, chain: Chain) -> str:
        """Which principle a chain from one context into another breaks, and its remedy."""
        entry = next(link for link in chain.links if in_package(link.imported, imported))
        relation = self.relations.get((imported, importer))
        if self.has_map and relation is None and (importer, imported) in self.relations:
            events = sorted(n for n in self.names if n != PACKAGE_ITSELF and "event" in n)
            where = f"{importer}.{events[0] if events else 'events'}"
            return (
                f"the upstream context {importer} depends on its downstream {imported}: an "
                f"upstream must not know its downstreams; publish an event in "
                f"{where} for {imported} to handle"
                + ("" if events else ', and add "events" to published')
            )
        if self.has_map and relation is None:
            return (
                f"{importer} depends on {imported}, which the context map does not make "
                f'its upstream: declare the relation (upstream = "{imported}", downstream = '
                f'"{importer}"), best with an anticorruption layer in {importer}.acl'
            )
        language = self.language(imported)
        inside = entry.imported in self.published[imported]
        if relation is not None and relation.acl and not in_package(entry.importer, relation.acl):
            if inside:
                return (
                    f"{importer} uses its upstream {imported} outside its anticorruption "
                    f"layer: only {relation.acl} may import {imported}; translate there"
                )
            return (
                f"{importer} reaches into the internals of {imported} ({entry.imported}) "
                f"outside its anticorruption layer: go through {language} from {relation.acl}"
            )
        return (
            f"{importer} reaches into the internals of {imported} ({entry.imported}): "
            f"go through {language}"
        )

    def language(self, context: str) -> str:
        entries = self.entries[context]
        if not self.names and not self.modules:
            return (
                f"a published language: name the submodules of {context} that other "
                "contexts may import in 'published' (such as 'api' and 'events')"
            )
        if not entries and self.names:
            return (
                f"the context's published language, which {context} does not have yet "
                f"(publish {join_names([f'{context}.{n}' for n in self.names], 'or')})"
            )
        if not entries:
            return (
                f"a published language, which {context} does not have yet (add its "
                "published modules to 'published')"
            )
        names = [e for e in entries if e != context] + [
            f"{context} itself" for e in entries if e == context
        ]
        return f"the context's published language ({join_names(names, 'or')})"
