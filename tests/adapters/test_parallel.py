"""Parsing many files at once: shared by size between this process and forked workers,
the results in the items' order, the collector paused while parsing."""

from __future__ import annotations

import gc
import os

from fitness.adapters.parallel import _shares, parse_all


def test_the_work_is_shared_by_size_largest_first() -> None:
    sizes = [5, 1, 9, 3, 3, 7]
    shares = _shares(sizes, 2, size=lambda n: n)
    assert shares == [[2, 3, 4], [5, 0, 1]]  # 9 + 3 + 3 against 7 + 5 + 1
    assert sorted(i for share in shares for i in share) == list(range(len(sizes)))
    assert _shares(["a", "b", "c"], 3, size=None) == [[0], [1], [2]]


def square_and_pid(n: int) -> tuple[int, int]:
    return n * n, os.getpid()


def test_results_come_in_the_items_order_from_this_process_and_its_workers() -> None:
    items = list(range(40))
    results = list(parse_all(square_and_pid, items, workers=2, parallel_from=10, size=None))
    assert [square for square, _ in results] == [n * n for n in items]
    pids = {pid for _, pid in results}
    assert os.getpid() in pids and len(pids) == 2  # this process took its share


def test_few_items_are_parsed_here_with_the_collector_paused() -> None:
    seen: list[bool] = []

    def parse(n: int) -> int:
        seen.append(gc.isenabled())
        return -n

    assert gc.isenabled()
    assert list(parse_all(parse, [1, 2, 3], workers=4, parallel_from=10)) == [-1, -2, -3]
    assert seen == [False, False, False]
    assert gc.isenabled()
