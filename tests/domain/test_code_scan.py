"""What one pass over a function's code finds (fitness.domain.code.calls): the paths
the scan takes for each kind of code, each with what it must say."""

from __future__ import annotations

import textwrap

from fitness.domain.code import Call, module_code


def code_of(source: str) -> str:
    return textwrap.dedent(source).lstrip()


def test_a_class_refers_to_the_names_in_every_kind_of_parameter_and_its_defaults() -> None:
    code = module_code(
        "m",
        code_of(
            """
            import a, b, c, d, e, f, g, h, i
            class Service:
                @i.cached
                def run(self, x: a.A, /, y: b.B = c.DEFAULT, *more: d.D, z: e.E = f.F,
                        **rest: g.G) -> h.H:
                    pass
            """
        ),
    )
    assert code.classes[0].references == (
        "a.A", "b.B", "c.DEFAULT", "d.D", "e.E", "f.F", "g.G", "h.H", "i.cached",
    )  # fmt: skip


def test_a_method_uses_what_it_reads_and_calls_on_its_receiver_through_any_chain() -> None:
    code = module_code(
        "m",
        code_of(
            """
            class Order:
                def total(self):
                    return self.lines.sum() + self.tax.rate.value + len(self.items) + self.fee
            """
        ),
    )
    assert code.classes[0].methods[0].uses == ("fee", "items", "lines", "tax")


def test_a_name_declared_global_in_an_inner_function_is_the_modules() -> None:
    code = module_code(
        "m",
        code_of(
            """
            import os
            def outer(os):
                def inner():
                    global os
                    os.getcwd()
                os.remove("x")
            """
        ),
    )
    outer, inner = sorted(code.functions, key=lambda f: f.line)
    # A global statement anywhere in a function's code makes the name the module's there.
    assert outer.calls == (Call("os.getcwd", 5, True), Call("os.remove", 6, True))
    assert inner.calls == (Call("os.getcwd", 5, True),)


def test_the_code_s_own_names_are_not_accesses_of_the_modules_names() -> None:
    code = module_code(
        "m",
        code_of(
            """
            import os
            def f(os_module):
                environ = os.environ
                os_module.environ
                environ.copy()
                x = os.sep
            """
        ),
    )
    assert [(c.target, c.kind) for c in code.functions[0].calls] == [
        ("os.environ", "access"),
        ("environ.copy", "call"),
        ("os.sep", "access"),
    ]


def test_calls_in_every_kind_of_expression_are_found_in_source_order() -> None:
    code = module_code(
        "m",
        code_of(
            """
            def f(x):
                y = {a(): b() for _ in c()}
                z = [d(k=e()), *g()] if h() else {i(): j()}
                return f"{k()!r:{l()}}", x[m()].n(), (lambda: o())()
            """
        ),
    )
    # x[m()].n() and (lambda: o())() call what no name says: only the calls inside them.
    assert [(c.target, c.line) for c in code.functions[0].calls] == [
        ("a", 2), ("b", 2), ("c", 2),
        ("d", 3), ("e", 3), ("g", 3), ("h", 3), ("i", 3), ("j", 3),
        ("k", 4), ("l", 4), ("m", 4), ("o", 4),
    ]  # fmt: skip
