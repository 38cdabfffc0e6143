"""Project-local plugins: ``[tool.fitness] plugins = ["myproject.arch_rules"]``.

The modules are imported from the project's directory (and its ``src/``)
without installing the project: those directories are put on ``sys.path``
for the import only. A plugin that is missing or fails on import is a
one-line error, never a traceback.

A plugin is code that runs (like a ``conftest.py``); the code analysed never
is. So a plugin inside the root packages is refused, and so is a module whose
source never mentions fitness (``this``, ``antigravity``), before it is
imported: it provides no rule types, and importing it would only run it. A
module that has no ``fitness_...`` hook once imported is refused too.
What a plugin prints while it is imported goes to stderr, never into a report
on stdout.
"""

from __future__ import annotations

import importlib
import importlib.machinery
import importlib.util
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, redirect_stdout
from pathlib import Path

from fitness.adapters.entry_points import entry_points
from fitness.adapters.paths import name_problem, shown
from fitness.application.plugins import (
    ENTRY_POINT_GROUP,
    InstalledPlugin,
    LocalPlugin,
    PluginOrigin,
    RuleTypeRegistry,
    describe_exception,
    make_plugin_manager,
    rule_type_registry,
)
from fitness.domain.errors import ConfigError, did_you_mean

_SKIPPED_DIRS = {"node_modules", "build", "dist", "site-packages", "__pycache__"}


def load_rule_types(
    plugins: object,
    project_dir: Path | None,
    *,
    load_entry_points: bool = True,
    root_packages: object = (),
    import_local: bool = True,
) -> RuleTypeRegistry:
    """The built-in rule types, those of installed plugins and those of ``plugins``
    (none of them inside ``root_packages``, the code under analysis); without
    ``import_local``, ``plugins`` are validated but not imported (a commit's own code)."""
    names = validate_plugin_names(plugins)
    refuse_analysed_plugins(names, root_packages)
    installed = load_installed_plugins() if load_entry_points else []
    if not names or not import_local:
        return rule_type_registry(make_plugin_manager((), installed))
    with on_sys_path(search_dirs(project_dir)):
        local = import_local_plugins(names, project_dir)
        registry = rule_type_registry(make_plugin_manager(local, installed))
        for info in registry:  # a local plugin's modules are importable only from here
            if info.origin is not None and info.origin.kind == "local":
                info.rule_class  # noqa: B018  (imports it, now)
    return registry


def load_installed_plugins() -> list[InstalledPlugin]:
    """Every plugin of the ``fitness`` entry-point group, loaded.

    A plugin that fails to load is an error naming the entry point and its
    distribution, with the plugin's own error in one line (no traceback).
    """
    plugins = []
    for entry_point in entry_points(ENTRY_POINT_GROUP):
        origin = PluginOrigin(
            entry_point.name,
            "entry point",
            distribution=entry_point.distribution,
            version=entry_point.version,
        )
        try:
            with redirect_stdout(sys.stderr):  # what it prints never lands in a report
                module = entry_point.load()
        except (Exception, SystemExit) as error:
            raise ConfigError(
                f"plugin {origin.label}: cannot load entry point "
                f"'{entry_point.name} = {entry_point.value}': {describe_exception(error)}"
            ) from None
        plugins.append(InstalledPlugin(module, origin))
    return plugins


def validate_plugin_names(plugins: object) -> list[str]:
    if isinstance(plugins, str):
        plugins = [plugins]
    if not isinstance(plugins, list) or not all(isinstance(p, str) for p in plugins):
        raise ConfigError(
            "[tool.fitness]: 'plugins' must be a list of module names", key=("plugins",)
        )
    for name in plugins:
        if not all(part.isidentifier() for part in name.split(".")):
            raise ConfigError(
                f"plugins: '{name}' is not a module name (write it dotted, as in an import: "
                "'myproject.arch_rules', not a path)",
                key=("plugins",),
            )
        problem = name_problem(name.replace(".", os.sep) + ".py", name)  # its file's name
        if problem is not None:
            raise ConfigError(
                f"plugins: '{shown(name)}' cannot be a module's name: {problem}", key=("plugins",)
            )
    return list(dict.fromkeys(plugins))


def refuse_analysed_plugins(names: Sequence[str], root_packages: object) -> None:
    """A plugin inside a root package would run the code under analysis: refused."""
    roots = [root_packages] if isinstance(root_packages, str) else root_packages
    if not isinstance(roots, list | tuple):
        return  # reported where root_packages is validated
    for name in names:
        for root in roots:
            if isinstance(root, str) and (name == root or name.startswith(f"{root}.")):
                raise ConfigError(
                    f"plugins: '{name}' is part of the analysed package '{root}' "
                    "(root_packages): fitness never imports the code it analyses; put the "
                    "rule types in a module outside it (for example arch_rules.py beside "
                    "pyproject.toml)",
                    key=("plugins",),
                )


def import_local_plugins(names: Sequence[str], project_dir: Path | None) -> list[LocalPlugin]:
    search = search_dirs(project_dir)
    plugins = []
    with on_sys_path(search):
        for name in names:
            _forget_if_another_projects(name, search)
            if name not in sys.modules and not _may_provide_rule_types(name):
                raise _no_rule_types(name, imported=False)
            module = _import(name, search)
            if not any(attribute.startswith("fitness_") for attribute in dir(module)):
                raise _no_rule_types(name, imported=True)  # (a misspelt hook: named later)
            plugins.append(LocalPlugin(name, module, _location(name, project_dir)))
    return plugins


