"""The interfaces of a ``modular_monolith``'s modules: the imports from another module that
reach past a module's interface, by submodule (``interface``: the submodules others may
import) and by name (what its ``__init__`` exports in ``__all__``, read off the import
statements with the code model)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import TYPE_CHECKING

from fitness.domain.code.detail import Detail
from fitness.domain.graph import ProjectGraph, collapse, in_package
from fitness.domain.rules.base import join_names
from fitness.domain.rules.styles.monolith_dependencies import Dependency, Pair
from fitness.domain.source_facts import TYPE_CHECKING_ONLY
from fitness.domain.violations import Chain, Link, Violation

if TYPE_CHECKING:
    from fitness.domain.code.project import CodeModel

Import = tuple[str, str]
#: Each module's interface: the submodules others may import (None: the module is open).
Interfaces = Mapping[str, tuple[str, ...] | None]


def attribute_imports(
    graph: ProjectGraph, interfaces: Interfaces, dependencies: Mapping[Pair, list[Dependency]]
) -> dict[Import, list[int]]:
    """The imports of a submodule ``target.x`` of a module with an interface that are
    ``from target import x`` where ``target/__init__.py`` binds ``x`` to something
    else (``from .array import array``): Python gives the attribute, not the
    submodule, so the import is of a name of ``target``, judged by its ``__all__``.
    Each such (importer, submodule), with the lines of those statements."""
    if not graph.has_code_model:
        return {}

    candidates: dict[str, list[Import]] = defaultdict(list)
    for (_, target), ways in sorted(dependencies.items()):
        if interfaces[target] is None:
            continue
        for way in ways:
            if way.direct and way.modules[1].rpartition(".")[0] == target:
                candidates[target].append((way.modules[0], way.modules[1]))
    if not candidates:
        return {}
    model = graph.code_model(Detail.OUTLINE)
    found: dict[Import, list[int]] = {}
    for target, imports in sorted(candidates.items()):
        rebound = _rebound(model, target)
        for importer, imported in sorted(set(imports)):
            name = imported.rpartition(".")[2]
            if name not in rebound:
                continue  # not bound in the __init__, or bound to the submodule itself
            lines = []
            for line, name_imported in names_imported(graph, model, importer, target, rebound):
                if name_imported == name:
                    lines.append(line)
            every = [line for line, _ in graph.import_lines(importer, imported)]
            if lines and set(every) <= set(lines):
                found[importer, imported] = sorted(set(lines))
    return found


def names_imported(
    graph: ProjectGraph,
    model: CodeModel,
    importer: str,
    target: str,
    rebound: frozenset[str],
) -> list[tuple[int, str]]:
    """(line, name) of each name ``importer`` imports from ``target`` by a
    ``from target import ...`` statement, on the lines grimp recorded for its imports
    of ``target`` and of the submodules ``rebound`` names (grimp records
    ``from target import x`` as an import of ``target.x`` when there is one); those
    made only for type checkers left out when the graph leaves them out
    (``exclude_type_checking_imports``)."""
    file = graph.file_of(importer) or ""
    is_package = file.endswith("__init__.py")
    lines: dict[int, str] = {}
    for imported in sorted(graph.imported_by(importer)):
        parent, _, name = imported.rpartition(".")
        if imported == target or (parent == target and name in rebound):
            for line, text in graph.import_lines(importer, imported):
                if line is not None:
                    lines.setdefault(line, text)
    found = []
    for line, text in sorted(lines.items()):
        if (
            graph.exclude_type_checking_imports
            and graph.import_context(importer, line) == TYPE_CHECKING_ONLY
        ):
            continue
        for each in model.names_imported(importer, target, line, text, is_package=is_package):
            if each.name is not None:
                found.append((line, each.name))
    return found


def interface_bypasses(
    graph: ProjectGraph,
    interfaces: Interfaces,
    dependencies: Mapping[Pair, list[Dependency]],
    attributes: Mapping[Import, list[int]],
) -> list[Violation]:
    """Direct imports of a module with an interface that reach past it (an import of
    a name its ``__init__`` binds is judged by the names it exports instead)."""
    by_part: dict[tuple[str, str, str], list[Import]] = defaultdict(list)
    for (source, target), ways in dependencies.items():
        interface = interfaces[target]
        if interface is None:
            continue
        public = [f"{target}.{entry}" for entry in interface]
        for way in ways:
            if not way.direct:
                continue  # the last import is made by code outside every module
            importer, imported = way.modules
            if imported == target or any(in_package(imported, p) for p in public):
                continue
            if (importer, imported) in attributes:
                continue
            part = collapse(imported, target.count(".") + 2)
            by_part[source, target, part].append((importer, imported))
    violations = []
    for (source, target, part), imports in sorted(by_part.items()):
        violations.append(
            Violation(
                importer=source,
                imported=part,
                summary=f"interface bypass: {source} reaches into {part}, which is not "
                f"part of {target}'s interface; go through {target}'s interface "
                f"({interface_text(interfaces, target)})",
                chains=tuple(Chain.of(graph, pair) for pair in sorted(imports)),
            )
        )
    return violations


def symbol_bypasses(
    graph: ProjectGraph,
    interfaces: Interfaces,
    owners: Mapping[str, str | None],
    attributes: Mapping[Import, list[int]],
) -> tuple[list[Violation], list[str]]:
    """``from app.billing import Invoice`` where ``app.billing`` has an interface and
    does not export ``Invoice`` (needs the code model's import facts); and a warning
    for each such module whose exports cannot be known statically."""
    if not graph.has_code_model:
        return [], []
    closed = {name for name, interface in interfaces.items() if interface is not None}
    if not closed:
        return [], []

    # Only the names imported from a module with an interface are checked: they are
    # read off the import statements grimp found (their first line, the lines after
    # it when one goes on), and only those modules' __init__ is parsed (its __all__).
    model = graph.code_model(Detail.OUTLINE)
    attribute_importers: dict[str, set[str]] = defaultdict(set)
    for importer, imported in attributes:
        attribute_importers[imported.rpartition(".")[0]].add(importer)
    # (target, source, name, importer, line) of each name imported from a module
    # with an interface that is neither a submodule nor an interface submodule
    imported_names: list[tuple[str, str, str, str, int]] = []
    for target in sorted(closed):
        interface = interfaces[target] or ()
        importers = sorted(set(graph.importers_of(target)) | attribute_importers[target])
        importers = [m for m in importers if owners.get(m) not in (None, target)]
        if not importers:
            continue  # (None: ignored; target: the module's own code)
        rebound = _rebound(model, target)
        for module in importers:
            source = owners[module]
            assert source is not None
            names = names_imported(graph, model, module, target, rebound)
            for line, name in sorted(set(names)):
                if name in interface or _is_dunder(name):
                    continue  # a submodule the interface lists; the module's metadata
                if f"{target}.{name}" in graph and name not in rebound:
                    continue  # the submodule: the module-level check judges it
                imported_names.append((target, source, name, module, line))
    model.modules.read(sorted({target for target, *_ in imported_names}))  # at once
    found: dict[tuple[str, str], list[tuple[str, int]]] = defaultdict(list)
    unknown: dict[str, tuple[set[str], str]] = {}
    for target, source, name, module, line in imported_names:
        exported = model.public_names(target)
        if exported.names is None:
            unknown.setdefault(target, (set(), exported.why))[0].add(source)
        elif name not in exported.names:
            found[source, f"{target}.{name}"].append((module, line))
    violations = []
    for (source, symbol), sites in sorted(found.items()):
        target, _, name = symbol.rpartition(".")
        violations.append(
            Violation(
                importer=source,
                imported=symbol,
                summary=f"interface bypass: {source} imports {name} from {target}, but "
                f"{target}'s __init__ does not export it in __all__; go through {target}'s "
                f"interface ({interface_text(interfaces, target)}), or export {name} in "
                f"{target}'s __all__",
                chains=tuple(
                    Chain((_link_at(graph, module, target, line),))
                    for module, line in sorted(set(sites))
                ),
            )
        )
    warnings = [
        f"the names {join_names(sorted(importers))} import"
        f"{'s' if len(importers) == 1 else ''} from {target} are not checked: what "
        f"{target} exports cannot be known statically ({why})"
        for target, (importers, why) in sorted(unknown.items())
    ]
    return violations, warnings


def interface_text(interfaces: Interfaces, module: str) -> str:
    """How a violation names a module's interface."""
    interface = interfaces[module] or ()
    return ", ".join(interface) if interface else "its __all__ only"


def _rebound(model: CodeModel, package: str) -> frozenset[str]:
    """The submodules of ``package`` whose name its ``__init__`` binds to something else
    (``from .array import array``): ``from package import array`` gives that, not the
    submodule, as Python gives a name the package binds before looking for a submodule."""
    if package not in model.modules:
        return frozenset()
    return frozenset(
        name for name, bound in model.modules[package].names if bound != f"{package}.{name}"
    )


def _is_dunder(name: str) -> bool:
    """``__all__``, ``__version__``: a module's metadata, not its code."""
    return len(name) > 4 and name.startswith("__") and name.endswith("__")


def _link_at(graph: ProjectGraph, importer: str, imported: str, line: int) -> Link:
    """The import of a name of ``imported`` by ``importer`` at ``line`` (the code model's
    line; grimp may have recorded it as an import of the submodule of that name)."""
    lines = [
        (number, text)
        for module in sorted(graph.imported_by(importer))
        if module == imported or module.rpartition(".")[0] == imported
        for number, text in graph.import_lines(importer, module)
    ]
    code = next((text for number, text in lines if number == line), "")
    return Link(
        importer=importer,
        imported=imported,
        line_numbers=(line,),
        file=graph.file_of(importer),
        code=code.strip(),
    )


def exported_names(model: CodeModel, module: str) -> frozenset[str] | None:
    """The names ``module`` exports (:meth:`CodeModel.public_names`): its ``__all__``,
    evaluated statically (another module's ``__all__`` it takes included); without one,
    what ``from module import *`` gives; None when that cannot be known statically."""
    names = model.public_names(module).names
    return None if names is None else frozenset(names)
