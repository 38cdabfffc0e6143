"""``python -m fitness``: the ``fitness`` command.

``python -m`` puts the working directory first on ``sys.path``. In CI that is the
checkout of the pull request under analysis, whose files must never stand in for
our modules or our dependencies' (a ``networkx.py`` or a ``*.dist-info`` there
would be imported or read as an installed plugin): it is taken off, as
``python -P`` does. (A ``fitness`` package in the working directory is imported
before this runs: in CI, run the ``fitness`` command or ``python -P -m fitness``.)
"""

import os
import sys

if sys.path and not sys.flags.safe_path and sys.path[0] in ("", os.getcwd()):
    del sys.path[0]

from fitness.console import run  # (after sys.path is cleaned)

run()
