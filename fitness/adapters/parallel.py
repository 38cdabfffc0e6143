"""Parsing many source files: in worker processes when there are many, with the
garbage collector paused.

Parsing allocates millions of AST nodes and frees them by reference counting
(they hold no cycles): the cyclic collector only walks them, and a cold parse of
Django spends a fifth of its time there. It is paused while files are parsed
(here, and in each worker process) and restored after.

The work is shared as evenly as the items' sizes allow between this process and
``workers - 1`` forked processes: this process parses its share instead of waiting,
and the workers find the items in the memory they inherit (only their indices go
through a pipe; sending the sources costs a tenth of the parse), so that parsing in
parallel costs little more CPU time than parsing here.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

#: The work of the parse in progress (function, items), inherited by the forked workers.
_WORK: tuple[Callable[[Any], Any], Sequence[Any]] | None = None


def parse_all(
    parse: Callable[[T], R],
    items: Sequence[T],
    *,
    workers: int,
    parallel_from: int,
    size: Callable[[T], int] | None = None,
) -> Iterator[R]:
    """``parse`` of each item, in order: shared between this process and ``workers - 1``
    forked ones when there are at least ``parallel_from`` items (by ``size``, when it
    says how large each is), else here."""
    global _WORK
    if len(items) < parallel_from or workers < 2 or _WORK is not None:
        return _paused(parse, items)
    import concurrent.futures
    import multiprocessing

    try:
        context = multiprocessing.get_context("fork")
    except ValueError:  # no fork on this platform: parse here
        return _paused(parse, items)
    shares = _shares(items, workers, size)
    results: list[Any] = [None] * len(items)
    _WORK = (parse, items)
    try:
        with concurrent.futures.ProcessPoolExecutor(
            workers - 1, mp_context=context, initializer=gc.disable
        ) as pool:
            futures = [pool.submit(_parse_share, share) for share in shares[1:]]
            mine = _paused(parse, [items[i] for i in shares[0]])
            for index, result in zip(shares[0], mine, strict=True):
                results[index] = result
            for share, future in zip(shares[1:], futures, strict=True):
                for index, result in zip(share, future.result(), strict=True):
                    results[index] = result
    finally:
        _WORK = None
    return iter(results)


def _shares(items: Sequence[T], workers: int, size: Callable[[T], int] | None) -> list[list[int]]:
    """The items' indices in ``workers`` shares of about the same total size (the
    largest first, each to the share with the least so far)."""
    weights = [size(item) for item in items] if size is not None else [1] * len(items)
    shares: list[list[int]] = [[] for _ in range(workers)]
    loads = [0] * workers
    for index in sorted(range(len(items)), key=lambda i: -weights[i]):
        least = loads.index(min(loads))
        shares[least].append(index)
        loads[least] += weights[index]
    return shares


def _parse_share(share: list[int]) -> list[Any]:
    """In a worker: ``parse`` of the items at these indices (inherited, not sent)."""
    assert _WORK is not None, "a worker forked before the work was set"
    parse, items = _WORK
    return [parse(items[index]) for index in share]


def _paused(parse: Callable[[T], R], items: Sequence[T]) -> Iterator[R]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        for item in items:
            yield parse(item)
    finally:
        if enabled:
            gc.enable()
