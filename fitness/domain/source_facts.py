"""Facts read from the source text that the import graph does not record."""

from __future__ import annotations

from typing import NamedTuple


class DynamicImport(NamedTuple):
    """An import the static graph cannot see (``importlib.import_module(...)``, ``__import__``)."""

    module: str
    file: str
    line_number: int
    code: str
    #: The imported module, when it is written as a string literal.
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
