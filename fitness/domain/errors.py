"""Errors that mean the user's input is wrong (as opposed to a broken rule)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

#: How many mistakes a report of several lists before "... and N more".
MAX_LISTED_MISTAKES = 50

Key = tuple[str | int, ...]


class FitnessError(Exception):
    """Base class of every error fitness reports to the user without a traceback."""


class ConfigError(FitnessError):
    """The configuration is malformed, or names something that does not exist.

    ``where`` locates the problem for the user (a file or ``file:line``); it is
    prefixed to the message when the error is shown.
    """

    def __init__(self, message: str, where: str = "", *, key: Key = ()) -> None:
        super().__init__(message)
        self.message = message
        self.where = where
        #: The path of the offending key inside the configuration table, if known.
        self.key = key

    @property
    def mistakes(self) -> tuple[ConfigError, ...]:
        """The mistakes this error reports: itself (:class:`ConfigErrors`: each of several)."""
        return (self,)

    def located(self, where: str) -> ConfigError:
        """The same error, located at ``where`` unless it is located already."""
        if self.where:
            return self
        return type(self)(self.message, where, key=self.key)

    def located_by(self, locate: Callable[[Key], str]) -> ConfigError:
        """The same error, located at ``locate(key)`` (each mistake at its own key)."""
        return self.located(locate(self.key))

    def within(self, key: Key, label: str = "") -> ConfigError:
        """The same error for a key inside ``key`` (``("rules", 2)``), its message after
        ``label`` (``"[[tool.fitness.rules]] #3: "``)."""
        return type(self)(f"{label}{self.message}", self.where, key=(*key, *self.key))

    def lines(self) -> list[str]:
        """How the error is shown, one line per mistake (see :class:`ConfigErrors`)."""
        return [str(self)]

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class ConfigErrors(ConfigError):
    """Several mistakes, reported together (a run reports every mistake it finds, not
    only the first): one line each, at most :data:`MAX_LISTED_MISTAKES`."""

    def __init__(self, errors: Sequence[ConfigError]) -> None:
        self.errors = tuple(e for error in errors for e in error.mistakes)
        super().__init__("\n".join(self.lines()))

    @property
    def mistakes(self) -> tuple[ConfigError, ...]:
        return self.errors

    def lines(self) -> list[str]:
        """Each mistake (located), the first :data:`MAX_LISTED_MISTAKES` of them."""
        lines = [str(error) for error in self.errors[:MAX_LISTED_MISTAKES]]
        more = len(self.errors) - MAX_LISTED_MISTAKES
        if more > 0:
            lines.append(f"... and {more} more mistake{'s' if more != 1 else ''}")
        return lines

    def located(self, where: str) -> ConfigError:
        return type(self)([error.located(where) for error in self.errors])

    def located_by(self, locate: Callable[[Key], str]) -> ConfigError:
        """Each mistake located at its key, in the order of the file's lines."""
        located = [error.located_by(locate) for error in self.errors]
        return type(self)(sorted(located, key=lambda error: _line_order(error.where)))

    def within(self, key: Key, label: str = "") -> ConfigError:
        return type(self)([error.within(key, label) for error in self.errors])

    def __str__(self) -> str:
        return self.message


def _line_order(where: str) -> tuple[str, int]:
    """``("pyproject.toml", 12)`` for ``pyproject.toml:12`` (0 without a line)."""
    path, _, line = where.rpartition(":")
    return (path, int(line)) if line.isdigit() else (where, 0)


def combined(errors: Sequence[ConfigError]) -> ConfigError:
    """One error for ``errors`` (not empty): the error itself if there is one, else a
    :class:`ConfigErrors` listing them all."""
    mistakes = [m for error in errors for m in error.mistakes]
    return mistakes[0] if len(mistakes) == 1 else ConfigErrors(mistakes)


class RuleError(ConfigError):
    """A rule cannot be checked against this graph (for example it names a missing module)."""


class RuleErrors(ConfigErrors, RuleError):
    """Several reasons a rule cannot be checked (each of its misspelt module names)."""


def rule_error(errors: Sequence[ConfigError]) -> RuleError:
    """One :class:`RuleError` for ``errors`` (not empty): each of them, together."""
    mistakes = [m for error in errors for m in error.mistakes]
    if len(mistakes) == 1:
        only = mistakes[0]
        return only if isinstance(only, RuleError) else RuleError(only.message, key=only.key)
    return RuleErrors(mistakes)


class MissingModuleError(RuleError):
    """A rule names a module the graph does not have (``module``: its name, or the
    wildcard expression that matches none). At a commit of ``fitness history`` older
    than the module, the rule is not applicable yet rather than unusable."""

    def __init__(
        self, message: str, where: str = "", *, key: tuple[str | int, ...] = (), module: str = ""
    ) -> None:
        super().__init__(message, where, key=key)
        self.module = module

    def located(self, where: str) -> ConfigError:
        if self.where:
            return self
        return type(self)(self.message, where, key=self.key, module=self.module)


def did_you_mean(word: str, candidates: Iterable[str], *, cutoff: float = 0.6) -> str:
    """A ``"; did you mean 'x'?"`` suffix naming the closest candidate, or ``""``.

    Dotted names that share a long prefix look alike whatever their last part:
    ``django.contrib.contenttypes`` is no misspelling of ``django.contrib.auth``. So a
    module's name is suggested for a dotted word only if their last parts are alike
    too (or the same: then the typo is in the prefix)."""
    import difflib  # (about 3 ms, on every run's path: only on a mistake)

    matches = difflib.get_close_matches(word, sorted(set(candidates)), n=5, cutoff=cutoff)
    if "." in word.strip("."):
        last = word.rpartition(".")[2]

        def alike(match: str) -> bool:
            if not all(part.isidentifier() for part in match.split(".")):
                return True  # not a module's name (a tag such as v1.0, a file name)
            other = match.rpartition(".")[2]
            ratio = difflib.SequenceMatcher(None, last, other).ratio()
            return other == last or ratio >= cutoff

        matches = [m for m in matches if alike(m)]
    return f"; did you mean '{matches[0]}'?" if matches else ""
