"""import-linter's own contract classes, run as fitness rules.

A contract type that fitness does not implement natively (one a project
registers in ``contract_types``, or an import-linter built-in without a native
rule) is checked by import-linter's class itself, wrapped in
:class:`ImportLinterContractRule`. The wrapper lives in the adapters because it
imports import-linter, which is an optional dependency: it is needed at run
time only for such contracts, and its absence is reported by naming the
contract.

The contract's :class:`~importlinter.domain.contract.ContractCheck` is turned
into violations from its metadata when the metadata has one of import-linter's
known shapes (chains, layer dependencies, illegal imports, cycle breakers);
otherwise the contract's own ``render_broken_contract`` output, captured as
text, is the violation.
"""

from __future__ import annotations

import contextlib
import copy
import importlib
import io
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from fitness.domain.errors import ConfigError, RuleError
from fitness.domain.graph import ProjectGraph
from fitness.domain.options import option
from fitness.domain.rules.base import Findings, Rule
from fitness.domain.violations import Chain, Link, Violation

#: import-linter's built-in contract types and their classes (import-linter 2.x).
IMPORTLINTER_BUILTIN_TYPES: dict[str, str] = {
    "forbidden": "importlinter.contracts.forbidden.ForbiddenContract",
    "layers": "importlinter.contracts.layers.LayersContract",
    "independence": "importlinter.contracts.independence.IndependenceContract",
    "protected": "importlinter.contracts.protected.ProtectedContract",
    "private_modules": "importlinter.contracts.private_modules.PrivateModulesContract",
    "acyclic_siblings": "importlinter.contracts.acyclic_siblings.AcyclicSiblingsContract",
}

INSTALL_HINT = "pip install 'pytest-fitness[importlinter]'"


@dataclass(frozen=True, kw_only=True)
class ImportLinterContractRule(Rule):
    """An import-linter contract, checked by import-linter's own contract class."""

    type_name = "importlinter"
    how_to_fix = ""

    contract_type: str = option(doc="the contract's type, as written in the configuration")
    class_path: str = option(doc="the contract class, 'package.module.ClassName'")
    contract_options: Mapping[str, Any] = field(
        default_factory=dict, compare=False, hash=False, repr=False
    )
    session_options: Mapping[str, Any] = field(
        default_factory=dict, compare=False, hash=False, repr=False
    )
    #: Where the project's own contract classes are imported from (its directory).
    import_paths: tuple[str, ...] = ()

    def describe(self) -> str:
        return (
            f"import-linter contract of type '{self.contract_type}' "
            f"({self.class_path}) must be kept"
        )

    def contract(self) -> Any:
        """A fresh instance of the contract class, built from the contract's options.

        Raises :class:`RuleError` naming the contract when import-linter is not
        installed, and :class:`ConfigError` when the class cannot be imported or
        rejects the options.
        """
        try:
            import importlinter  # noqa: F401  (an optional dependency)
        except ImportError:
            raise RuleError(
                f"contract '{self.name}' has type '{self.contract_type}', which runs through "
                f"import-linter's own contract class ({self.class_path}), but import-linter "
                f"is not installed; install it with: {INSTALL_HINT}"
            ) from None
        from importlinter.domain.contract import (  # (optional dependency: only for its contracts)
            Contract,
            InvalidContractOptions,
        )

        contract_class = self._import_class()
        if not (isinstance(contract_class, type) and issubclass(contract_class, Contract)):
            raise ConfigError(
                f"contract type '{self.contract_type}': {self.class_path} is not a subclass "
                "of importlinter.Contract",
                key=("type",),
            )
        try:
            return contract_class(
                name=self.name,
                session_options=copy.deepcopy(dict(self.session_options)),
                contract_options=copy.deepcopy(dict(self.contract_options)),
            )
        except InvalidContractOptions as error:
            key, message = sorted(error.errors.items())[0]
            others = len(error.errors) - 1
            more = f" (and {others} more)" if others else ""
            raise ConfigError(
                f"contract '{self.name}': option '{key}': {message}{more}", key=(key,)
            ) from None
        except (ValueError, TypeError) as error:
            raise ConfigError(f"contract '{self.name}': {error}", key=()) from None

    def _import_class(self) -> Any:
        module_name, _, class_name = self.class_path.rpartition(".")
        if not module_name or not class_name:
            raise ConfigError(
                f"contract type '{self.contract_type}': '{self.class_path}' is not a "
                "'package.module.ClassName' path",
                key=("type",),
            )
        with _on_sys_path(self.import_paths):
            try:
                module = importlib.import_module(module_name)
            except ImportError as error:
                raise ConfigError(
                    f"contract type '{self.contract_type}': cannot import '{module_name}': {error}",
                    key=("type",),
                ) from None
        try:
            return getattr(module, class_name)
        except AttributeError:
            raise ConfigError(
                f"contract type '{self.contract_type}': module '{module_name}' has no "
                f"class '{class_name}'",
                key=("type",),
            ) from None

    def evaluate(self, graph: ProjectGraph) -> Findings:
        try:
            contract = self.contract()
        except RuleError:
            raise
        except ConfigError as error:
            raise RuleError(error.message) from None
        _configure_importlinter()
        try:
            check = contract.check(copy.deepcopy(graph.grimp), verbose=False)
        except Exception as error:  # A contract's own error: report it, never a traceback.
            raise RuleError(
                f"contract '{self.name}' could not be checked: {type(error).__name__}: {error}"
            ) from None
        warnings = tuple(str(w) for w in getattr(check, "warnings", ()) or ())
        if check.kept:
            return Findings.of((), warnings)
        violations = violations_from_metadata(graph, check.metadata)
        if not violations:
            text = render_broken_contract(contract, check)
            violations = [
                Violation(importer="", imported="", summary=text or "the contract is broken")
            ]
        return Findings.of(violations, warnings)


