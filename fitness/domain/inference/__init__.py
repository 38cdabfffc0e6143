"""``fitness init``: the architecture a codebase has today, and the one its layout shows.

- :mod:`.vocabulary`: the names teams give the parts of an architecture;
- :mod:`.recognition`: which layouts the code has (:mod:`.styles` for ports and
  adapters, onion, clean architecture, CQRS and events; :mod:`.modular` for
  modular monoliths, bounded contexts and Django projects; :mod:`.web` for
  layered web services), each a :class:`.candidates.Recognition`;
- :mod:`.layering`: the layers a package's children form by today's imports;
- :mod:`.proposal`: the rules proposed, each checked by its real rule class;
- :mod:`.toml_text`: the ``[tool.fitness]`` block written.
"""

from fitness.domain.inference.layering import infer_layers
from fitness.domain.inference.proposal import Proposal, ProposedRule, propose
from fitness.domain.inference.toml_text import to_toml

__all__ = ["Proposal", "ProposedRule", "infer_layers", "propose", "to_toml"]
