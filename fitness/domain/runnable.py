"""What a Python file can run, as test impact analysis needs it: plain data.

:class:`FileFacts` is read from one file's syntax tree (by
:mod:`fitness.adapters.import_scan`, never by importing it) and says, for one file,
every module it may import and when:

- its **imports**, at module level (run when the file is imported) or nested in a
  function (run when the function is called), under ``if`` and ``try`` alike; only
  those under ``if TYPE_CHECKING:`` are left out (they never run);
- its **dynamic imports** (``importlib.import_module``, ``__import__``,
  ``pytest.importorskip``, ``runpy.run_module``...): a literal name is an import; a
  name built on a literal prefix (``f"pkg.plugins.{name}"``) may import any module
  under it; one relative to the file's own package (``__name__``, ``__package__``)
  any module of the package; one taken from the function's arguments is covered by
  the strings its callers pass (below); any other (a name read from a file, the
  environment, an entry point) could import anything (:attr:`FileFacts.anything`);
- the **strings that name a module** (``"pkg.mod"``, ``"pkg.mod:attr"``,
  ``"pkg.mod.Class"``, a prefix ``"pkg.plugins."``): registries, lazy exports and
  settings import them by name;
- whether it **runs code out of process** or through pytest's own machinery
  (``subprocess``, ``sys.executable``, ``pytester``...): static imports cannot say what
  such a test runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

#: Bump when what :class:`FileFacts` holds, or how it is read, changes.
FACTS_FORMAT = 1


@dataclass(frozen=True)
class ImportRef:
    """One import statement's module: ``name`` (absolute, or relative with ``level``
    dots), the ``names`` imported from it (``from name import a, b``: each may be a
    submodule), and whether it runs only when a function is called (``nested``)."""

    name: str
    level: int = 0
    names: tuple[str, ...] = ()
    nested: bool = False
    #: A plain ``import a.b.c``: binds ``a``, whose attributes the file may then use.
    plain: bool = False

    def to_data(self) -> list[Any]:
        return [self.name, self.level, list(self.names), self.nested, self.plain]

    @classmethod
    def from_data(cls, data: Any) -> ImportRef:
        name, level, names, nested, plain = data
        if not (
            isinstance(name, str)
            and isinstance(level, int)
            and isinstance(names, list)
            and all(isinstance(n, str) for n in names)
            and isinstance(nested, bool)
            and isinstance(plain, bool)
        ):
            raise TypeError("bad import")
        return cls(name, level, tuple(names), nested, plain)


@dataclass(frozen=True)
class FileFacts:
    """What one Python file may import (see the module's docstring)."""

    imports: tuple[ImportRef, ...] = ()
    #: Module names written as strings (dynamic imports with a literal name included).
    names: tuple[str, ...] = ()
    #: Name prefixes (``pkg.plugins.``): any module under them may be imported.
    prefixes: tuple[str, ...] = ()
    #: A dynamic import relative to the file's own package (any module of it).
    own_package: bool = False
    #: A dynamic import whose name could be anything: the file may import any module.
    anything: bool = False
    #: Runs code out of process or through pytest (``subprocess``, ``pytester``...).
    out_of_process: bool = False
    #: Paths written as strings that name a Python file (``runpy.run_path("x.py")``).
    paths: tuple[str, ...] = ()
    #: The file does not parse: what it imports is unknown (it may import anything).
    unparsable: bool = False

    def to_data(self) -> dict[str, Any]:
        return {
            "imports": [ref.to_data() for ref in self.imports],
            "names": list(self.names),
            "prefixes": list(self.prefixes),
            "own_package": self.own_package,
            "anything": self.anything,
            "out_of_process": self.out_of_process,
            "paths": list(self.paths),
            "unparsable": self.unparsable,
        }

    @classmethod
    def from_data(cls, data: Any) -> FileFacts:
        if not isinstance(data, dict):
            raise TypeError("bad facts")
        flags = [data[key] for key in ("own_package", "anything", "out_of_process", "unparsable")]
        strings = [data[key] for key in ("names", "prefixes", "paths")]
        if not all(isinstance(flag, bool) for flag in flags) or not all(
            isinstance(items, list) and all(isinstance(s, str) for s in items) for items in strings
        ):
            raise TypeError("bad facts")
        return cls(
            imports=tuple(ImportRef.from_data(item) for item in data["imports"]),
            names=tuple(strings[0]),
            prefixes=tuple(strings[1]),
            own_package=flags[0],
            anything=flags[1],
            out_of_process=flags[2],
            paths=tuple(strings[2]),
            unparsable=flags[3],
        )
