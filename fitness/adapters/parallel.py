"""Parsing many source files: in worker processes when there are many, with the
garbage collector paused.

Parsing allocates millions of AST nodes and frees them by reference counting
(they hold no cycles): the cyclic collector only walks them, and a cold parse of
Django spends a fifth of its time there. It is paused while files are parsed
(here, and in each worker process) and restored after.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def parse_all(
    parse: Callable[[T], R],
    items: Sequence[T],
    *,
    workers: int,
    parallel_from: int,
    chunksize: int = 8,
    size: Callable[[T], int] | None = None,
) -> Iterator[R]:
    """``parse`` of each item, in order: in ``workers`` forked processes when there
    are at least ``parallel_from`` items (the largest first, when ``size`` says how
    large each is, so that no worker is left with a big one at the end), else here."""
    if len(items) < parallel_from or workers < 2:
        return _paused(parse, items)
    import concurrent.futures
    import multiprocessing

    try:
        context = multiprocessing.get_context("fork")
    except ValueError:  # no fork on this platform: parse here
        return _paused(parse, items)
    order = list(range(len(items)))
    if size is not None:
        order.sort(key=lambda i: -size(items[i]))
    with concurrent.futures.ProcessPoolExecutor(
        workers, mp_context=context, initializer=gc.disable
    ) as pool:
        results = list(pool.map(parse, [items[i] for i in order], chunksize=chunksize))
    ordered: list[R] = [results[0]] * len(items) if results else []
    for index, result in zip(order, results, strict=True):
        ordered[index] = result
    return iter(ordered)


def _paused(parse: Callable[[T], R], items: Sequence[T]) -> Iterator[R]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        for item in items:
            yield parse(item)
    finally:
        if enabled:
            gc.enable()
