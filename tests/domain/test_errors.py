"""The "did you mean" of every error message (fitness/domain/errors.py)."""

from __future__ import annotations

import pytest

from fitness.domain.errors import did_you_mean


@pytest.mark.parametrize(
    ("word", "candidates", "suggestion"),
    [
        ("app.shard", ["app.shared", "app.catalog"], "app.shared"),
        ("shop.domian.money", ["shop.domain.money"], "shop.domain.money"),  # typo in the prefix
        ("ap.shared", ["app.shared"], "app.shared"),
        ("v1.O", ["v1.0"], "v1.0"),  # a tag, not a module
        (".sarf", [".sarif", ".json"], ".sarif"),
        ("Layerd", ["Layers"], "Layers"),
    ],
)
def test_a_close_name_is_suggested(word: str, candidates: list[str], suggestion: str) -> None:
    assert did_you_mean(word, candidates) == f"; did you mean '{suggestion}'?"


@pytest.mark.parametrize(
    ("word", "candidates"),
    [
        ("django.contrib.contenttypes", ["django.contrib.auth", "django.contrib.admin"]),
        ("pkg.b", ["pkg.a", "pkg"]),
        ("app.billing", ["app.catalog", "app.ordering"]),
    ],
)
def test_modules_that_share_only_their_package_are_no_misspelling_of_each_other(
    word: str, candidates: list[str]
) -> None:
    assert did_you_mean(word, candidates) == ""
