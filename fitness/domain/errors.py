"""Errors that mean the user's input is wrong (as opposed to a broken rule)."""

from __future__ import annotations

from collections.abc import Iterable


class FitnessError(Exception):
    """Base class of every error fitness reports to the user without a traceback."""


class ConfigError(FitnessError):
    """The configuration is malformed, or names something that does not exist.

    ``where`` locates the problem for the user (a file or ``file:line``); it is
    prefixed to the message when the error is shown.
    """

    def __init__(self, message: str, where: str = "", *, key: tuple[str | int, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.where = where
        #: The path of the offending key inside the configuration table, if known.
        self.key = key

    def located(self, where: str) -> ConfigError:
        """The same error, located at ``where`` unless it is located already."""
        if self.where:
            return self
        return type(self)(self.message, where, key=self.key)

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class RuleError(ConfigError):
    """A rule cannot be checked against this graph (for example it names a missing module)."""


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
    import difflib  # only when there is something to suggest

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
