"""What the application needs from the outside world."""

from __future__ import annotations

from typing import Protocol

from fitness.domain.config import GraphSettings
from fitness.domain.graph import ProjectGraph


class GraphBuilder(Protocol):
    """Builds the project's import graph (statically: nothing is imported)."""

    def build(self, settings: GraphSettings) -> ProjectGraph: ...
