"""File names the user gives (options such as ``--config``, configuration values such as
``baseline``), checked before they are used: one the operating system refuses as a name
(longer than it allows, a null character) is a :class:`ConfigError` naming the option or
the key, never an ``OSError`` traceback; and a long one is shown shortened."""

from __future__ import annotations

import errno
import os

from fitness.domain.errors import ConfigError

#: How much of a long name a message shows.
SHOWN = 100


def shown(name: str | os.PathLike[str]) -> str:
    """A file name as a message shows it: at most :data:`SHOWN` characters."""
    text = os.fspath(name)
    # (fitness.domain.violations.shorten, which this light module does not import)
    return text if len(text) <= SHOWN else text[: SHOWN - 1] + "…"


def name_problem(name: str | os.PathLike[str], written: str | None = None) -> str | None:
    """Why ``name`` cannot name a file here (asked of the operating system), or None;
    how long it is, or ``written`` (what the user wrote, of which it is made), if that
    is why."""
    text = os.fspath(name)
    try:
        os.stat(text)
    except OSError as error:
        if error.errno == errno.ENAMETOOLONG:
            length = len(text if written is None else written)
            return f"{error.strerror or 'File name too long'} ({length:,} characters)"
    except ValueError:  # a null character
        return "a file name cannot hold a null character"
    return None


def check_file_name(
    name: str | os.PathLike[str] | None,
    what: str,
    *,
    written: str | None = None,
    where: str = "",
    key: tuple[str | int, ...] = (),
) -> None:
    """Raise a :class:`ConfigError` saying ``what`` (``--config``, ``baseline``) cannot be
    ``name`` (``written`` so in the configuration, if not so), if the operating system
    refuses it as a file name."""
    if name is None:
        return
    problem = name_problem(name, written)
    if problem is not None:
        value = shown(name if written is None else written)
        raise ConfigError(f"{what}: '{value}': {problem}", where, key=key)


def is_outside(directory: str | os.PathLike[str], name: str | os.PathLike[str]) -> bool:
    """Whether ``name`` (relative to ``directory``) is somewhere outside ``directory`` once
    every symbolic link on the way is followed (a link committed by a pull request,
    ``known.json -> ~/.netrc``)."""
    inside = os.path.realpath(directory)
    target = os.path.realpath(os.path.join(directory, name))
    return os.path.commonpath([inside, target]) != inside
