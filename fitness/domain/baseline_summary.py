"""What a baseline did to a rule's verdict: the known chains and the summary a result carries.

Apart from :mod:`fitness.domain.violations` (which names :class:`BaselineSummary`
only in annotations) so that a run without a baseline does not create these classes.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class BaselineEntry:
    """One known chain of one violation: which rule, which dependency, which modules.

    ``importer`` and ``imported`` are the dependency the rule forbids (for a layers
    rule, the two layers); ``first`` and ``last`` are the ends of one chain that makes
    it (empty for a violation that has no chain, such as an undeclared module);
    ``direct`` says the chain is a single import.
    """

    rule: str
    importer: str
    imported: str
    first: str = ""
    last: str = ""
    direct: bool = False

    @property
    def key(self) -> tuple[str, str, str, str]:
        """What a current chain must share to match: everything but ``direct``."""
        return (self.importer, self.imported, self.first, self.last)

    def __str__(self) -> str:
        dependency = f"{self.importer} -> {self.imported}" if self.imported else self.importer
        if not self.first:
            return dependency
        arrow = "->" if self.direct else "-> ... ->"
        chain = f"{self.first} {arrow} {self.last}"
        return chain if chain == dependency else f"{chain} ({dependency})"


@dataclass(frozen=True)
class BaselineSummary:
    """What a baseline did to one rule's verdict (:func:`fitness.domain.baseline.apply_baseline`).

    ``known`` violations were forgiven whole, and ``known_chains`` chains of violations
    that have new ones too; ``fixed`` are the entries that matched nothing (reported as
    warnings, or as violations when ``strict``).
    """

    known: int = 0
    known_chains: int = 0
    fixed: tuple[BaselineEntry, ...] = ()
    strict: bool = False


@dataclass(frozen=True)
class SinceSummary:
    """What a revision's violations did to one rule's verdict (``--new-since REV``:
    :func:`fitness.domain.new_since.apply_known_at`).

    ``existed`` violations were there at ``revision`` (forgiven whole), and
    ``existed_chains`` chains of violations that have new ones too; ``commit`` is the
    commit ``revision`` named. ``problem`` says why nothing could be known at the
    revision (every violation is then new).
    """

    revision: str
    commit: str = ""
    existed: int = 0
    existed_chains: int = 0
    problem: str = ""
