"""``--since DATE`` is read here, the forms the documentation names, as git reads them
where git reads them right; anything else is refused instead of being read as some
other date (issue 19, item 10)."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest

from fitness.adapters.git_dates import GIT_LAST_DATE, git_since, reflog_dates_read, since_timestamp
from fitness.domain.errors import FitnessError


@pytest.fixture
def tmp_path(tmp_path: Path) -> Path:
    """A repository (``git rev-parse`` runs in one)."""
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    return tmp_path


def git_reads(text: str, cwd: Path) -> int:
    """The time git gives ``--since=text`` (``git rev-parse`` prints it as --max-age)."""
    done = subprocess.run(
        ["git", "rev-parse", f"--since={text}"], cwd=cwd, capture_output=True, text=True, check=True
    )
    return int(done.stdout.strip().removeprefix("--max-age="))


@pytest.mark.parametrize(
    ("ours", "gits"),
    [
        ("2026-01-04", "2026-01-04 00:00:00"),  # a day is its midnight (git: now's time of day)
        ("2026-01-04T12:30", "2026-01-04 12:30:00"),
        ("2026-01-04 12:30:15", "2026-01-04 12:30:15"),
        ("2026-01-04T12:00:00Z", "2026-01-04T12:00:00Z"),
        ("2026-01-04T12:00:00+05:00", "2026-01-04T12:00:00+05:00"),
        ("2026-01-04T12:00:00-0800", "2026-01-04T12:00:00-0800"),
        ("1970-01-02", "1970-01-02 00:00:00"),
        ("2099-12-31", "2099-12-31 00:00:00"),
    ],
)
def test_a_date_is_the_time_git_reads_it_as(ours: str, gits: str, tmp_path: Path) -> None:
    assert since_timestamp(ours, time.time()) == git_reads(gits, tmp_path)


@pytest.mark.parametrize(
    "text", ["3 seconds ago", "5 minutes ago", "2 hours ago", "1 day ago", "2.weeks.ago",
             "3 months ago", "1 year ago", "10 Years Ago", "yesterday", "now", "today"],
)  # fmt: skip
def test_a_relative_date_is_the_time_git_reads_it_as(text: str, tmp_path: Path) -> None:
    before = time.time()
    gits = git_reads(text, tmp_path)
    ours = since_timestamp(text, before)
    assert ours is not None
    assert abs(ours - gits) <= 2  # (the clock moved on between the two readings)


@pytest.mark.parametrize(
    ("text", "meaning"),
    [
        ("2100-01-01", "2100-01-01 00:00:00"),  # git: a day of this year
        ("100 years ago", "1970-01-01 00:00:00"),  # git: now
        ("1969-07-20", "1970-01-01 00:00:00"),  # before the epoch: every commit
    ],
)
def test_a_date_git_cannot_read_is_read_right(text: str, meaning: str, tmp_path: Path) -> None:
    from datetime import datetime

    expected = max(int(datetime.fromisoformat(meaning).timestamp()), 0)
    if text.endswith("ago"):
        expected = 0
    assert since_timestamp(text, time.time()) == expected
    assert since_timestamp(text, time.time()) != git_reads(text, tmp_path)


@pytest.mark.parametrize(
    "text", ["garbage", "foo ago", "1.5 days ago", "2 weeks", "v1.0", "", "2026-1-4"]
)
def test_what_is_not_written_as_a_date_is_not_one(text: str) -> None:
    assert since_timestamp(text, time.time()) is None


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("2026-13-45", "month must be in 1..12"),
        ("2026-02-30", "day is out of range for month"),
        ("2026-01-04T25:00:00", "hour must be in 0..23"),
        ("2026-01-04T12:00+99:00", "no time zone is +99:00 from UTC"),
    ],
)
def test_a_date_that_does_not_exist_is_refused(text: str, why: str) -> None:
    with pytest.raises(FitnessError) as raised:
        since_timestamp(text, time.time())
    assert str(raised.value).startswith(f"--since '{text}': not a date (")
    assert why in str(raised.value)


def test_git_is_given_a_date_it_reads_exactly(tmp_path: Path) -> None:
    for moment in (1, 86_400, 1_767_528_000, GIT_LAST_DATE):
        assert git_reads(git_since(moment), tmp_path) == moment


@pytest.mark.parametrize(
    ("revision", "read"),
    [
        ("main@{2026-01-04T12:00:00Z}", "main@{2026-01-04 12:00:00 +0000}"),
        ("main@{2100-01-01}", "main@{2099-12-31 23:59:59 +0000}"),  # git: a day of this year
        ("HEAD@{1969-07-20}~2", "HEAD@{1970-01-01 00:00:00 +0000}~2"),
        ("main@{1}", "main@{1}"),  # the reflog's entries by number, and branches: no dates
        ("@{-1}", "@{-1}"),
        ("main@{u}", "main@{u}"),
        ("main@{Upstream}", "main@{Upstream}"),
        ("topic@{push}", "topic@{push}"),
        ("v1.0^{commit}", "v1.0^{commit}"),
        ("main", "main"),
    ],
)
def test_a_reflog_date_is_read_here_and_given_to_git_exactly(revision: str, read: str) -> None:
    assert reflog_dates_read(revision, "--until", time.time()) == read


def test_a_relative_reflog_date_is_read_as_since_reads_it() -> None:
    now = time.time()
    expected = f"main@{{{git_since(since_timestamp('2 weeks ago', now) or 0)}}}"
    assert reflog_dates_read("main@{2.weeks.ago}", "--until", now) == expected


@pytest.mark.parametrize("date", ["garbage", "1.day", "2026-1-4", "foo ago", ""])
def test_a_reflog_date_not_written_as_since_takes_a_date_is_refused(date: str) -> None:
    with pytest.raises(FitnessError) as raised:
        reflog_dates_read(f"main@{{{date}}}", "--until", time.time())
    assert str(raised.value) == (
        f"--until 'main@{{{date}}}': cannot read the date '{date}'; write the reflog's date "
        "as YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS] or 'N days ago'"
    )
