"""A class deriving from ``namedtuple(...)`` is a tuple, not a blind spot."""

from __future__ import annotations

import textwrap

from fitness.domain.code import module_code


def test_a_class_deriving_from_a_namedtuple_call_is_a_frozen_tuple() -> None:
    code = module_code(
        "app.deps",
        textwrap.dedent(
            """
            from collections import namedtuple
            import typing


            class Dependency(namedtuple("Dependency", "app_label model_name")):
                pass


            class Point(typing.NamedTuple("Point", [("x", int)])):
                pass


            class Odd(make_base()):
                pass
            """
        ),
    )
    dependency, point, odd = code.classes
    assert (dependency.bases, dependency.unresolved_bases, dependency.frozen) == (
        ("tuple",),
        (),
        True,
    )
    assert (point.bases, point.frozen) == (("tuple",), True)
    assert (odd.bases, odd.unresolved_bases, odd.frozen) == ((), ("make_base()",), False)
    assert code.blind_spots == ("line 14: base class of Odd is dynamic (make_base())",)
