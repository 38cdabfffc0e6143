"""What the import graph does not record, read from the same bytes as the limits check:
dynamic imports, inline suppressions and ``__main__`` blocks (:class:`FileFacts`); and,
when asked, which imports of a module are made inside a function or under
``if TYPE_CHECKING:`` (:func:`read_import_contexts`).

Each source file that grimp is to parse is read once in Python (never imported): its
limits are checked (:mod:`fitness.adapters.source_limits`) and its facts read here,
cached with its imports. Dynamic imports are looked for in the files that mention
``import_module`` or ``__import__``, skipping strings and comments.

A new fact gathered file by file is a field of :class:`FileFacts`, read here in
:func:`scan_file` (from the bytes, told cheaply when a file has none), and cached by
``fitness.adapters.graph_cache.encode_facts`` and ``decode_facts``.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Mapping

from fitness.adapters.main_blocks import main_block_lines
from fitness.adapters.nested_imports import INDENTED_IMPORT, STRINGS_AND_COMMENTS, FileContexts
from fitness.adapters.source_files import RefusedFile, SourceFile
from fitness.adapters.source_limits import check_source, read_source
from fitness.domain.source_facts import (
    MAX_QUOTE,
    DynamicImport,
    FileFacts,
    shorten,
)
from fitness.domain.suppressions import MARKER, parse_suppressions

_DYNAMIC_NAMES = ("import_module", "__import__")
#: In both of ``_DYNAMIC_NAMES``.
_DYNAMIC_WORD = b"import_"
_MARKER = MARKER.encode()
_MAIN = b"__main__"
NO_FACTS = FileFacts()


def read_facts(
    files: Iterable[SourceFile], shown: Mapping[str, str], *, max_file_size: int | None
) -> dict[str, FileFacts]:
    """Read each file once: refuse it if grimp would choke on it (a :class:`RefusedFile`),
    else read its facts. ``shown``: each module's file as messages show it. Returns the
    facts of the files that have any, by module."""
    facts = {}
    for file in files:
        data = read_source(file.path, max_file_size)
        check_source(file.path, data)
        found = scan_file(file.module, shown.get(file.module, file.path), data)
        if found is not NO_FACTS:
            facts[file.module] = found
    return facts


def scan_file(module: str, file: str, data: bytes) -> FileFacts:
    """The facts of one source file (:data:`NO_FACTS` for most: those that mention no
    dynamic import, suppression or ``__main__``, told without decoding them)."""
    marked = _MARKER in data
    dynamic = _DYNAMIC_WORD in data
    main = _MAIN in data
    if not (marked or dynamic or main):
        return NO_FACTS
    text = data.decode("utf-8", errors="replace")
    suppressions = tuple(parse_suppressions(module, file, text)) if marked else ()
    dynamic_imports: tuple[DynamicImport, ...] = ()
    if dynamic and any(name in text for name in _DYNAMIC_NAMES):
        dynamic_imports = tuple(find_dynamic_imports(module, file, text))
    main_blocks = tuple(main_block_lines(text)) if main else ()
    if not (suppressions or dynamic_imports or main_blocks):
        return NO_FACTS
    return FileFacts(dynamic_imports, suppressions, main_blocks)


def read_import_contexts(path: str, *, max_file_size: int | None) -> Mapping[int, str]:
    """Where the imports of the file at ``path`` are made, by line, read now and walked
    line by line as asked (:class:`FileContexts`): asked only for the modules a message
    or ``exclude_function_level_imports`` needs (a file without an indented import is
    not decoded). A file that cannot be read again says nothing: its imports keep no
    mark, and are all kept."""
    try:
        data = read_source(path, max_file_size)
    except RefusedFile:
        return {}
    if INDENTED_IMPORT.search(data) is None:
        return {}
    return FileContexts(data.decode("utf-8", errors="replace"))


# The calls, and the strings and comments to skip, are found separately and walked
# in step: the calls by looking for the words they start with (``str.find``), the
# strings and comments by a C regular expression that starts with a quote or ``#``
# (so the engine jumps to the next one). The findings are those of one scan with
# all three as alternatives, without trying each alternative at every character.
_CALL = re.compile(r"\b(?:importlib\s*\.\s*)?(?:import_module|__import__)\s*\(")
#: Every match of ``_CALL`` starts with one of these.
_CALL_WORDS = ("importlib", "import_module", "__import__")
_SKIPPED = STRINGS_AND_COMMENTS
_DEFINITION = re.compile(r"\bdef\s+$")


def _next_call(text: str, pos: int, words: list[int]) -> re.Match[str] | None:
    """``_CALL.search(text, pos)``, trying ``_CALL`` only where one of ``_CALL_WORDS``
    starts. ``words`` holds the next start of each word at or after some earlier
    ``pos`` (-1: none), and is updated."""
    while True:
        for i, word in enumerate(_CALL_WORDS):
            if 0 <= words[i] < pos:
                words[i] = text.find(word, pos)
        candidates = [w for w in words if w >= 0]
        if not candidates:
            return None
        start = min(candidates)
        match = _CALL.match(text, start)
        if match is not None:
            return match
        pos = start + 1


def _calls_in_code(text: str) -> list[tuple[int, int]]:
    """Where the calls start and end that are not inside a string or a comment.

    A string's prefix (``r``, ``b``, ``f``...) is left out of ``_SKIPPED``: no call
    starts with one of those letters, so skipping from the quote skips the same text.
    """
    spans: list[tuple[int, int]] = []
    pos = 0
    words = [text.find(word) for word in _CALL_WORDS]
    call: re.Match[str] | None = None
    skipped: re.Match[str] | None = None
    while True:
        if call is None or call.start() < pos:
            call = _next_call(text, pos, words)
            if call is None:
                return spans
        if skipped is None or skipped.start() < pos:
            skipped = _SKIPPED.search(text, pos)
        if skipped is not None and skipped.start() < call.start():
            pos = skipped.end()  # a string or comment comes first: what is in it is not code
        else:
            spans.append(call.span())
            pos = call.end()


def find_dynamic_imports(module: str, file: str, text: str) -> list[DynamicImport]:
    """Calls of ``importlib.import_module(...)``, ``import_module(...)`` and ``__import__(...)``
    in code: not in strings or comments, and not the definition of such a function. Each
    has its target when it is known from literals (:func:`_target`)."""
    found = []
    importlib_bound = _imports_import_module(text)
    package = module if file.endswith("__init__.py") else module.rpartition(".")[0]
    for start, end in _calls_in_code(text):
        if _DEFINITION.search(text, text.rfind("\n", 0, start) + 1, start):
            continue
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", start)
        number = text.count("\n", 0, start) + 1
        target = _target(text, start, end, package, importlib_bound)
        # The line as numbered, by "\n" (str.splitlines also splits at a form feed and
        # other separators, and quoted another line), shortened: it may be megabytes.
        line = text[line_start : line_end if line_end >= 0 else len(text)]
        code = shorten(line.strip(), MAX_QUOTE)
        found.append(DynamicImport(module, file, number, code, target))
    return found


#: ``from importlib import import_module`` (in parentheses too): what makes a bare
#: ``import_module(...)`` call importlib's. It starts with its word, not with ``\b``:
#: a pattern that starts with a literal is searched for at C speed, one that starts
#: with ``\b`` is tried at every character (40 times slower on SymPy's files); the
#: boundary is checked by :func:`_imports_import_module`.
_FROM_IMPORTLIB = re.compile(r"from\s+importlib\s+import\s+(?:\([^)]*|[^\n;]*)\bimport_module\b")
_WORD_CHARACTER = re.compile(r"\w")


def _imports_import_module(text: str) -> bool:
    """Whether ``text`` has ``from importlib import import_module`` (``\bfrom...``)."""
    position = 0
    while (found := _FROM_IMPORTLIB.search(text, position)) is not None:
        start = found.start()
        if start == 0 or _WORD_CHARACTER.match(text, start - 1) is None:
            return True
        position = start + 1
    return False


#: How far a call's arguments are looked for (a call longer than this is not resolved).
_MAX_CALL = 4096


def _target(text: str, start: int, end: int, package: str, importlib_bound: bool) -> str:
    """The module a call imports, absolute, when literals say it, else ``""``:
    ``import_module("a.b")``, ``import_module(".b", "a")`` (or ``package=__package__``),
    ``__import__("a.b")`` (level 0). A bare ``import_module`` counts only where the file
    imports it from importlib (it could be any function of that name)."""
    call = text[start:end]
    is_import = "__import__" in call
    if not is_import and not call.lstrip().startswith("importlib") and not importlib_bound:
        return ""
    arguments = _arguments(text, end)
    if arguments is None:
        return ""
    try:
        node = ast.parse(f"f({arguments})", mode="eval").body
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return ""
    assert isinstance(node, ast.Call)
    if any(isinstance(a, ast.Starred) for a in node.args) or any(
        k.arg is None for k in node.keywords
    ):
        return ""
    given = dict(enumerate(node.args))
    keywords = {k.arg: k.value for k in node.keywords}
    name = _literal(given.get(0, keywords.get("name")), package)
    if not isinstance(name, str) or not name:
        return ""
    if is_import:  # __import__(name, globals, locals, fromlist, level)
        level = given.get(4, keywords.get("level"))
        if name.startswith(".") or not (level is None or _literal(level, package) == 0):
            return ""
        return name if _is_dotted(name) else ""
    if name.startswith("."):
        base = _literal(given.get(1, keywords.get("package")), package)
        return _absolute(name, base) if isinstance(base, str) and _is_dotted(base) else ""
    return name if _is_dotted(name) else ""


def _literal(node: ast.expr | None, package: str) -> str | int | None:
    """A string or integer literal's value; ``__package__`` is the module's package."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str | int):
        return node.value
    if isinstance(node, ast.Name) and node.id == "__package__" and package:
        return package
    return None


def _absolute(name: str, package: str) -> str:
    """``importlib``'s resolution of a relative ``name`` in ``package`` (``""`` beyond the
    top-level package)."""
    level = len(name) - len(name.lstrip("."))
    bits = package.rsplit(".", level - 1)
    if len(bits) < level:
        return ""
    rest = name[level:]
    target = f"{bits[0]}.{rest}" if rest else bits[0]
    return target if _is_dotted(target) else ""


def _is_dotted(name: str) -> bool:
    return all(part.isidentifier() for part in name.split("."))


def _arguments(text: str, start: int) -> str | None:
    """The text between the parenthesis before ``start`` and the one that closes it
    (strings and comments skipped), or None if it does not close soon."""
    depth = 1
    position = start
    limit = min(len(text), start + _MAX_CALL)
    while position < limit:
        character = text[position]
        if character in "([{":
            depth += 1
        elif character in ")]}":
            depth -= 1
            if depth == 0:
                return text[start:position]
        elif character in "\"'#":
            skipped = _SKIPPED.match(text, position)
            if skipped is None:
                return None
            position = skipped.end()
            continue
        position += 1
    return None
