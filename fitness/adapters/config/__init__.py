"""Loading a configuration: the adapters of :mod:`fitness.application.config`'s port.

``source`` implements the port (:class:`~fitness.application.ports.ConfigSource`) on the
project's files or a commit's tree; ``discovery`` finds the file (light: the pytest
plugin imports it in every project), ``text`` reads it, ``pyproject`` parses
``[tool.fitness]``, ``toml_keys`` finds a key's line, ``importlinter*`` read
import-linter's configurations and run its contract classes, ``plugins`` loads the
plugins' rule types. Nothing is imported here: ``fitness check``'s replay imports
``discovery`` alone.
"""
