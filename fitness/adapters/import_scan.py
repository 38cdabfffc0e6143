"""What each Python file of a project can run (:class:`fitness.domain.runnable.FileFacts`),
read from its syntax tree, never by importing it; cached between runs.

The rules' graph (grimp) answers which module imports which within the root packages.
Test impact analysis needs more of every file, test files and helpers outside any
package included: when each import runs (at import time, or only when a function is
called), the dynamic imports and how far they can reach, the module names written as
strings, and whether a test runs code out of process. So each file is parsed once with
:mod:`ast` (in worker processes when many are cold) and its facts are cached by path,
size and modification time: one sealed entry of the project's cache
(``affected/facts-<key>.json``, :mod:`fitness.adapters.cache_store`).

A file that cannot be read safely (above :data:`MAX_BYTES`, a link leading out of the
project, not text, not Python) is said to import anything: when in doubt, a test runs.
"""

from __future__ import annotations

import ast
import builtins
import hashlib
import json
import os
import re
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import NamedTuple

from fitness._version import __version__ as FITNESS_VERSION
from fitness.adapters.cache_store import CacheStore, size_limit
from fitness.adapters.files import decode_source
from fitness.adapters.parallel import parse_all
from fitness.adapters.source_files import RACY_NS
from fitness.domain.runnable import FACTS_FORMAT, FileFacts, ImportRef

#: The largest file read (larger ones may import anything).
MAX_BYTES = 5 * 1024 * 1024
#: Parse in worker processes from this many uncached files on.
PARALLEL_FROM = 200
MAX_WORKERS = 4

#: Calls that import a module named by their first argument.
DYNAMIC_IMPORTS = frozenset(
    {"import_module", "__import__", "importorskip", "run_module", "import_string", "resolve_name"}
)
#: Calls that run a Python file named by a path.
PATH_LOADERS = frozenset({"run_path", "spec_from_file_location", "SourceFileLoader"})
#: What says a file runs code out of process, or through pytest itself.
OUT_OF_PROCESS = re.compile(
    rb"\b(?:subprocess|pytester|testdir|sys\s*\.\s*executable|os\s*\.\s*(?:system|popen|spawn\w*"
    rb"|exec\w*)|create_subprocess_\w+|pexpect)\b"
)
_DOTTED = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*")
_MODULE_STRING = re.compile(
    r"(?P<name>[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+)(?::[A-Za-z_][\w.]*)?"
    r"|(?P<single>[A-Za-z_]\w*):[A-Za-z_][\w.]*"
)
_PATH_STRING = re.compile(r"(?:\.{0,2}/)?(?:[\w.-]+/)*[\w-][\w.-]*\.py")
_PREFIX_STRING = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*\.")
#: Built-in names a dynamic import's name may be computed with and stay within what the
#: function was given (``str(name)``, ``name.partition(":")``); reading files and
#: attributes by name is not.
_BENIGN = frozenset(dir(builtins)) - {
    "open",
    "input",
    "eval",
    "exec",
    "getattr",
    "globals",
    "locals",
    "vars",
    "__import__",
    "compile",
}
_OWN_PACKAGE = frozenset({"__name__", "__package__", "__spec__", "__path__", "__file__"})


# Reading one file ---------------------------------------------------------------------------


def read_facts(data: bytes) -> FileFacts:
    """The facts of one file's source ``data``."""
    out_of_process = OUT_OF_PROCESS.search(data) is not None
    if len(data) > MAX_BYTES or b"\0" in data:
        return FileFacts(anything=True, unparsable=True, out_of_process=out_of_process)
    try:
        tree = ast.parse(decode_source(data))
        facts = _Reader().read(tree)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return FileFacts(anything=True, unparsable=True, out_of_process=out_of_process)
    return FileFacts(
        imports=tuple(facts.imports),
        names=tuple(sorted(facts.names)),
        prefixes=tuple(sorted(facts.prefixes)),
        own_package=facts.own_package,
        anything=facts.anything,
        out_of_process=out_of_process,
        paths=tuple(sorted(facts.paths)),
    )


def _is_type_checking(test: ast.expr) -> bool:
    if isinstance(test, ast.Name):
        return test.id == "TYPE_CHECKING"
    return isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"


