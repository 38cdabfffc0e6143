"""What a module's names are across modules: its ``__all__`` evaluated where it takes
other modules' ``__all__``, what each star import binds, and the module's code with the
names its star imports bind resolved (``from sqlalchemy.orm import *`` then
``class Order(DeclarativeBase)``: the base is ``sqlalchemy.orm.DeclarativeBase``).

The modules star-imported from are read statically, as any other: the project's own
from the code model, an installed one from its source (the adapter finds the file on
``sys.path`` without importing anything). What ``from m import *`` binds is Python's
answer: ``m.__all__`` when ``m`` has one (evaluated as
:mod:`~fitness.domain.code.namespace` says), otherwise every name ``m`` binds at its
top level that does not start with ``_``, those its own star imports bind included.
Where that cannot be known (a computed ``__all__``, a compiled module, a chain of more
than :data:`MAX_DEPTH` modules), the star import is *unknown*: its names are not
guessed, and the rules whose answer could depend on them say so.

A name the module binds itself wins over a star import's, whatever their order (a
static model does not follow the order of bindings); of two star imports binding a
name, the later one wins, as at run time.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from fitness.domain.code.calls import looks_like_class
from fitness.domain.code.model import Call, ClassInfo, FunctionInfo, ModuleCode
from fitness.domain.code.namespace import OTHER_ALL

#: The longest chain of modules followed for one answer (star imports of star imports,
#: ``__all__`` taken from ``__all__``): a file a pull request writes must not make the
#: walk unbounded.
MAX_DEPTH = 32


@dataclass(frozen=True)
class StarImport:
    """``from module import *`` in ``importer``, and the names it binds."""

    importer: str
    module: str
    line: int
    #: The names it binds; None when they cannot be known statically.
    names: frozenset[str] | None
    #: Why they cannot be known ("" when they are).
    unknown: str = ""

    @property
    def statement(self) -> str:
        return f"from {self.module} import *"


class Names(NamedTuple):
    """Names a module gives (in order), or why they cannot be known."""

    names: tuple[str, ...] | None
    why: str = ""


#: The code of a module, the project's or an installed one (None if it cannot be read).
CodeOf = Callable[[str], ModuleCode | None]


class Linker:
    """Evaluates ``__all__`` and star imports across modules, each module once."""

    def __init__(self, code_of: CodeOf) -> None:
        self._code_of = code_of
        self._all: dict[str, Names] = {}
        self._star: dict[str, Names] = {}
        self._walking: set[str] = set()

    # What modules give --------------------------------------------------------------

    def all_of(self, module: str, depth: int = 0) -> Names:
        """``module.__all__`` evaluated statically; None (and why) when the module has
        none or it cannot be known."""
        found = self._all.get(module)
        if found is not None:
            return found
        key = "all " + module
        if depth > MAX_DEPTH or key in self._walking:
            why = f"more than {MAX_DEPTH} modules deep" if depth > MAX_DEPTH else "a cycle"
            return Names(None, f"{module}'s __all__ takes other modules' __all__ in {why}")
        code = self._code_of(module)
        if code is None:
            found = Names(None, f"{module} cannot be read statically")
        elif code.exports is not None:  # evaluated already (the module alone says it)
            found = Names(code.exports)
        elif code.exports_recipe is None:
            found = Names(None, f"{module} has no __all__")
        elif code.exports_unknown:
            found = Names(None, f"{module}'s __all__ is computed ({code.exports_unknown})")
        else:
            self._walking.add(key)
            try:
                found = self._evaluate(module, code.exports_recipe, depth)
            finally:
                self._walking.discard(key)
        self._all[module] = found
        return found

    def _evaluate(self, module: str, recipe: tuple[str, ...], depth: int) -> Names:
        names: dict[str, None] = {}
        for part in recipe:
            if part.startswith(OTHER_ALL):
                other = self.all_of(part[len(OTHER_ALL) :], depth + 1)
                if other.names is None:
                    return Names(None, f"{module}'s __all__ takes {other.why}")
                names.update(dict.fromkeys(other.names))
            else:
                names[part] = None
        return Names(tuple(names))

    def star_names(self, module: str, depth: int = 0) -> Names:
        """What ``from module import *`` binds: its ``__all__``, or its public names."""
        found = self._star.get(module)
        if found is not None:
            return found
        code = self._code_of(module)
        if code is None:
            return self._keep(module, Names(None, f"{module} cannot be read statically"))
        if code.exports is not None or code.exports_recipe is not None:
            return self._keep(module, self.all_of(module, depth))
        if code.exports_unknown:
            return self._keep(module, Names(None, f"{module} {code.exports_unknown}"))
        names = dict.fromkeys(name for name, _ in code.names if not name.startswith("_"))
        if module in self._walking:  # a cycle of star imports: the names it binds itself
            return Names(tuple(names))
        if depth > MAX_DEPTH:
            return Names(None, f"{module} is more than {MAX_DEPTH} star imports deep")
        self._walking.add(module)
        try:
            for imported in code.imports:
                if imported.name != "*":
                    continue
                inner = self.star_names(imported.module, depth + 1)
                if inner.names is None:
                    why = f"{module} star-imports from {imported.module} ({inner.why})"
                    return self._keep(module, Names(None, why))
                names.update(dict.fromkeys(n for n in inner.names if not n.startswith("_")))
        finally:
            self._walking.discard(module)
        return self._keep(module, Names(tuple(names)))

    def _keep(self, module: str, found: Names) -> Names:
        if not self._walking:  # an answer found inside a cycle may be partial
            self._star[module] = found
        return found

    def public_names(self, module: str) -> Names:
        """What the module exports: its ``__all__`` when it has one, otherwise what
        ``from module import *`` gives (its public names), unless it defines a module
        ``__getattr__`` (then any name may be one of its attributes)."""
        code = self._code_of(module)
        if (
            code is not None
            and code.exports is None
            and code.exports_recipe is None
            and dict(code.names).get("__getattr__") == f"{module}.__getattr__"
        ):
            return Names(None, f"{module} has no __all__ and defines __getattr__")
        return self.star_names(module)

    # A module's code, linked --------------------------------------------------------

    def stars(self, code: ModuleCode) -> tuple[StarImport, ...]:
        """The star imports of a module, each with the names it binds (in source order)."""
        found = []
        for imported in code.imports:
            if imported.name != "*":
                continue
            names = self.star_names(imported.module)
            found.append(
                StarImport(
                    code.module,
                    imported.module,
                    imported.line,
                    None if names.names is None else frozenset(names.names),
                    names.why,
                )
            )
        return tuple(found)

    def link(self, code: ModuleCode) -> tuple[ModuleCode, tuple[StarImport, ...]]:
        """The module's code with ``__all__`` evaluated and the names its star imports
        bind resolved, and its star imports."""
        exports = code.exports
        if exports is None and code.exports_recipe is not None and not code.exports_unknown:
            exports = self.all_of(code.module).names
        stars = self.stars(code)
        if not stars:
            if exports == code.exports:
                return code, ()
            return dataclasses.replace(code, exports=exports), ()
        bound: dict[str, str] = {}
        for star in stars:
            for name in star.names or ():
                bound[name] = star.module
        unknown = [star for star in stars if star.names is None]
        free = set(code.free_names)
        rewrite = _Rewrite(code.module, bound, free)
        classes = tuple(rewrite.cls(cls) for cls in code.classes)
        functions = tuple(rewrite.function(f) for f in code.functions)
        calls, instantiates = rewrite.calls(code.calls, code.instantiates)
        left = tuple(sorted(use for use in free if use[0] not in bound)) if unknown else ()
        spots = [s for s in code.blind_spots if not s.startswith("star import from ")]
        spots += [
            f"line {star.line}: {star.statement}: the names it binds cannot be known "
            f"statically ({star.unknown})"
            for star in unknown
        ]
        if not unknown:
            for cls in code.classes:
                for base in cls.bases:
                    head = base.partition(".")[0]
                    if (head, cls.line) in free and head not in bound and "." not in base:
                        spots.append(
                            f"line {cls.line}: base class {base} of {cls.name} is neither "
                            "defined nor imported in the module"
                        )
        linked = dataclasses.replace(
            code,
            exports=exports,
            classes=classes,
            functions=functions,
            calls=calls,
            instantiates=instantiates,
            blind_spots=tuple(dict.fromkeys(spots)),
            free_names=left,
        )
        return linked, stars


class _Rewrite:
    """The names a module's star imports bind, put in its bases, decorators and calls."""

    def __init__(self, module: str, bound: dict[str, str], free: set[tuple[str, int]]) -> None:
        self.module = module
        self.bound = bound
        self.free = free

    def name(self, dotted: str, line: int) -> str | None:
        """``dotted`` resolved through a star import; None if no star import binds it."""
        head = dotted.partition(".")[0]
        if (head, line) in self.free and head in self.bound:
            return f"{self.bound[head]}.{dotted}"
        return None

    def names(self, names: tuple[str, ...], line: int) -> tuple[str, ...]:
        return tuple(self.name(n, line) or n for n in names)

    def call(self, call: Call) -> Call | None:
        """The call resolved through a star import; None for a use of a name no star
        import binds (kept only until the model knew)."""
        resolved = self.name(call.target, call.line)
        if resolved is not None:
            return Call(resolved, call.line, True, call.kind)
        if call.kind == "access" and not call.resolved:
            head = call.target.partition(".")[0]
            if (head, call.line) in self.free:
                return None
        return call

    def calls(
        self, calls: tuple[Call, ...], instantiates: tuple[Call, ...]
    ) -> tuple[tuple[Call, ...], tuple[Call, ...]]:
        if not calls:
            return calls, instantiates
        made = Counter(instantiates)
        new_calls: list[Call] = []
        new_instantiates: list[Call] = []
        for call in calls:
            fixed = self.call(call)
            if fixed is None:
                continue
            new_calls.append(fixed)
            if fixed is call:
                if made[call]:
                    made[call] -= 1
                    new_instantiates.append(call)
            elif fixed.kind == "call" and looks_like_class(fixed.target):
                new_instantiates.append(fixed)
        return tuple(new_calls), tuple(new_instantiates)

    def function(self, function: FunctionInfo) -> FunctionInfo:
        calls, instantiates = self.calls(function.calls, function.instantiates)
        return dataclasses.replace(
            function,
            decorators=self.names(function.decorators, function.line),
            calls=calls,
            instantiates=instantiates,
        )

    def cls(self, cls: ClassInfo) -> ClassInfo:
        calls, instantiates = self.calls(cls.calls, cls.instantiates)
        return dataclasses.replace(
            cls,
            bases=self.names(cls.bases, cls.line),
            decorators=self.names(cls.decorators, cls.line),
            methods=tuple(self.function(m) for m in cls.methods),
            calls=calls,
            instantiates=instantiates,
        )