def _configure_importlinter() -> None:
    """Give import-linter the settings its contracts may use (a timer, a file system),
    as ``lint-imports`` does before it checks them."""
    from importlinter.application.app_config import (
        settings,  # (optional dependency: only for its contracts)
    )

    try:
        settings.TIMER  # noqa: B018  (configured already?)
    except KeyError:
        from importlinter.configuration import (
            configure,  # (optional dependency: only for its contracts)
        )

        configure()


def render_broken_contract(contract: Any, check: Any) -> str:
    """What the contract's ``render_broken_contract`` prints, as plain text."""
    from importlinter.application import output  # (optional dependency: only for its contracts)
    from rich.console import Console  # (optional dependency: only for its contracts)

    buffer = io.StringIO()
    console = Console(file=buffer, highlight=False, color_system=None, width=100, soft_wrap=True)
    previous = output.console
    output.console = console
    try:
        contract.render_broken_contract(check)
    except Exception as error:  # A broken renderer must not hide the verdict.
        return f"(the contract's render_broken_contract failed: {type(error).__name__}: {error})"
    finally:
        output.console = previous
    return "\n".join(line.rstrip() for line in buffer.getvalue().strip("\n").splitlines())


def violations_from_metadata(graph: ProjectGraph, metadata: Mapping[str, Any]) -> list[Violation]:
    """Violations from a ContractCheck's metadata, for the shapes import-linter's contracts use;
    ``[]`` when the shape is unknown (the caller then falls back to the rendered text)."""
    try:
        return list(_violations(graph, metadata))
    except (KeyError, TypeError, AttributeError, ValueError, IndexError):
        return []


def _violations(graph: ProjectGraph, metadata: Mapping[str, Any]) -> Iterator[Violation]:
    if not isinstance(metadata, Mapping):
        return
    for data in metadata.get("invalid_chains") or ():  # forbidden, independence
        importer, imported = data["downstream_module"], data["upstream_module"]
        yield _violation(graph, importer, imported, data["chains"])
    for data in metadata.get("invalid_dependencies") or ():  # layers
        yield _violation(graph, data["importer"], data["imported"], data["routes"])
    for module in sorted(metadata.get("undeclared_modules") or ()):  # layers, exhaustive
        name = str(module)
        yield Violation(
            importer=name,
            imported="",
            summary=f"{name} is not declared as a layer (the contract is exhaustive)",
        )
    for data in metadata.get("illegal_imports") or ():  # private_modules, protected
        links = getattr(data, "illegal_links", None)
        for link in links if links is not None else [data]:
            importer, imported = link["importer"], link["imported"]
            yield Violation(
                importer=importer,
                imported=imported,
                summary=f"{importer} is not allowed to import {imported}",
                chains=(Chain((Link.of(graph, importer, imported),)),),
            )
    breakers = metadata.get("cycle_breakers_by_package") or {}
    for package, imports in sorted(breakers.items()):  # acyclic_siblings
        for importer, imported in sorted(imports):
            yield Violation(
                importer=importer,
                imported=imported,
                summary=f"{importer} -> {imported} closes an import cycle among the "
                f"children of {package}",
                chains=(Chain((Link.of(graph, importer, imported),)),),
            )


def _violation(
    graph: ProjectGraph, importer: str, imported: str, chains: Iterable[Any]
) -> Violation:
    return Violation(
        importer=importer,
        imported=imported,
        summary=f"{importer} is not allowed to import {imported}",
        chains=tuple(sorted(_chain(graph, data) for data in chains)),
    )


def _chain(graph: ProjectGraph, data: Any) -> Chain:
    """A chain from import-linter's ``Chain`` (a list of links) or ``DetailedChain``."""
    if isinstance(data, Mapping):
        return Chain(
            links=tuple(_link(graph, link) for link in data["chain"]),
            extra_firsts=tuple(_link(graph, link) for link in data.get("extra_firsts") or ()),
            extra_lasts=tuple(_link(graph, link) for link in data.get("extra_lasts") or ()),
        )
    return Chain(tuple(_link(graph, link) for link in data))


def _link(graph: ProjectGraph, link: Mapping[str, Any]) -> Link:
    return Link.of(graph, str(link["importer"]), str(link["imported"]))


@contextlib.contextmanager
def _on_sys_path(paths: Iterable[str]) -> Iterator[None]:
    """The project's directory on ``sys.path`` while its contract classes are imported
    (import-linter's command puts the working directory there)."""
    added = [p for p in paths if p not in sys.path]
    sys.path[:0] = added
    try:
        yield
    finally:
        for path in added:
            with contextlib.suppress(ValueError):
                sys.path.remove(path)
