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
