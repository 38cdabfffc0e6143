"""Dynamic imports of a name known from literals, added to the graph as the imports they are.

``importlib.import_module("app.adapters.db")`` imports ``app.adapters.db`` as surely
as ``import app.adapters.db`` does: the source scan (:mod:`fitness.adapters.source_scan`)
resolves the name when literals give it, and each such call becomes an import of the
graph, on its line, which every rule checks (messages mark it as dynamic). One whose
name is built at run time, or names no module of the graph, stays a blind spot.
grimp does not see them, and neither does import-linter: an import-linter
configuration keeps import-linter's graph (``GraphSettings.as_import_linter``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import grimp

from fitness.domain.source_facts import DynamicImport


def add_dynamic_imports(
    graph: grimp.ImportGraph,
    dynamic_imports: Iterable[DynamicImport],
    roots: Sequence[str],
    *,
    include_external_packages: bool,
) -> tuple[frozenset[tuple[str, str, int]], tuple[DynamicImport, ...]]:
    """Add to ``graph`` the dynamic imports whose target is known: an internal module of
    the graph, or (with ``include_external_packages``) an external package, squashed as
    grimp squashes it. Returns the imports added, ``(importer, imported, line)``, and
    the dynamic imports the rules see: those added, and those of an external package
    left out as a static import of it would be."""
    dynamic_imports = [d for d in dynamic_imports if d.target]
    if not dynamic_imports:
        return frozenset(), ()
    added: set[tuple[str, str, int]] = set()
    seen: list[DynamicImport] = []
    modules = set(graph.modules)
    for dynamic in dynamic_imports:
        target = dynamic.target
        if not target or dynamic.module not in modules:
            continue
        if any(target == root or target.startswith(f"{root}.") for root in roots):
            if target not in modules or graph.is_module_squashed(target):
                continue  # no such module: Python would fail; the rules cannot see it
            imported = target
        else:
            external = _distilled(target, roots)
            if external is None or not include_external_packages:
                seen.append(dynamic)  # as `import <target>` would be: not in the graph
                continue
            imported = external
            if imported not in modules:
                graph.add_module(imported, is_squashed=True)
                modules.add(imported)
            elif not graph.is_module_squashed(imported):
                continue
        if imported == dynamic.module:
            seen.append(dynamic)
            continue
        graph.add_import(
            importer=dynamic.module,
            imported=imported,
            line_number=dynamic.line_number,
            line_contents=dynamic.code,
        )
        added.add((dynamic.module, imported, dynamic.line_number))
        seen.append(dynamic)
    return frozenset(added), tuple(seen)


def _distilled(target: str, roots: Sequence[str]) -> str | None:
    """The external package ``target`` is part of, as grimp names it: its first name,
    or, when it shares a namespace with a root package (``company.other.x`` beside the
    root ``company.team``), its shallowest name apart from the roots'; ``None`` for a
    namespace above a root (``company``)."""
    parts = target.split(".")
    candidates = []
    for root in roots:
        if root.startswith(f"{target}."):
            return None
        names = root.split(".")
        if len(names) > 1 and names[0] == parts[0]:
            shared = 0
            while shared < min(len(names), len(parts)) and names[shared] == parts[shared]:
                shared += 1
            candidates.append(".".join(parts[: shared + 1]))
    if candidates:
        return max(candidates, key=lambda name: name.count("."))
    return parts[0]