def _called_name(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _names_in(node: ast.AST) -> set[str]:
    """The variables an expression reads: each name, and the base of each attribute."""
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def _targets(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


class _Scope:
    """The variables of a function (or the module) whose values come only from its
    parameters and literals: a dynamic import named by one of them imports what the
    callers (or the literals) name, which are strings of the project."""

    def __init__(self, node: ast.AST | None, params: set[str]) -> None:
        self.node = node
        self.params = params
        self._derived: set[str] | None = None

    def derived(self) -> set[str]:
        if self._derived is None:
            derived = set(self.params)
            assignments = list(_assignments(self.node)) if self.node is not None else []
            for _ in range(10):
                before = len(derived)
                for targets, value in assignments:
                    if _names_in(value) <= derived | _BENIGN:
                        derived |= targets
                if len(derived) == before:
                    break
            self._derived = derived
        return self._derived


def _assignments(scope: ast.AST) -> Iterable[tuple[set[str], ast.AST]]:
    """``(names assigned, value)`` of each assignment in ``scope``, its nested functions
    left out."""
    stack = list(ast.iter_child_nodes(scope))
    while stack:
        node = stack.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | ast.ClassDef):
            continue
        if isinstance(node, ast.Assign):
            yield set().union(*(_targets(t) for t in node.targets)), node.value
        elif isinstance(node, ast.AnnAssign | ast.AugAssign) and node.value is not None:
            yield _targets(node.target), node.value
        elif isinstance(node, ast.For | ast.AsyncFor | ast.comprehension):
            yield _targets(node.target), node.iter
        elif isinstance(node, ast.NamedExpr):
            yield _targets(node.target), node.value
        elif isinstance(node, ast.withitem) and node.optional_vars is not None:
            yield _targets(node.optional_vars), node.context_expr
        stack.extend(ast.iter_child_nodes(node))


class _Found:
    def __init__(self) -> None:
        self.imports: list[ImportRef] = []
        self.names: set[str] = set()
        self.prefixes: set[str] = set()
        self.paths: set[str] = set()
        self.own_package = False
        self.anything = False


class _Reader:
    """One walk over a module's tree (an explicit stack: no recursion limit)."""

    def read(self, tree: ast.Module) -> _Found:
        found = _Found()
        module_scope = _Scope(tree, set())
        stack: list[tuple[ast.AST, bool, _Scope]] = [(tree, False, module_scope)]
        while stack:
            node, nested, scope = stack.pop()
            if isinstance(node, ast.If) and _is_type_checking(node.test):
                stack.extend((child, nested, scope) for child in node.orelse)
                continue
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                arguments = node.args
                params = {
                    a.arg
                    for a in (
                        *arguments.posonlyargs,
                        *arguments.args,
                        *arguments.kwonlyargs,
                        *(x for x in (arguments.vararg, arguments.kwarg) if x is not None),
                    )
                }
                inner = _Scope(node, params)
                body = node.body if isinstance(node.body, list) else [node.body]
                # Decorators and defaults run where the function is defined.
                outer = [*getattr(node, "decorator_list", ()), *arguments.defaults]
                outer += [d for d in arguments.kw_defaults if d is not None]
                stack.extend((child, nested, scope) for child in outer)
                stack.extend((child, True, inner) for child in body)
                continue
            if isinstance(node, ast.Import):
                for alias in node.names:
                    found.imports.append(ImportRef(alias.name, 0, (), nested, plain=True))
            elif isinstance(node, ast.ImportFrom):
                names = tuple(alias.name for alias in node.names)
                found.imports.append(ImportRef(node.module or "", node.level, names, nested))
            elif isinstance(node, ast.Assign) and not nested:
                self._plugins(node, found)
            elif isinstance(node, ast.Call):
                self._call(node, scope, found)
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                self._string(node.value, found)
            stack.extend((child, nested, scope) for child in ast.iter_child_nodes(node))
        return found

    @staticmethod
    def _plugins(node: ast.Assign, found: _Found) -> None:
        """``pytest_plugins = ["pkg.fixtures"]``: modules pytest imports with the file."""
        if not any(isinstance(t, ast.Name) and t.id == "pytest_plugins" for t in node.targets):
            return
        values = node.value.elts if isinstance(node.value, ast.List | ast.Tuple) else [node.value]
        for value in values:
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                if _DOTTED.fullmatch(value.value):
                    found.imports.append(ImportRef(value.value))
            else:
                found.anything = True

    @staticmethod
    def _string(text: str, found: _Found) -> None:
        if len(text) > 200 or ("." not in text and ":" not in text):
            return
        match = _MODULE_STRING.fullmatch(text)
        if match is not None:
            found.names.add(match.group("name") or match.group("single"))
        elif _PREFIX_STRING.fullmatch(text):
            found.prefixes.add(text)

    def _call(self, call: ast.Call, scope: _Scope, found: _Found) -> None:
        name = _called_name(call)
        if name in PATH_LOADERS:
            arguments = [*call.args, *(k.value for k in call.keywords)]
            written = [
                a.value
                for a in arguments
                if isinstance(a, ast.Constant)
                and isinstance(a.value, str)
                and _PATH_STRING.fullmatch(a.value)
            ]
            if written:
                found.paths.update(written)
            else:
                found.anything = True
            return
        if name not in DYNAMIC_IMPORTS:
            return
        argument: ast.expr | None = call.args[0] if call.args else None
        if argument is None:
            keyword = next((k for k in call.keywords if k.arg in ("name", "modname")), None)
            argument = keyword.value if keyword is not None else None
        if argument is None:
            found.anything = True
            return
        self._dynamic(argument, scope, found)

    @staticmethod
    def _dynamic(argument: ast.expr, scope: _Scope, found: _Found) -> None:
        """How far a dynamic import named by ``argument`` may reach."""
        first: ast.expr = argument
        if isinstance(argument, ast.JoinedStr) and argument.values:
            first = argument.values[0]
            if isinstance(first, ast.FormattedValue):
                first = first.value
        while isinstance(first, ast.BinOp) and isinstance(first.op, ast.Add):
            first = first.left
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            text = first.value
            if text.startswith("."):
                found.own_package = True
            elif first is argument:
                if _DOTTED.fullmatch(text):
                    found.names.add(text)
            elif _DOTTED.fullmatch(text.rstrip(".")):
                found.prefixes.add(text)
            else:
                found.anything = True
            return
        if _names_in(first) & _OWN_PACKAGE:
            found.own_package = True
            return
        if not _names_in(argument) <= scope.derived() | _BENIGN:
            found.anything = True


# The project's files, cached --------------------------------------------------------------------


class ScannedFile(NamedTuple):
    """A file to read: its path relative to the repository (as facts are keyed), and on disk."""

    relative: str
    path: str


def _scan_one(path: str) -> FileFacts:
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return FileFacts(anything=True, unparsable=True)
    try:
        size = os.fstat(fd).st_size
        if size > MAX_BYTES:
            return FileFacts(anything=True, unparsable=True)
        data = os.read(fd, MAX_BYTES + 1)
    finally:
        os.close(fd)
    return read_facts(data)


def _scan_item(path: str) -> dict[str, object]:
    return _scan_one(path).to_data()


class FactsCache:
    """Every scanned file's facts, by repository path, reused while its size and
    modification time are unchanged (``store``: the run's cache, or none)."""

    def __init__(self, store: CacheStore | None, top: Path, *, workers: int | None = None) -> None:
        self.store = store
        self.top = top
        self.workers = workers if workers is not None else min(os.cpu_count() or 1, MAX_WORKERS)
        key = hashlib.sha256(f"{FACTS_FORMAT}\0{FITNESS_VERSION}\0{top!s}".encode())
        self.name = f"affected/facts-{key.hexdigest()[:16]}.json"
        #: How many files the last :meth:`facts` parsed.
        self.parsed = 0

    def facts(self, files: Iterable[ScannedFile]) -> dict[str, FileFacts]:
        racy_since = time.time_ns() - RACY_NS  # (a file changed since: its time says nothing)
        stats: dict[str, tuple[str, int, int]] = {}
        for file in files:
            try:
                info = os.stat(file.path, follow_symlinks=False)
            except OSError:
                continue
            stats[file.relative] = (file.path, info.st_mtime_ns, info.st_size)
        cached = self._load(stats)
        result: dict[str, FileFacts] = {}
        todo: list[str] = []
        for relative, (_path, mtime, size) in stats.items():
            row = cached.get(relative)
            if row is not None and row[0] == mtime and row[1] == size:
                result[relative] = row[2]
            else:
                todo.append(relative)
        if todo:
            paths = [self._checked(stats[r][0]) for r in todo]
            scanned = parse_all(
                _scan_item,
                paths,
                workers=self.workers,
                parallel_from=PARALLEL_FROM,
            )
            for relative, data in zip(todo, scanned, strict=True):
                result[relative] = FileFacts.from_data(data)
            self.parsed = len(todo)
            self._save(
                {
                    r: (None if stats[r][1] >= racy_since else stats[r][1], stats[r][2], result[r])
                    for r in result
                }
            )
        return result

    def _checked(self, path: str) -> str:
        """``path``, or nothing to read (``""``) if it is a link leading out of the repository."""
        if os.path.islink(path):
            target = Path(os.path.realpath(path))
            if not target.is_relative_to(self.top.resolve()):
                return ""
        return path

    def _load(
        self, stats: Mapping[str, tuple[str, int, int]]
    ) -> dict[str, tuple[int, int, FileFacts]]:
        if self.store is None:
            return {}
        limit = size_limit(sum(s[2] for s in stats.values()), len(stats), factor=8)
        raw = self.store.read(self.name, limit=limit)
        if raw is None:
            return {}
        try:
            data = json.loads(raw)
            if data.get("format") != FACTS_FORMAT:
                return {}
            rows: dict[str, tuple[int, int, FileFacts]] = {}
            for relative, (mtime, size, facts) in data["files"].items():
                if relative in stats and type(mtime) is int and type(size) is int:
                    rows[relative] = (mtime, size, FileFacts.from_data(facts))
            return rows
        except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
            return {}

    def _save(self, rows: Mapping[str, tuple[int | None, int, FileFacts]]) -> None:
        """Write the rows; one without a time (a racy file) is parsed again next time."""
        if self.store is None:
            return
        data = {
            "format": FACTS_FORMAT,
            "files": {r: [m, s, f.to_data()] for r, (m, s, f) in sorted(rows.items())},
        }
        self.store.write(self.name, json.dumps(data, separators=(",", ":")).encode())
