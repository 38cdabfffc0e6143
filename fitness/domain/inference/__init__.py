"""``fitness init``: the architecture a codebase has today, and the one its layout shows.

- :mod:`.vocabulary`: the names teams give the parts of an architecture;
- :mod:`.recognition`: which layouts the code has (:mod:`.styles` for ports and
  adapters, onion, clean architecture, CQRS and events; :mod:`.modular` for
  modular monoliths, bounded contexts and Django projects; :mod:`.web` for
  layered web services), each a :class:`.candidates.Recognition`;
- :mod:`.layering`: the layers a package's children form by today's imports;
- :mod:`.proposal`: the rules proposed, each checked by its real rule class;
- :mod:`.toml_text`: the ``[tool.fitness]`` block written.

The names below are imported on first use (networkx with them): the command line
reads only :mod:`.vocabulary` until ``fitness init`` runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fitness._lazy import lazy_exports

__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "infer_layers": "fitness.domain.inference.layering",
        "Proposal": "fitness.domain.inference.proposal",
        "ProposedRule": "fitness.domain.inference.proposal",
        "propose": "fitness.domain.inference.proposal",
        "to_toml": "fitness.domain.inference.toml_text",
    },
)

if TYPE_CHECKING:
    from fitness.domain.inference.layering import infer_layers
    from fitness.domain.inference.proposal import Proposal, ProposedRule, propose
    from fitness.domain.inference.toml_text import to_toml

__all__ = ["Proposal", "ProposedRule", "infer_layers", "propose", "to_toml"]
