"""The code model as plain data (nested tuples of str, int, bool and None), for a cache:
``marshal`` writes and reads it without running any code, much faster than JSON or
pickle, and it crosses from the worker processes that parse as bytes."""

from __future__ import annotations

from typing import Any

from fitness.domain.code.detail import Detail
from fitness.domain.code.model import (
    Call,
    ClassInfo,
    FunctionInfo,
    ImportedName,
    ModuleCode,
)

#: Bump when the model changes shape, so cached models are rebuilt.
MODEL_VERSION = 9
#: The length of a module's data (:func:`to_data`).
DATA_FIELDS = 16


def _call_data(call: Call) -> tuple[Any, ...]:
    return (call.target, call.line, call.resolved, call.kind)


def _function_data(f: FunctionInfo) -> tuple[Any, ...]:
    return (
        f.name,
        f.line,
        f.kind,
        f.public,
        f.abstract,
        f.decorators,
        tuple(map(_call_data, f.calls)),
        tuple(map(_call_data, f.instantiates)),
        f.declared_abstract,
        f.not_implemented,
        f.uses,
        f.conditional,
    )


def to_data(code: ModuleCode) -> tuple[Any, ...]:
    """``code`` as nested tuples of plain values (for ``marshal`` or JSON)."""
    return (
        code.module,
        code.file,
        tuple((i.module, i.name, i.alias, i.line) for i in code.imports),
        code.exports,
        tuple(
            (
                c.name,
                c.line,
                c.bases,
                c.unresolved_bases,
                c.decorators,
                c.frozen,
                tuple(map(_function_data, c.methods)),
                c.abstract,
                c.protocol,
                tuple(map(_call_data, c.calls)),
                tuple(map(_call_data, c.instantiates)),
                c.declared_abstract,
                c.references,
                c.conditional,
            )
            for c in code.classes
        ),
        tuple(map(_function_data, code.functions)),
        code.blind_spots,
        tuple(map(_call_data, code.calls)),
        tuple(map(_call_data, code.instantiates)),
        code.main_blocks,
        code.classes_unread,
        code.names,
        code.exports_recipe,
        code.exports_unknown,
        code.free_names,
        code.detail.value,
    )


def class_data(data: tuple[Any, ...]) -> tuple[Any, ...]:
    """The classes of a module's data, each as (name, line, methods, protocol, declared
    abstract, references, conditional), each method as (name, declared abstract, only
    raises NotImplementedError, uses, conditional): what the class metrics read, without
    making the module's objects."""
    return tuple(
        (
            c[0],
            c[1],
            tuple((f[0], f[8], f[9], f[10], f[11]) for f in c[6]),
            c[8],
            c[11],
            c[12],
            c[13],
        )
        for c in data[4]
    )


def detail_of(data: tuple[Any, ...]) -> Detail:
    """What the module's data holds beyond its outline (none, if it is not data of
    :func:`to_data`: it is then read again)."""
    value = data[-1] if len(data) == DATA_FIELDS else 0
    try:
        return Detail(value)
    except (ValueError, TypeError):
        return Detail.OUTLINE


def from_data(data: Any) -> ModuleCode:
    """The inverse of :func:`to_data`; raises ``ValueError`` or ``TypeError`` on
    data of the wrong shape (the values are trusted: the data comes from
    :func:`to_data`, through a cache keyed by the model's version)."""
    (
        module,
        file,
        imports,
        exports,
        classes,
        functions,
        spots,
        calls,
        instantiates,
        mains,
        classes_unread,
        names,
        recipe,
        unknown,
        free,
        detail,
    ) = data
    if not isinstance(module, str) or not isinstance(file, str):
        raise ValueError("module and file must be strings")

    def calls_of(items: Any) -> tuple[Call, ...]:
        return tuple([Call(t, line, r, k) for t, line, r, k in items])

    def function(item: Any) -> FunctionInfo:
        (
            name,
            line,
            kind,
            public,
            abstract,
            decorators,
            calls,
            instantiates,
            declared,
            not_implemented,
            uses,
            conditional,
        ) = item
        return FunctionInfo(
            module,
            name,
            line,
            kind,
            public,
            abstract,
            tuple(decorators),
            calls_of(calls),
            calls_of(instantiates),
            declared,
            not_implemented,
            tuple(uses),
            conditional,
        )

    return ModuleCode(
        module,
        file,
        tuple([ImportedName(m, n, a, line) for m, n, a, line in imports]),
        None if exports is None else tuple(exports),
        tuple(
            [
                ClassInfo(
                    module,
                    name,
                    line,
                    tuple(bases),
                    tuple(unresolved),
                    tuple(decorators),
                    frozen,
                    tuple([function(m) for m in methods]),
                    abstract,
                    protocol,
                    calls_of(class_calls),
                    calls_of(class_instantiates),
                    declared,
                    tuple(references),
                    conditional,
                )
                for (
                    name,
                    line,
                    bases,
                    unresolved,
                    decorators,
                    frozen,
                    methods,
                    abstract,
                    protocol,
                    class_calls,
                    class_instantiates,
                    declared,
                    references,
                    conditional,
                ) in classes
            ]
        ),
        tuple([function(f) for f in functions]),
        tuple(spots),
        calls_of(calls),
        calls_of(instantiates),
        tuple([(first, last) for first, last in mains]),
        Detail(detail),
        classes_unread,
        tuple([(name, target) for name, target in names]),
        None if recipe is None else tuple(recipe),
        unknown,
        tuple([(name, line) for name, line in free]),
    )
