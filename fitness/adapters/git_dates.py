"""``fitness history --since DATE``: the date read here, not by git.

git reads any text as some date without a word (its "approxidate"): a year from
2100 on as a day of this year, ``garbage`` or ``foo ago`` as now, ``2026-13-45`` as
a day of 2026, ``1.5 days ago`` as a month ago. So the forms the documentation
names are read here, anything else is refused, and git is given the result in
the one form it reads exactly (:func:`git_since`):

- ``YYYY-MM-DD``: its midnight, local time (as git reads ``YYYY-MM-DD 00:00:00``);
- ``YYYY-MM-DDTHH:MM[:SS]`` (or a space for ``T``), local time, or with ``Z`` or an
  offset (``+02:00``, ``-0500``);
- ``N seconds|minutes|hours|days|weeks|months|years ago`` (singular too; dots for
  spaces, as in ``2.weeks.ago``), months and years by the calendar as git counts
  them (a day past the end of the month runs into the next);
- ``now``, ``today`` (now, as git reads it) and ``yesterday`` (24 hours ago).

A revision's reflog date (``main@{2026-01-04}``, ``@{2.weeks.ago}``, in ``--until``
or ``--since``) would be read by git the same way: it is read here too, in the same
forms, and given to git exactly (:func:`reflog_dates_read`); anything else is refused.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

from fitness.domain.errors import FitnessError
from fitness.domain.rendering import printable_line

_ISO = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})"
    r"(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?$",
    re.IGNORECASE,
)
_RELATIVE = re.compile(
    r"^(\d{1,12})[ .]+(second|minute|hour|day|week|month|year)s?[ .]+ago$", re.IGNORECASE
)
_SECONDS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400, "week": 7 * 86400}
_WORDS = {"now": 0, "today": 0, "yesterday": 86400}

#: The last second git reads a date of (``YYYY-MM-DD HH:MM:SS +0000``): 2099-12-31 23:59:59 UTC.
GIT_LAST_DATE = 4102444799


class _NoSuchDate(ValueError):
    """Written as a date, but no date is (``2026-02-30``)."""


def since_timestamp(text: str, now: float) -> int | None:
    """The time ``text`` names (seconds since the epoch; 0 for any time before it), or
    ``None`` if it is not written as a date at all (then it may be a revision). A
    ``FitnessError`` for one written as a date that does not exist (``2026-02-30``)."""
    try:
        return _timestamp(text, now)
    except _NoSuchDate as error:
        raise FitnessError(
            printable_line(f"--since '{text}': not a date ({error}); write YYYY-MM-DD")
        ) from None


#: A reflog suffix: ``@{...}``.
_REFLOG = re.compile(r"@\{([^{}]*)\}")
#: What a reflog suffix holds that is no date: an entry's number (``@{1}``), the branch
#: checked out before (``@{-1}``), the upstream or push branch (``@{u}``, ``@{push}``).
_NOT_A_DATE = re.compile(r"^(?:-?\d+|u|upstream|push)$", re.IGNORECASE)


def reflog_dates_read(revision: str, option: str, now: float) -> str:
    """``revision`` with each reflog date (``main@{2100-01-01}``) read as ``--since``
    reads a date and written as git reads it exactly (a date past 2099, which git takes
    as a day of this year, as the last one it reads: the ref's newest value). A
    ``FitnessError`` (one line) for a reflog date not written in those forms."""

    def read(found: re.Match[str]) -> str:
        inside = found.group(1)
        if _NOT_A_DATE.match(inside):
            return found.group(0)
        try:
            timestamp = _timestamp(inside, now)
        except _NoSuchDate as error:
            problem = f"'{inside}' is not a date ({error})"
        else:
            if timestamp is not None:
                return "@{" + git_since(timestamp) + "}"
            problem = f"cannot read the date '{inside}'"
        raise FitnessError(
            printable_line(
                f"{option} '{revision}': {problem}; write the reflog's date as YYYY-MM-DD, "
                "YYYY-MM-DDTHH:MM[:SS] or 'N days ago'"
            )
        )

    return _REFLOG.sub(read, revision)


def _timestamp(text: str, now: float) -> int | None:
    value = text.strip()
    word = _WORDS.get(value.lower())
    if word is not None:
        return max(int(now) - word, 0)
    relative = _RELATIVE.match(value)
    if relative is not None:
        return _ago(int(relative.group(1)), relative.group(2).lower(), now)
    match = _ISO.match(value)
    if match is None:
        return None
    year, month, day, hour, minute, second = (int(g or 0) for g in match.groups()[:6])
    zone = match.group(7)
    try:
        moment = datetime(year, month, day, hour, minute, second)
        if zone:
            moment = moment.replace(tzinfo=_offset(zone))
        seconds = moment.timestamp()  # (a naive time is local time, as git reads it)
    except (ValueError, OverflowError, OSError) as error:
        raise _NoSuchDate(str(error)) from None
    return max(int(seconds), 0)


def _offset(zone: str) -> timezone:
    if zone.upper() == "Z":
        return UTC
    digits = zone[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:])
    if hours > 23 or minutes > 59:
        raise ValueError(f"no time zone is {zone} from UTC")
    sign = -1 if zone[0] == "-" else 1
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def _ago(count: int, unit: str, now: float) -> int:
    if unit in _SECONDS:
        return max(int(now) - count * _SECONDS[unit], 0)
    local = datetime.fromtimestamp(int(now))
    months = local.year * 12 + local.month - 1 - (count if unit == "month" else 12 * count)
    year, month = divmod(months, 12)
    if year < 1970:
        return 0
    # The day is added to the first of the month: the 31st of a 30-day month is the 1st.
    moment = datetime(year, month + 1, 1, local.hour, local.minute, local.second)
    return max(int((moment + timedelta(days=local.day - 1)).timestamp()), 0)


def git_since(timestamp: int) -> str:
    """``timestamp`` as git reads it exactly (within 1970 to 2099)."""
    moment = datetime.fromtimestamp(min(max(timestamp, 0), GIT_LAST_DATE), UTC)
    return moment.strftime("%Y-%m-%d %H:%M:%S +0000")
