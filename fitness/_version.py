"""The version of pytest-fitness (``fitness.__version__``).

A module of its own so that the modules that report it (the plugin registry,
the graph cache, the command line) need not import the ``fitness`` package's
public namespace, which imports them.
"""

__version__ = "0.1.0"
