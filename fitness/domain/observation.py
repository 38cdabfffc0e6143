"""Where the verdict of a rule checked in code goes, when a runner watches.

A rule checked from a test (``rule.check(fitness_graph)``) is plain code: it
knows nothing of pytest, the baseline or the session's report. The runner
(the pytest plugin) sets an observer around each test; the fluent API hands
every verdict to it, and the observer may name it, forgive the violations its
baseline knows, and record it for the report and the baseline update. Without
an observer a verdict is returned as it is.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextvars import ContextVar

from fitness.domain.violations import RuleResult

#: ``observer(result, named)``: ``named`` says the rule was given a name
#: (``.named("...")``); otherwise the runner gives it one (pytest: the test's node id).
Observer = Callable[[RuleResult, bool], RuleResult]

_observer: ContextVar[Observer | None] = ContextVar("fitness_observer", default=None)


@contextlib.contextmanager
def observed(observer: Observer) -> Iterator[None]:
    """Hand every verdict given inside this block to ``observer``."""
    token = _observer.set(observer)
    try:
        yield
    finally:
        _observer.reset(token)


def observe(result: RuleResult, *, named: bool) -> RuleResult:
    """The verdict as the runner has it (unchanged when no runner watches)."""
    observer = _observer.get()
    return result if observer is None else observer(result, named)
