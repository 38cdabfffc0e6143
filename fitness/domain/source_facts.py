"""Facts read from the source text that the import graph does not record."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

#: The most characters of a source line quoted in a message (the rest is cut, with an
#: ellipsis): a line may be a megabyte long.
MAX_QUOTE = 200


def shorten(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters, ending in an ellipsis when cut."""
    if len(text) <= width:
        return text
    return text[: max(width - 1, 0)] + "…"


class DynamicImport(NamedTuple):
    """A call that imports a module named at run time (``importlib.import_module(...)``,
    ``__import__(...)``). With its name written as a literal (or a literal relative name
    and a literal package), the import is known: it is in the graph like any other
    (marked as dynamic in messages); otherwise it is a blind spot."""

    module: str
    file: str
    line_number: int
    code: str
    #: The imported module, absolute, when it is known from literals; else ``""``.
    target: str = ""

    @property
    def location(self) -> str:
        return f"{self.file}:{self.line_number}"


class Suppression(NamedTuple):
    """One ``# fitness: ignore[...]`` comment."""

    file: str
    line: int
    module: str
    rules: tuple[str, ...]
    reason: str

    @property
    def location(self) -> str:
        return f"{self.file}:{self.line}"


class FileFacts(NamedTuple):
    """What one source file says besides its imports, read from the same bytes when the
    graph is built (each file is read once) and cached with its imports: the place for
    any fact gathered file by file."""

    dynamic_imports: tuple[DynamicImport, ...] = ()
    suppressions: tuple[Suppression, ...] = ()
    #: The first and last line of each top-level ``if __name__ == "__main__":`` block.
    main_blocks: tuple[tuple[int, int], ...] = ()


class UnreadFile(NamedTuple):
    """A file or directory named like a module that was not read: a blind spot (a
    symbolic link to a file outside the project, a named pipe...). Its imports, and
    everything else in it, are unknown to every rule."""

    module: str
    #: As the project shows it (relative to the configuration's directory).
    file: str
    #: Why it was not read: ``a symbolic link to a file outside the project``.
    reason: str


def unread_summary(files: Sequence[UnreadFile], shown: int = 3) -> str:
    """``shop/env.py (a symbolic link to a file outside the project)``, the first
    ``shown`` files named, then ``and N more``."""
    named = ", ".join(f"{f.file} ({f.reason})" for f in files[:shown])
    more = len(files) - shown
    return f"{named} and {more} more" if more > 0 else named


#: Where an import statement is made, when that is not the module's top level (as
#: :class:`ImportContext` says it): inside a function or a method ...
FUNCTION = "function"
#: ... or under ``if TYPE_CHECKING:`` (outside any function).
TYPE_CHECKING_ONLY = "type_checking"

#: How messages mark an import made there.
CONTEXT_NOTES = {FUNCTION: "inside a function", TYPE_CHECKING_ONLY: "type-checking only"}


class ImportContext(NamedTuple):
    """An import statement of ``module``, on ``line``, made inside a function (executed
    when the function is called, not when the module is imported) or under
    ``if TYPE_CHECKING:`` (never executed): ``context`` is :data:`FUNCTION` or
    :data:`TYPE_CHECKING_ONLY`."""

    module: str
    line: int
    context: str
