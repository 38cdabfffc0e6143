"""What the metrics need to know about classes: a view of the code model.

Abstractness counts abstract classes (:func:`~fitness.domain.code.vocabulary.class_is_abstract`);
LCOM4 joins the methods of a class that use a common attribute or call each other;
relational cohesion counts the classes of a package that refer to each other. Each
is read off the code model (:attr:`Detail.COHESION`), parsed once per file and
cached with it, for the metrics and the class rules alike.

Only the classes defined directly in a module's body are counted, as JDepend leaves
inner classes out by default (nested and local classes, though the code model holds
them, are not counted), and only their methods defined directly in the class body (a
class or a method defined under an ``if`` or a ``try`` is an alternative, not one more).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from fitness.domain.code.detail import Detail
from fitness.domain.code.model import ModuleCode
from fitness.domain.code.parsing import module_code
from fitness.domain.code.project import CodeModel
from fitness.domain.code.serialisation import class_data
from fitness.domain.code.vocabulary import is_public
from fitness.domain.errors import ConfigError


@dataclass(frozen=True, order=True)
class MethodFacts:
    """One method: the instance (or class) attributes it uses and the methods it calls.

    ``attributes`` are the names ``x`` of ``self.x`` that are not methods of the
    class; ``calls`` are the names of the class's own methods it calls or
    references through ``self`` (a property read counts as a call).
    """

    name: str
    attributes: frozenset[str] = frozenset()
    calls: frozenset[str] = frozenset()
    #: Decorated with ``abstractmethod``.
    abstract: bool = False
    #: The body only raises ``NotImplementedError``.
    not_implemented: bool = False


@dataclass(frozen=True, order=True)
class ClassFacts:
    """One top-level class of a module."""

    module: str
    name: str
    line: int = 0
    #: Abstract by the whole definition (:func:`~fitness.domain.code.vocabulary.class_is_abstract`).
    abstract: bool = False
    protocol: bool = False
    methods: tuple[MethodFacts, ...] = ()
    #: Dotted names the class refers to (bases, annotations, bodies), resolved
    #: to absolute names where the module's imports say where they come from.
    references: frozenset[str] = frozenset()
    #: Abstract without counting methods that only raise NotImplementedError
    #: (``not_implemented_is_abstract = false``).
    declared_abstract: bool = False

    @property
    def qualified_name(self) -> str:
        return f"{self.module}.{self.name}"

    def is_abstract(self, *, not_implemented_is_abstract: bool = True) -> bool:
        return self.abstract if not_implemented_is_abstract else self.declared_abstract


@dataclass(frozen=True)
class ModuleFacts:
    """The classes of one module."""

    module: str
    classes: tuple[ClassFacts, ...] = ()


def facts_of(code: ModuleCode | tuple[Any, ...]) -> ModuleFacts:
    """The classes defined directly in the module's body, as the metrics see them, from
    its code or its data (which must hold :attr:`Detail.COHESION`). A module whose
    classes could not be read is an error: the metrics would be wrong without a word."""
    if not isinstance(code, tuple):  # (not by class: see ModuleTable)
        module, file, unread = code.module, code.file, code.classes_unread
        classes: Any = (
            (
                c.name,
                c.line,
                tuple(
                    (m.name, m.declared_abstract, m.not_implemented, m.uses, m.conditional)
                    for m in c.methods
                ),
                c.protocol,
                c.declared_abstract,
                c.references,
                c.conditional,
            )
            for c in code.classes
        )
    else:
        module, file, unread = code[0], code[1], code[10]
        classes = class_data(code)
    if unread:
        raise ConfigError(f"cannot parse {file or module}: {unread}")
    found = []
    empty: frozenset[str] = frozenset()
    for name, line, methods, protocol, declared, references, conditional in classes:
        if conditional or "." in name:
            continue
        # A method defined under an if or a try in the class body is an alternative.
        methods = tuple(method for method in methods if not method[4])
        shorts = [method[0].rpartition(".")[2] for method in methods]
        names = set(shorts)
        # A property's getter and setter share a name, and what either uses.
        uses: dict[str, set[str]] = {}
        for short, method in zip(shorts, methods, strict=True):
            if short in uses:
                uses[short].update(method[3])
            else:
                uses[short] = set(method[3])
        facts = []
        not_implemented = False
        for short, (_, abstract, only_raises, _, _) in zip(shorts, methods, strict=True):
            used = uses[short]
            facts.append(
                MethodFacts(
                    short,
                    frozenset(used - names) if used else empty,
                    frozenset(used & names - {short}) if used else empty,
                    abstract,
                    only_raises,
                )
            )
            if only_raises and is_public(short):
                not_implemented = True
        found.append(
            ClassFacts(
                module=module,
                name=name,
                line=line,
                abstract=declared or not_implemented,
                protocol=protocol,
                methods=tuple(facts),
                references=frozenset(references),
                declared_abstract=declared,
            )
        )
    return ModuleFacts(module=module, classes=tuple(found))


def class_facts(model: CodeModel) -> dict[str, ModuleFacts]:
    """The class facts of every module of the model, by module name (read with
    :attr:`Detail.COHESION`). A module that defines no class in its body (no line of
    its text starts with ``class``) is not parsed for them."""
    model.require(Detail.COHESION)
    defining = [module for module in model.modules if model.defines_classes(module)]
    model.modules.read(defining)
    found = {module: facts_of(model.modules.entry(module)) for module in defining}
    return {module: found.get(module) or ModuleFacts(module=module) for module in model.modules}


def module_facts(
    module: str, source: str, *, is_package: bool = False, filename: str = ""
) -> ModuleFacts:
    """The facts of every top-level class in ``source`` (the text of ``module``).

    ``is_package`` says the source is a package's ``__init__.py`` (relative
    imports are resolved from the package itself). A syntax error is a
    :class:`~fitness.domain.errors.ConfigError` naming the file and line.
    """
    code = module_code(module, source, is_package=is_package, file=filename, detail=Detail.COHESION)
    return facts_of(code)


def classes_by_package(
    facts: Iterable[ModuleFacts], package_of: Mapping[str, str]
) -> dict[str, list[ClassFacts]]:
    """Group classes by the package their module belongs to (``package_of[module]``);
    modules missing from ``package_of`` are left out."""
    grouped: dict[str, list[ClassFacts]] = {}
    for module in facts:
        package = package_of.get(module.module)
        if package is None:
            continue
        grouped.setdefault(package, []).extend(module.classes)
    return grouped
