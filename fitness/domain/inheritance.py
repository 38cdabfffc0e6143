"""Walks up the class hierarchy of a code model, in time linear in the model's size.

A class rule asks the same question of every class it selects: how does it reach a
base that matches (``should_not_subclass``, ``that_subclass``), which methods of a
protocol does it inherit (``that_implement``). Walking up from each class on its own
repeats the walk of every class above it: a chain of 10,000 classes (a 500 KB file a
pull request can commit) took minutes. Here each class is looked at once per
question: the answers are memoised per class, and a class's answer is made from those
of its bases. The results are those of a walk from each class on its own
(breadth-first, bases in the order they are written), cycles included (which Python
refuses, but a static model has to expect).
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable
from typing import NamedTuple

from fitness.domain.code.model import ClassInfo
from fitness.domain.code.project import CodeModel
from fitness.domain.code.vocabulary import builtin_bases


class _Edge(NamedTuple):
    """One base of a class: as written, the project class it names (if any), its
    canonical name (where that class is defined, else as written), and whether the
    step to it reaches a base that matches."""

    base: str
    found: ClassInfo | None
    canonical: str
    hit: bool


class WayUp:
    """The shortest way from a class up to a base that ``matches``, for each class of
    ``model``: the distance of every class is computed once (a breadth-first search run
    backwards from the classes that have a matching base), the way itself when asked.

    A step matches when its base matches under the name written or where it is defined,
    or is a builtin class deriving from one that matches (``RuntimeError`` for
    ``Exception``); a base outside the project is not followed further."""

    def __init__(self, model: CodeModel, matches: Callable[[str], bool]) -> None:
        self._model = model
        self._matches = matches
        self._edges: dict[str, tuple[_Edge, ...]] = {}
        #: Qualified name -> the number of steps to a matching base (0: there is none).
        self._distance: dict[str, int] = {}
        #: Qualified name -> the first step of its way up (shared by the classes below).
        self._up: dict[str, tuple[str, ClassInfo | None]] = {}
        #: Qualified name -> the matching base its way up ends at.
        self._ends: dict[str, str] = {}

    def steps(self, cls: ClassInfo, limit: int | None = None) -> list[tuple[ClassInfo, str]]:
        """(a class, the canonical name of its base on the way), from ``cls`` up to the
        first matching base; empty when no ancestor matches. Of the shortest ways, the
        one a breadth-first walk meets first; its first ``limit`` steps only, if given."""
        distance = self.distance(cls)
        if not distance:
            return []
        base, above = self._step(cls, self._edges_of_start(cls), distance)
        steps = [(cls, base)]
        while above is not None and (limit is None or len(steps) < limit):
            base, following = self._up_from(above)
            steps.append((above, base))
            above = following
        return steps

    def end(self, cls: ClassInfo) -> tuple[str, int]:
        """The matching base the way up from ``cls`` ends at, and how many steps it takes
        (``("", 0)`` when no ancestor matches)."""
        distance = self.distance(cls)
        if not distance:
            return "", 0
        base, above = self._step(cls, self._edges_of_start(cls), distance)
        return (self._end_from(above) if above is not None else base), distance

    def _up_from(self, cls: ClassInfo) -> tuple[str, ClassInfo | None]:
        """The first step of the way up from a class on the way (shared by every class
        below whose way goes through it)."""
        step = self._up.get(cls.qualified_name)
        if step is None:
            distance = self._distance[cls.qualified_name]
            step = self._up[cls.qualified_name] = self._step(cls, self._edges_of(cls), distance)
        return step

    def _end_from(self, cls: ClassInfo) -> str:
        """The matching base at the end of the way up from a class on the way."""
        walked = []
        end = self._ends.get(cls.qualified_name)
        above: ClassInfo | None = cls
        while end is None and above is not None:
            walked.append(above.qualified_name)
            end, above = self._up_from(above)
            if above is not None:
                end = self._ends.get(above.qualified_name)
        assert end is not None
        for name in walked:
            self._ends[name] = end
        return end

    def _step(
        self, cls: ClassInfo, edges: tuple[_Edge, ...], distance: int
    ) -> tuple[str, ClassInfo | None]:
        """The first step of the way up from ``cls``, ``distance`` steps long: its base,
        and the class it leads to (None when that base is the matching one)."""
        if distance == 1:
            return next(edge.canonical for edge in edges if edge.hit), None
        for edge in edges:
            if edge.found is not None and self._distance.get(edge.canonical) == distance - 1:
                return edge.canonical, edge.found
        raise AssertionError(f"no way up from {cls.qualified_name}")  # pragma: no cover

    def distance(self, cls: ClassInfo) -> int:
        """The number of steps from ``cls`` to its first matching base (0: none)."""
        edges = self._edges_of_start(cls)
        best = 0
        for edge in edges:
            if edge.hit:
                return 1
            if edge.found is None:
                continue
            self._settle(edge.found)
            above = self._distance[edge.canonical]
            if above and (not best or above + 1 < best):
                best = above + 1
        return best

    def _edges_of_start(self, cls: ClassInfo) -> tuple[_Edge, ...]:
        """The bases of the class a walk starts from (which may be one that another
        class of the same name hides: not the one its name finds, and whose way up may
        go through that one, as through any class)."""
        if self._model.class_named(cls.qualified_name) is cls:
            return self._edges_of(cls)
        return self._make_edges(cls)

    def _edges_of(self, cls: ClassInfo) -> tuple[_Edge, ...]:
        key = cls.qualified_name
        edges = self._edges.get(key)
        if edges is None:
            edges = self._edges[key] = self._make_edges(cls)
        return edges

    def _make_edges(self, cls: ClassInfo) -> tuple[_Edge, ...]:
        edges = []
        for base in cls.bases:
            found = self._model.class_named(base)
            canonical = found.qualified_name if found is not None else base
            hit = self._matches(canonical) or self._matches(base)
            if not hit and found is None:
                hit = any(self._matches(b) for b in builtin_bases(base))
            edges.append(_Edge(base, found, canonical, hit))
        return tuple(edges)

    def _settle(self, root: ClassInfo) -> None:
        """Compute the distance of ``root`` and of every class above it not known yet."""
        if root.qualified_name in self._distance:
            return
        new = {root.qualified_name: root}
        pending = [root]
        while pending:
            for edge in self._edges_of(pending.pop()):
                if edge.hit or edge.found is None:
                    continue
                if edge.canonical not in self._distance and edge.canonical not in new:
                    new[edge.canonical] = edge.found
                    pending.append(edge.found)
        below: dict[str, list[str]] = {}  # a new class -> the new classes that derive from it
        queue: list[tuple[int, str]] = []
        for name, cls in new.items():
            best = 0
            for edge in self._edges_of(cls):
                if edge.hit:
                    best = 1
                    break
                if edge.found is None or edge.canonical == name:
                    continue
                if edge.canonical in new:
                    below.setdefault(edge.canonical, []).append(name)
                elif self._distance[edge.canonical] and (
                    not best or self._distance[edge.canonical] + 1 < best
                ):
                    best = self._distance[edge.canonical] + 1
            if best:
                queue.append((best, name))
        heapq.heapify(queue)
        settled: dict[str, int] = {}
        while queue:
            distance, name = heapq.heappop(queue)
            if name in settled:
                continue
            settled[name] = distance
            for lower in below.get(name, ()):
                if lower not in settled:
                    heapq.heappush(queue, (distance + 1, lower))
        for name in new:
            self._distance[name] = settled.get(name, 0)


class Inherited:
    """The names ``own`` gives each class, united with those of its project ancestors
    (the classes ``leaving_out`` names are not followed, and give nothing), memoised per
    class: what a class inherits, each class looked at once.

    Meant for small sets (the methods a protocol asks for): a class's set is made from
    those of its bases, and grows at most once per name."""

    def __init__(
        self,
        model: CodeModel,
        own: Callable[[ClassInfo], frozenset[str]],
        *,
        leaving_out: Iterable[str] = (),
    ) -> None:
        self._model = model
        self._own = own
        self._leaving_out = frozenset(leaving_out)
        self._names: dict[str, frozenset[str]] = {}

    def names(self, cls: ClassInfo) -> frozenset[str]:
        """``own(cls)`` and those of its ancestors (``cls`` itself is never left out)."""
        names = set(self._own(cls))
        for base in self._bases(cls):
            self._settle(base)
            names |= self._names[base.qualified_name]
        return frozenset(names)

    def _bases(self, cls: ClassInfo) -> Iterable[ClassInfo]:
        for base in cls.bases:
            found = self._model.class_named(base)
            if found is not None and found.qualified_name not in self._leaving_out:
                yield found

    def _settle(self, root: ClassInfo) -> None:
        if root.qualified_name in self._names:
            return
        new = {root.qualified_name: root}
        above: dict[str, list[str]] = {}
        pending = [root]
        while pending:
            cls = pending.pop()
            bases = above[cls.qualified_name] = []
            for found in self._bases(cls):
                bases.append(found.qualified_name)
                if found.qualified_name not in self._names and found.qualified_name not in new:
                    new[found.qualified_name] = found
                    pending.append(found)
        sets = {name: set(self._own(cls)) for name, cls in new.items()}
        below: dict[str, list[str]] = {}
        for name, names_above in above.items():
            for upper in names_above:
                if upper in new:
                    below.setdefault(upper, []).append(name)
                else:
                    sets[name] |= self._names[upper]
        # Each class's names flow down to the classes deriving from it, until none grows.
        queue = list(new)
        while queue:
            name = queue.pop()
            for lower in below.get(name, ()):
                if not sets[name] <= sets[lower]:
                    sets[lower] |= sets[name]
                    queue.append(lower)
        for name, inherited in sets.items():
            self._names[name] = frozenset(inherited)
