"""How much of each module the code model reads: its outline always, the rest when a
rule reads it. A module of its own, and a plain class rather than an ``enum.Flag``
(whose making costs 2 ms): every rule says what it reads, and so every run imports it.
"""

from __future__ import annotations

from typing import ClassVar


class Detail:
    """What the model holds of each module beyond its outline (its imports, ``__all__``,
    classes and functions with their bases, decorators, methods and line numbers).

    Details combine with ``|``; ``a in b`` says that ``b`` holds all of ``a``."""

    __slots__ = ("value",)

    OUTLINE: ClassVar[Detail]
    #: The calls, instantiations and attribute accesses of the code (in functions, class
    #: bodies and at module level), and the attributes read with a computed name.
    CALLS: ClassVar[Detail]
    #: What each method uses of its instance (``self.x``, ``self.m()``) and the names each
    #: class refers to: what LCOM4 and relational cohesion measure.
    COHESION: ClassVar[Detail]
    ALL: ClassVar[Detail]

    _NAMES: ClassVar[dict[int, str]] = {}

    def __init__(self, value: int) -> None:
        """The detail of that value (a ``ValueError`` for any other than the four)."""
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 3:
            raise ValueError(f"no detail has the value {value!r}")
        self.value = value

    def __or__(self, other: Detail) -> Detail:
        return Detail(self.value | other.value)

    def __contains__(self, other: Detail) -> bool:
        return self.value & other.value == other.value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Detail) and other.value == self.value

    def __hash__(self) -> int:
        return hash(("Detail", self.value))

    def __repr__(self) -> str:
        return f"Detail.{self._NAMES[self.value]}"


Detail.OUTLINE = Detail(0)
Detail.CALLS = Detail(1)
Detail.COHESION = Detail(2)
Detail.ALL = Detail(3)
Detail._NAMES.update({0: "OUTLINE", 1: "CALLS", 2: "COHESION", 3: "ALL"})
