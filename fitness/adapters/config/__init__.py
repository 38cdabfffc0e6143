"""Loading a configuration: the adapters of :mod:`fitness.application.config`'s port.

``discovery`` finds the file (light: the pytest plugin imports it in every project),
``text`` reads it, ``pyproject`` parses ``[tool.fitness]`` and locates its keys,
``importlinter*`` read import-linter's configurations and run its contract classes,
``plugins`` loads the plugins' rule types, ``source`` is the port itself.
Nothing is imported here: ``fitness check``'s replay imports ``discovery`` alone.
"""
