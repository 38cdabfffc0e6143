"""What the application needs from the outside world."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from fitness.domain.classfacts import ModuleFacts
from fitness.domain.config import GraphSettings
from fitness.domain.graph import ProjectGraph


class GraphBuilder(Protocol):
    """Builds the project's import graph (statically: nothing is imported)."""

    def build(self, settings: GraphSettings) -> ProjectGraph: ...


class ClassFactsReader(Protocol):
    """Reads the class facts of modules from their source files (parsed, never
    imported; cached by content where the adapter can)."""

    def read(self, module_files: Mapping[str, str]) -> dict[str, ModuleFacts]: ...
