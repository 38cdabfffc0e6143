"""Reading one module's code from its source text with ``ast`` (never importing it).

:func:`module_code` turns (module name, source text) into a :class:`ModuleCode`: its
outline (imports, ``__all__``, classes with their resolved bases and decorators,
functions and methods), and as much of what the code does (:class:`Detail`) as asked
for: the calls (:mod:`fitness.domain.code.calls`), what each method uses of its
instance. The outline costs little beyond the parse; the rest visits every expression.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet
from typing import Any

from fitness.domain.code.calls import BodyScan, CallData, parameters, referred_in, shown, signature
from fitness.domain.code.detail import Detail
from fitness.domain.code.imports import import_lines, module_imports
from fitness.domain.code.model import LOCALS, ImportedName, ModuleCode
from fitness.domain.code.namespace import Namespace, weakly
from fitness.domain.code.serialisation import from_data
from fitness.domain.code.statements import (
    DEFINITIONS,
    FUNCTIONS,
    GUARDS,
    FunctionNode,
    names_bound_in,
    nested_definitions,
    split_class_body,
    statement_headers,
    top_level_statements,
)
from fitness.domain.code.vocabulary import (
    ABC_BASES,
    ABC_METACLASSES,
    ABSTRACT_DECORATORS,
    BUILTINS,
    DATACLASS_DECORATORS,
    FROZEN_BASES,
    FROZEN_DECORATORS,
    PROPERTIES,
    PROTOCOL_NAMES,
    TUPLE_FACTORIES,
    class_is_abstract,
    frozen_config,
    is_public,
    only_raises_not_implemented,
)
from fitness.domain.errors import ConfigError
from fitness.domain.syntax import dotted_name, is_main_test, is_true


def module_code(
    module: str,
    source: str,
    *,
    is_package: bool = False,
    file: str = "",
    not_implemented_is_abstract: bool = True,
    detail: Detail = Detail.ALL,
) -> ModuleCode:
    """The code model of one module, parsed from ``source`` (never imported).

    ``is_package`` says the source is a package's ``__init__.py`` (relative
    imports are resolved from the package itself); ``file`` is the file as
    messages show it. ``not_implemented_is_abstract`` (the default) counts a
    method whose body only raises ``NotImplementedError`` as abstract, and so a
    class with such a public method (:func:`~fitness.domain.code.vocabulary.class_is_abstract`).
    ``detail`` says what to read beyond the outline. A syntax error is a
    :class:`~fitness.domain.errors.ConfigError` naming the file and line.
    """
    return from_data(
        module_data(
            module,
            source,
            is_package=is_package,
            file=file,
            not_implemented_is_abstract=not_implemented_is_abstract,
            detail=detail,
        )
    )


def module_data(
    module: str,
    source: str,
    *,
    is_package: bool = False,
    file: str = "",
    not_implemented_is_abstract: bool = True,
    detail: Detail = Detail.ALL,
) -> tuple[Any, ...]:
    """What :func:`module_code` says, as the model's data
    (:func:`~fitness.domain.code.serialisation.to_data`): what a worker process sends
    and the cache keeps, made without the objects (which cost more than the data)."""
    try:
        tree = ast.parse(source, filename=file or module)
    except SyntaxError as error:
        raise ConfigError(
            f"cannot parse {file or module}, line {error.lineno or '?'}: {error.msg}"
        ) from None
    package = module if is_package else module.rpartition(".")[0]
    parser = ModuleParser(
        module, file, package, not_implemented_is_abstract, detail, is_package=is_package
    )
    return parser.run(tree, import_lines(source))


_Scope = Mapping[str, str]


def _call_order(call: CallData) -> int:
    return call[1]


class ModuleParser:
    """One pass over a module's tree (:class:`fitness.domain.code.calls.ModuleNames`
    for the scans of its code)."""

    def __init__(
        self,
        module: str,
        file: str,
        package: str,
        not_implemented: bool,
        detail: Detail,
        *,
        is_package: bool = False,
    ) -> None:
        self.module = module
        self.file = file
        self.package = package
        self.not_implemented = not_implemented
        self.calls_read = Detail.CALLS in detail
        self.cohesion_read = Detail.COHESION in detail
        self.detail = detail
        self.imports: list[ImportedName] = []
        #: Local name -> absolute dotted name (imports, then the module's own definitions).
        self.bindings: dict[str, str] = {}
        #: Module-level names bound by an assignment (to that value): not classes.
        self.assigned: dict[str, ast.expr] = {}
        self.classes: set[str] = set()
        #: The names of the class statements in the module's body (not under an ``if`` or
        #: a ``try``; none rebound): the classes the metrics count.
        self.class_statements: set[str] = set()
        #: Local name -> absolute dotted name, by the first import of each name (what the
        #: names a class refers to resolve through, as the metrics always have).
        self.first_imported: dict[str, str] = {}
        self.star_imports: list[str] = []
        #: (name, line) of each use of a name neither bound in the module nor local to its
        #: function, which a star import may bind (collected in modules that have one).
        self.free: set[tuple[str, int]] | None = None
        #: The data of each class and function (the layout of
        #: :mod:`~fitness.domain.code.serialisation`).
        self.class_infos: list[tuple[Any, ...]] = []
        self.functions: list[tuple[Any, ...]] = []
        self.blind_spots: list[str] = []
        self.namespace = Namespace(module, package, is_package, weakly(self.resolve))
        #: Calls outside any function (module and class bodies).
        self.calls: list[CallData] = []
        self.instantiates: list[CallData] = []
        self.used_imports: frozenset[str] = frozenset()
        #: What the scans resolved, and where a reference may start (calls.ModuleNames).
        self.targets: dict[str, tuple[str, bool, bool]] = {}
        self.referable: AbstractSet[str] = frozenset()

    def run(self, tree: ast.Module, lines: Sequence[int] | None = None) -> tuple[Any, ...]:
        """The module's code, as data; ``lines`` (:func:`~fitness.domain.code.imports.import_lines`)
        spares looking for imports in the statements that have none."""
        imports = module_imports(tree.body, self.package, lines)
        self.imports = imports.names
        self.bindings = imports.bindings
        self.first_imported = imports.first
        self.star_imports = imports.stars
        if self.star_imports:
            self.free = set()
        self.blind_spots.extend(imports.above_top)
        #: Imported names whose bare use (not a call: ``environ["X"]``, ``map(helper, x)``)
        #: is recorded as an access; CapWords names (classes: annotations, isinstance
        #: checks) are left out.
        self.used_imports = frozenset(
            i.alias
            for i in self.imports
            if i.alias != "*" and not (i.alias[:1].isupper() and not i.alias.isupper())
        )
        top = list(top_level_statements(tree.body))
        namespace = self.namespace
        for node, guarded, type_checking in top:
            namespace.statement(node, guarded, type_checking)
            if isinstance(node, ast.ClassDef):
                self.bindings[node.name] = f"{self.module}.{node.name}"
                self.classes.add(node.name)
                if not guarded:
                    self.class_statements.add(node.name)
            elif isinstance(node, FUNCTIONS):
                self.bindings[node.name] = f"{self.module}.{node.name}"
                self.classes.discard(node.name)
            elif isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign):
                self._assignment(node)
        self.referable = self.class_statements | self.first_imported.keys()
        main_blocks = tuple(
            (node.lineno, node.end_lineno or node.lineno)
            for node in tree.body
            if isinstance(node, ast.If) and is_main_test(node.test)
        )
        rest: list[ast.AST] = []
        for node, guarded, _ in top:
            if isinstance(node, ast.ClassDef):
                self._class(node, "", {}, conditional=guarded)
            elif isinstance(node, FUNCTIONS):
                self.functions.append(
                    self._function(node, node.name, None, set(), conditional=guarded)[0]
                )
            elif not self.calls_read:
                continue
            elif isinstance(node, GUARDS):
                # Only the parts that are not statement bodies (those come on their own).
                rest.extend(statement_headers(node))
            else:
                rest.append(node)
        if self.calls_read:
            self._scan_outside(rest, "module level")
        parts = namespace.all_parts()
        unknown = namespace.exports_unknown()
        exports = None
        if parts is not None and not unknown and not any(p[:1] == "*" for p in parts):
            exports = parts
        if unknown and parts is not None:
            self.blind_spots.append(f"__all__ cannot be known statically ({unknown})")
        if self.star_imports:
            self.blind_spots.append(
                f"star import from {', '.join(sorted(set(self.star_imports)))}: "
                "the names it binds are not known statically"
            )
        return (
            self.module,
            self.file,
            tuple((i.module, i.name, i.alias, i.line) for i in self.imports),
            exports,
            tuple(sorted(self.class_infos, key=lambda c: (c[1], c[0]))),
            tuple(sorted(self.functions, key=lambda f: (f[1], f[0]))),
            tuple(dict.fromkeys(self.blind_spots)),
            tuple(sorted(self.calls, key=_call_order)),
            tuple(sorted(self.instantiates, key=_call_order)),
            main_blocks,
            "",
            namespace.bound(),
            parts,
            unknown,
            tuple(sorted(self.free)) if self.free else (),
            self.detail.value,
        )

    def _scan_outside(
        self, nodes: Sequence[ast.AST], where: str, referred: set[str] | None = None
    ) -> tuple[tuple[CallData, ...], tuple[CallData, ...]]:
        scan = BodyScan(self, set(), where, calls=self.calls_read, referred=referred)
        calls, instantiates = scan.scan(nodes)
        self.calls.extend(calls)
        self.instantiates.extend(instantiates)
        return calls, instantiates

    # Assignments: names that are not classes ----------------------------------------

    def _assignment(self, node: ast.Assign | ast.AnnAssign | ast.AugAssign) -> None:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        for target in targets:
            if not isinstance(target, ast.Name) or target.id == "__all__":
                continue
            if isinstance(node, ast.AugAssign):
                continue
            self.bindings[target.id] = f"{self.module}.{target.id}"
            self.classes.discard(target.id)
            if node.value is not None:
                self.assigned[target.id] = node.value

    def note_free(self, name: str, line: int) -> None:
        """A use of ``name`` that a star import may bind (in a module that has one)."""
        if self.free is not None and name not in self.bindings:
            self.free.add((name, line))

    # Names -------------------------------------------------------------------

    def resolve(self, dotted: str, scope: _Scope | None = None) -> str | None:
        """The absolute name of ``dotted`` as this module sees it; a builtin as it
        is; None if the module neither defines nor imports it."""
        head, dot, rest = dotted.partition(".")
        target = scope.get(head) if scope else None
        if target is None:
            target = self.bindings.get(head)
        if target is None:
            return dotted if head in BUILTINS else None
        return target + dot + rest if rest else target

    def _decorators(
        self,
        node: ast.ClassDef | FunctionNode,
        scope: _Scope,
        local: AbstractSet[str] = frozenset(),
    ) -> list[str]:
        names = []
        for decorator in node.decorator_list:
            expr = decorator.func if isinstance(decorator, ast.Call) else decorator
            dotted = dotted_name(expr)
            if dotted is None:
                names.append(shown(expr))
                continue
            head = dotted.partition(".")[0]
            if head in local and head not in scope:
                names.append(dotted)  # a name of the function around it: as written
                continue
            names.append(self.resolve(dotted, scope) or dotted)
            if head not in scope:
                self.note_free(head, node.lineno)
        return names

    def _references(self, referred: set[str], own: str) -> tuple[str, ...]:
        """The names a class refers to that are the module's classes or that it
        imports (its first import of the name), resolved; not the class itself."""
        classes, imported = self.class_statements, self.first_imported
        prefix = self.module + "."
        found = set()
        for dotted in referred:
            head, dot, rest = dotted.partition(".")
            if head in classes:
                found.add(prefix + dotted)
            elif head in imported:
                target = imported[head]
                found.add(target + dot + rest if rest else target)
        found.discard(own)
        return tuple(sorted(found))

    # Classes -----------------------------------------------------------------

    def _class(
        self,
        node: ast.ClassDef,
        outer: str,
        scope: dict[str, str],
        *,
        conditional: bool,
        local: AbstractSet[str] = frozenset(),
        in_function: bool = False,
    ) -> set[str]:
        """Read a class (and the classes nested in it); the names it refers to, as
        written (for the class around it). ``local``: the names of the function it is
        defined in (``in_function``), which hide the module's."""
        name = f"{outer}.{node.name}" if outer else node.name
        bases: list[str] = []
        unresolved: list[str] = []
        named_tuple = False
        for base in node.bases:
            expr = base.value if isinstance(base, ast.Subscript) else base
            dotted = dotted_name(expr)
            if isinstance(base, ast.Call) and self._makes_named_tuple(base, scope):
                # class Point(namedtuple("Point", "x y")): a tuple, whatever its fields.
                bases.append("tuple")
                named_tuple = True
                continue
            if dotted is None:
                unresolved.append(shown(base))
                self.blind_spots.append(
                    f"line {base.lineno}: base class of {name} is dynamic ({shown(base)})"
                )
                continue
            head = dotted.partition(".")[0]
            if head in local and head not in scope:
                unresolved.append(shown(base))
                self.blind_spots.append(
                    f"line {base.lineno}: base class {dotted} of {name} is a name of the "
                    "function it is defined in"
                )
                continue
            resolved = self.resolve(dotted, scope)
            if head not in scope:
                self.note_free(head, node.lineno)
            if resolved is None:
                bases.append(dotted)
                if not self.star_imports:
                    self.blind_spots.append(
                        f"line {base.lineno}: base class {dotted} of {name} is neither "
                        "defined nor imported in the module"
                    )
                continue
            bases.append(resolved)
            if head in self.assigned and head not in scope:
                self.blind_spots.append(
                    f"line {base.lineno}: base class {dotted} of {name} is made at run time "
                    f"({shown(self.assigned[head])})"
                )
        metaclass = None
        frozen = False
        for keyword in node.keywords:
            if keyword.arg == "metaclass":
                dotted = dotted_name(keyword.value)
                metaclass = (self.resolve(dotted, scope) or dotted) if dotted else None
            elif keyword.arg == "frozen":  # pydantic: class Point(BaseModel, frozen=True)
                frozen = is_true(keyword.value)
        decorators = self._decorators(node, scope, local)
        # Definitions under an if or a try in the class body are the class's too.
        definitions, statements = split_class_body(node.body)
        functions = [(d, g) for d, g in definitions if not isinstance(d, ast.ClassDef)]
        nested = [(d, g) for d, g in definitions if isinstance(d, ast.ClassDef)]
        frozen = (
            frozen
            or named_tuple
            or any(b in FROZEN_BASES for b in bases)
            or frozen_config([item for item in node.body if not isinstance(item, DEFINITIONS)])
        )
        for resolved_name, written in zip(decorators, node.decorator_list, strict=True):
            if resolved_name in FROZEN_DECORATORS:
                frozen = True
            elif resolved_name in DATACLASS_DECORATORS and isinstance(written, ast.Call):
                frozen = frozen or any(
                    k.arg == "frozen" and is_true(k.value) for k in written.keywords
                )
        referred: set[str] | None = None
        if self.cohesion_read:
            referred = set()
            referred_in([*node.bases, *node.decorator_list, *node.keywords], referred)
        # The names the class body binds, for its nested classes' bases.
        inner_scope = dict(scope)
        for item, _ in nested:
            inner_scope[item.name] = f"{self.module}.{name}.{item.name}"
        method_names = {f.name for f, _ in functions}
        methods: list[tuple[Any, ...]] = []
        declared = not_implemented = False
        for item, guarded in functions:
            info, is_declared, is_not_implemented = self._function(
                item,
                f"{name}.{item.name}",
                name,
                method_names,
                referred,
                conditional=guarded,
                enclosing=local,
            )
            methods.append(info)
            if not guarded:  # an alternative (under an if) does not make the class abstract
                declared = declared or is_declared
                not_implemented = not_implemented or (info[3] and is_not_implemented)
        protocol = any(b in PROTOCOL_NAMES for b in bases)
        body_calls: tuple[CallData, ...] = ()
        body_instantiates: tuple[CallData, ...] = ()
        if self.calls_read or referred is not None:
            if in_function:  # not module-level code: the function's
                scan = BodyScan(self, set(local), name, calls=self.calls_read, referred=referred)
                body_calls, body_instantiates = scan.scan(statements)
            else:
                body_calls, body_instantiates = self._scan_outside(statements, name, referred)
        for item, guarded in nested:
            inner = self._class(
                item,
                name,
                inner_scope,
                conditional=conditional or guarded,
                local=local,
                in_function=in_function,
            )
            if referred is not None:
                referred |= inner
        declared_abstract = class_is_abstract(
            protocol=protocol,
            abc=any(b in ABC_BASES for b in bases) or metaclass in ABC_METACLASSES,
            abstract_methods=declared,
            not_implemented_methods=False,
        )
        references = self._references(referred, f"{self.module}.{name}") if referred else ()
        self.class_infos.append(  # ClassInfo, as data
            (
                name,
                node.lineno,
                tuple(bases),
                tuple(unresolved),
                tuple(decorators),
                frozen,
                tuple(methods),
                declared_abstract or (self.not_implemented and not_implemented),
                protocol,
                tuple(sorted(body_calls, key=_call_order)),
                tuple(sorted(body_instantiates, key=_call_order)),
                declared_abstract,
                references,
                conditional,
            )
        )
        return referred or set()

    def _makes_named_tuple(self, call: ast.Call, scope: _Scope) -> bool:
        called = dotted_name(call.func)
        return called is not None and self.resolve(called, scope) in TUPLE_FACTORIES

    # Functions ---------------------------------------------------------------

    def _function(
        self,
        node: FunctionNode,
        name: str,
        owner: str | None,
        method_names: set[str],
        referred: set[str] | None = None,
        *,
        conditional: bool = False,
        enclosing: AbstractSet[str] = frozenset(),
        receiver_of: tuple[str, str, set[str]] | None = None,
    ) -> tuple[tuple[Any, ...], bool, bool]:
        """The function, whether it is declared abstract, and whether it only
        raises NotImplementedError; the functions and classes defined inside it are
        read too (``name.<locals>.inner``). ``referred`` (a class's, when cohesion is
        read) gets the names the method refers to. ``enclosing``: the names of the
        function it is defined in; ``receiver_of``: that function's class, receiver and
        methods, when it is a method (``self.save()`` in a closure is the method)."""
        decorators = self._decorators(node, {}, enclosing) if node.decorator_list else []
        kind = "function"
        if owner is not None:
            kind = "method"
            for decorator in decorators:
                if decorator == "staticmethod":
                    kind = "staticmethod"
                elif decorator == "classmethod":
                    kind = "classmethod"
                elif decorator in PROPERTIES or decorator.endswith((".setter", ".deleter")):
                    kind = "property"
        declared = any(d.rpartition(".")[2] in ABSTRACT_DECORATORS for d in decorators)
        not_implemented = only_raises_not_implemented(node)
        calls: tuple[CallData, ...] = ()
        instantiates: tuple[CallData, ...] = ()
        uses: set[str] | None = None
        receiver = None
        if owner is not None and kind != "staticmethod":
            first = node.args.posonlyargs or node.args.args
            receiver = first[0].arg if first else None
        if self.calls_read or referred is not None:
            own = parameters(node)
            if referred is not None:
                uses = set()
                referred_in(signature(node), referred)
            scan_owner, scan_receiver, scan_methods = owner, receiver, method_names
            if (
                owner is None
                and receiver_of is not None
                and receiver_of[1] not in own
                and receiver_of[1] in enclosing
            ):
                scan_owner, scan_receiver, scan_methods = receiver_of
            scan = BodyScan(
                self,
                own | enclosing if enclosing else own,
                name,
                owner=scan_owner,
                receiver=scan_receiver,
                methods=scan_methods,
                calls=self.calls_read,
                uses=uses,
                referred=referred,
            )
            calls, instantiates = scan.scan(node.body)
        info = (  # FunctionInfo, as data
            name,
            node.lineno,
            kind,
            is_public(node.name),
            declared or (self.not_implemented and not_implemented),
            tuple(decorators),
            calls,
            instantiates,
            declared,
            not_implemented,
            tuple(sorted(uses)) if uses else (),
            conditional,
        )
        inner = nested_definitions(node.body)
        if inner:
            local = names_bound_in(node) | enclosing
            outer = f"{name}.{LOCALS}"
            if receiver is not None and owner is not None:
                receiver_of = (owner, receiver, method_names)
            for child, guarded in inner:
                if isinstance(child, ast.ClassDef):
                    self._class(
                        child, outer, {}, conditional=guarded, local=local, in_function=True
                    )
                    continue
                self.functions.append(
                    self._function(
                        child,
                        f"{outer}.{child.name}",
                        None,
                        set(),
                        conditional=guarded,
                        enclosing=local,
                        receiver_of=receiver_of,
                    )[0]
                )
        return info, declared, not_implemented