def _forget_if_another_projects(name: str, search: list[Path]) -> None:
    """Drop a module of this name imported earlier from elsewhere (another project's
    plugin, in a process that checks several) when this project has its own file for it."""
    module = sys.modules.get(name)
    file = getattr(module, "__file__", None)
    if module is None or not file:
        return
    relative = Path(*name.split("."))
    own = [
        candidate
        for directory in search
        for candidate in (directory / f"{relative}.py", directory / relative / "__init__.py")
        if candidate.is_file()
    ]
    if own and all(Path(file).resolve() != candidate.resolve() for candidate in own):
        for loaded in [m for m in sys.modules if m == name or m.startswith(f"{name}.")]:
            del sys.modules[loaded]
        importlib.invalidate_caches()


#: The hook a plugin module provides.
HOOK = "fitness_rule_types"


def _no_rule_types(name: str, *, imported: bool) -> ConfigError:
    return ConfigError(
        f"plugins: '{name}' provides no rule types (no {HOOK} hook); a plugin is a module "
        f"with a {HOOK}() function that returns its rule classes"
        + ("" if imported else " (it was not imported)"),
        key=("plugins",),
    )


def _may_provide_rule_types(name: str) -> bool:
    """Whether the source of module ``name``, found without importing it, mentions
    fitness at all; ``True`` when it cannot be found (the import then says why)."""
    origin = _find_origin(name)
    if origin is None:
        return True
    if origin in ("built-in", "frozen"):
        return False
    try:
        with open(origin, "rb") as stream:
            return b"fitness" in stream.read()
    except OSError:
        return True


def _find_origin(name: str) -> str | None:
    """The file (or "built-in", "frozen") of module ``name``, looked up along ``sys.path``
    without running any code: a dotted name is followed part by part through its
    packages' directories (``importlib.util.find_spec`` would import the packages)."""

    parts = name.split(".")
    path: list[str] | None = None
    spec = None
    for index in range(len(parts)):
        fullname = ".".join(parts[: index + 1])
        if fullname in sys.modules:
            spec = getattr(sys.modules[fullname], "__spec__", None)
        elif index == 0:
            try:
                spec = importlib.util.find_spec(fullname)  # a top-level name runs nothing
            except (ImportError, ValueError):
                return None
        else:
            spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None:
            return None
        path = list(spec.submodule_search_locations or []) or None
    if spec is None or spec.origin is None:
        return None
    return str(spec.origin)


def search_dirs(project_dir: Path | None) -> list[Path]:
    if project_dir is None:
        return []
    project_dir = project_dir.resolve()
    return [d for d in (project_dir, project_dir / "src") if d.is_dir()]


def _import(name: str, search: list[Path]) -> object:
    try:
        with redirect_stdout(sys.stderr):  # what it prints never lands in a report
            return importlib.import_module(name)
    except ModuleNotFoundError as error:
        if error.name and (name == error.name or name.startswith(error.name + ".")):
            where = ", ".join(str(d) for d in search) or "sys.path"
            hint = did_you_mean(name, _module_names(search, depth=name.count(".") + 1))
            raise ConfigError(
                f"plugins: cannot import plugin '{name}': no module named '{error.name}' "
                f"(looked in {where} and the installed packages){hint}",
                key=("plugins",),
            ) from None
        raise _failed(name, error) from None
    except (Exception, SystemExit) as error:
        raise _failed(name, error) from None


def _failed(name: str, error: BaseException) -> ConfigError:
    return ConfigError(
        f"plugins: plugin '{name}' failed on import: {describe_exception(error)}", key=("plugins",)
    )


def _location(name: str, project_dir: Path | None) -> str:
    module = sys.modules.get(name)
    file = getattr(module, "__file__", None)
    if not file:
        return ""
    path = Path(file)
    if project_dir is not None:
        try:
            return path.resolve().relative_to(project_dir.resolve()).as_posix()
        except ValueError:
            pass
    return str(path)


@contextmanager
def on_sys_path(directories: list[Path]) -> Iterator[None]:
    """Prepend ``directories`` to ``sys.path`` for the block; remove what we added after."""
    added = [str(d) for d in directories if str(d) not in sys.path]
    sys.path[:0] = added
    importlib.invalidate_caches()
    try:
        yield
    finally:
        for entry in added:
            if entry in sys.path:
                sys.path.remove(entry)


def _module_names(roots: list[Path], *, depth: int) -> list[str]:
    """Module names up to ``depth`` dots deep found under ``roots`` (for "did you mean")."""
    names: list[str] = []

    def walk(directory: Path, prefix: str, level: int) -> None:
        try:
            entries = sorted(directory.iterdir())
        except OSError:
            return
        for entry in entries:
            if entry.name.startswith(".") or entry.name in _SKIPPED_DIRS:
                continue
            if entry.is_file() and entry.suffix == ".py" and entry.stem != "__init__":
                names.append(prefix + entry.stem)
            elif entry.is_dir() and entry.name.isidentifier():
                names.append(prefix + entry.name)
                if level < depth and (entry / "__init__.py").is_file():
                    walk(entry, f"{prefix}{entry.name}.", level + 1)

    for root in roots:
        walk(root, "", 1)
    return names
