"""``dependencies``: third-party distributions as architecture.

Every third-party distribution the root packages import must be declared in the
project's metadata; every declared one must be imported; one declared for
development only (a test extra, a dependency group) must not be imported by
production code; and, with ``usage``, a package may use only the distributions it
is allowed (SQLAlchemy in the persistence adapter, nothing in the domain), through
other modules of the project or directly.

The rule is a pure function of the graph (built with external packages: each
third-party top-level package a node, with its import lines) and of the project's
dependency metadata, which the graph carries
(:class:`fitness.domain.dependencies.DependencyMetadata`): what is declared, where,
and which distribution provides each import name, read statically from the
installed distributions' metadata.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from fitness.domain.dependencies import (
    Declaration,
    Declarations,
    DependencyRequest,
    Environment,
    normalise,
)
from fitness.domain.errors import ConfigError, RuleError
from fitness.domain.graph import ProjectGraph, in_package
from fitness.domain.modules import (
    governed_by,
    has_wildcard,
    matching_modules,
)
from fitness.domain.options import option
from fitness.domain.rules.base import Findings, join_names
from fitness.domain.rules.imports.dependency_usage import usage_violations
from fitness.domain.rules.imports.third_party import (
    DeclaredKinds,
    Resolver,
    Site,
    distribution_label,
    is_third_party,
    normalised_keys,
    third_party_sites,
)
from fitness.domain.rules.support import IgnoringRule
from fitness.domain.violations import Chain, Link, Violation

Finding = Literal["undeclared", "unused", "development_only", "usage"]
FINDINGS: tuple[Finding, ...] = ("undeclared", "unused", "development_only", "usage")
#: Extras named for development: their distributions are development-only.
DEVELOPMENT_EXTRAS = ("test", "tests", "dev", "lint", "docs", "typing")
#: Modules inside the root packages that are test code.
TEST_MODULES = ("**.tests", "**.test", "**.conftest")


@dataclass(frozen=True, kw_only=True)
class DependenciesRule(IgnoringRule):
    """Third-party distributions declared, used, development-only where they should be,
    and used only where ``usage`` allows."""

    type_name = "dependencies"
    needs_external_packages = True
    how_to_fix = (
        "Declare each distribution the code imports (development-only ones in a dependency "
        "group or a test extra), remove the declarations nothing imports, and import a "
        "distribution only in the packages usage allows."
    )

    usage: Mapping[str, tuple[str, ...]] | None = option(
        None,
        doc="which packages may use which distributions: a table of package -> "
        "distributions (or import names); a module follows its most specific package, "
        "and modules under no package may use any",
    )
    findings: tuple[Finding, ...] = option(
        FINDINGS,
        doc="what to report: undeclared, unused, development_only (development-only "
        "distributions imported by production code), usage",
    )
    module_distributions: Mapping[str, str] | None = option(
        None,
        doc="the distribution of import names the installed metadata does not tell: a table "
        'such as { yaml = "PyYAML" } (dotted names for parts of a namespace package)',
    )
    requirements_files: tuple[str, ...] = option(
        (),
        doc="requirements files declaring production dependencies, relative to the "
        "configuration file (-r includes are followed)",
    )
    development_requirements_files: tuple[str, ...] = option(
        (), doc="requirements files declaring development-only dependencies"
    )
    development_extras: tuple[str, ...] = option(
        DEVELOPMENT_EXTRAS,
        doc="optional-dependency extras whose distributions are development-only",
    )
    production_groups: tuple[str, ...] = option(
        (),
        doc="dependency groups (PEP 735, Poetry, PDM) whose distributions are production "
        "ones; every other group is development-only",
    )
    test_modules: tuple[str, ...] = option(
        TEST_MODULES,
        doc="test code inside the root packages (with what is under it), which may import "
        "development-only distributions",
    )
    environment: tuple[str, ...] = option(
        (),
        doc="where the distributions are installed: site-packages directories or virtual "
        "environments, relative to the configuration file (default: the running Python's "
        "sys.path)",
    )
    optional_imports: Literal["report", "ignore"] = option(
        "report",
        doc="imports inside try/except ImportError: reported and marked optional, or not "
        "reported as undeclared or development-only",
    )
    ignore_undeclared: tuple[str, ...] = option(
        (), doc="distributions (or import names) not to report as undeclared"
    )
    ignore_unused: tuple[str, ...] = option(
        (), doc="distributions not to report as unused (a plugin, a driver, a server)"
    )
    ignore_development_only: tuple[str, ...] = option(
        (), doc="distributions production code may import though declared for development only"
    )

    def governed_modules(self, graph: ProjectGraph) -> set[str]:
        """The packages ``usage`` places (which frameworks they may use): declarations and
        installed distributions are the project's hygiene, not where its code belongs."""
        if "usage" not in self.findings:
            return set()
        return governed_by(graph, list(self.usage or {}))

    def __post_init__(self) -> None:
        if not self.findings:
            raise ConfigError("option 'findings' must name at least one", key=("findings",))
        for name in self.module_distributions or {}:
            if not all(part.isidentifier() for part in name.split(".")):
                raise ConfigError(
                    f"option 'module_distributions': '{name}' is not an import name",
                    key=("module_distributions",),
                )
        for package in self.usage or {}:
            if not package.strip():
                raise ConfigError("option 'usage': a package name is empty", key=("usage",))

    # The sentence -------------------------------------------------------------------

    def describe(self) -> str:
        musts = {
            "undeclared": "declared when imported",
            "unused": "imported when declared",
            "development_only": "declared for production when production code imports them",
        }
        said = [text for finding, text in musts.items() if finding in self.findings]
        text = f"Third-party distributions must be {join_names(said)}" if said else ""
        if "usage" in self.findings and self.usage:
            allowed = []
            for index, (package, names) in enumerate(self.usage.items()):
                none = "none" if index else "no third-party distribution"
                what = f"only {join_names(names)}" if names else none
                allowed.append(f"{package} {'' if index else 'may use '}{what}")
            usage = ", ".join(allowed)
            text = f"{text}; {usage}" if text else usage
        return text or "Third-party distributions are checked"

    # The check ----------------------------------------------------------------------

    def evaluate(self, graph: ProjectGraph) -> Findings:
        metadata = graph.dependency_metadata()
        if metadata is None:
            raise RuleError(
                "this graph carries no dependency metadata; build it through fitness "
                "(pytest, `fitness check`) or attach it with "
                "ProjectGraph.attach_dependency_metadata()"
            )
        if not graph.include_external_packages:
            raise RuleError(
                "the graph has no external packages; build it with include_external_packages = true"
            )
        full = graph
        graph, ignore_warnings = self.without_ignored_imports(graph)
        request = DependencyRequest(
            self.requirements_files, self.development_requirements_files, self.environment
        )
        declared = metadata.declarations(request)
        environment = metadata.environment(request)
        local = metadata.local_modules() | {root.partition(".")[0] for root in graph.root_packages}
        resolver = Resolver(
            environment,
            self.module_distributions,
            {d.key: d.name for d in declared.declarations},
        )
        sites = third_party_sites(graph, resolver, local)
        kinds = DeclaredKinds(
            declared,
            development_extras=self.development_extras,
            production_groups=self.production_groups,
        )
        warnings = [*ignore_warnings, *declared.notes]

        violations: list[Violation] = []
        if "undeclared" in self.findings or "development_only" in self.findings:
            optional = metadata.optional_import_lines(sorted({s.importer for s in sites}))
            tests = self._test_modules(graph)
            found, stale = self._undeclared_and_development(
                graph, sites, kinds, environment, optional, tests
            )
            violations += found
            warnings += stale
        if "unused" in self.findings:
            used = self._used(
                full, graph, sites, Resolver(environment, self.module_distributions), local
            )
            found, stale = self._unused(declared, kinds, environment, used, graph)
            violations += found
            warnings += stale
        if "usage" in self.findings and self.usage:
            violations += usage_violations(graph, self.usage, sites, declared, environment)
        not_installed = sorted(
            {
                d.name
                for d in declared.declarations
                if kinds.production(d) and environment.get(d.name) is None
            },
            key=normalise,
        )
        if not_installed:
            one = len(not_installed) == 1
            warnings.append(
                f"{len(not_installed)} declared "
                f"{'distribution is' if one else 'distributions are'} not installed where "
                f"fitness runs ({_some(not_installed)}): {'its' if one else 'their'} import "
                "names are guessed from the names; install the project's dependencies to "
                "check them exactly"
            )
        details = {
            "declared_in": list(declared.sources),
            "imports": {
                imported: sorted(
                    {d for s in sites if s.imported == imported for d in s.distributions}
                )
                for imported in sorted({s.imported for s in sites})
            },
        }
        return Findings.of(
            violations, _unique(warnings), details=details, guidance=self._guidance(violations)
        )

    # The imports of third-party names --------------------------------------------------

    def _test_modules(self, graph: ProjectGraph) -> set[str]:
        modules: set[str] = set()
        for expression in self.test_modules:
            if has_wildcard(expression):
                found = matching_modules(graph, expression, option="test_modules")
            else:
                found = {expression} if expression in graph else set()
            for module in found:
                modules |= graph.with_descendants(module)
        return modules

    # Undeclared, and development-only in production --------------------------------------

    def _undeclared_and_development(
        self,
        graph: ProjectGraph,
        sites: list[Site],
        kinds: DeclaredKinds,
        environment: Environment,
        optional: Mapping[str, frozenset[int]],
        tests: set[str],
    ) -> tuple[list[Violation], list[str]]:
        groups: dict[tuple[str, str, str, tuple[str, ...]], list[tuple[Site, bool]]] = {}
        ignored_undeclared: set[str] = set()
        ignored_development: set[str] = set()
        for site in sites:
            is_optional = bool(site.lines) and set(site.lines) <= optional.get(
                site.importer, frozenset()
            )
            if is_optional and self.optional_imports == "ignore":
                continue
            names = {
                normalise(site.imported),
                normalise(site.imported.partition(".")[0]),
                *site.keys,
            }
            if not kinds.declared(site.keys):
                if "undeclared" not in self.findings:
                    continue
                matched = names & normalised_keys(self.ignore_undeclared)
                if matched:
                    ignored_undeclared |= matched
                    continue
                kind = "undeclared"
            elif not kinds.declared_for_production(site.keys) and site.importer not in tests:
                if "development_only" not in self.findings:
                    continue
                matched = names & normalised_keys(self.ignore_development_only)
                if matched:
                    ignored_development |= matched
                    continue
                kind = "development_only"
            else:
                continue
            root = _root_of(graph, site.importer)
            groups.setdefault((kind, root, site.imported, site.distributions), []).append(
                (site, is_optional)
            )
        violations = []
        declared_extras = kinds.declared_extras()
        production_extras = kinds.declared_extras(production_only=True)
        for (kind, root, imported, distributions), found in sorted(groups.items()):
            site = found[0][0]
            label = distribution_label(imported, distributions)
            if kind == "undeclared":
                summary = f"{label} is imported by {root} but not declared"
                if site.guessed:
                    summary += " (no installed distribution provides it)"
                else:
                    because = _transitive(environment, distributions, declared_extras)
                    if because:
                        summary += f" (transitive: {because})"
            else:
                sections = kinds.development_sections(site.keys)
                summary = (
                    f"{label} is declared for development only ({sections}) but imported by "
                    f"production code of {root}"
                )
                because = _transitive(environment, distributions, production_extras)
                if because:  # it works in production, by chance
                    summary += f" (in production, {because})"
            if all(is_optional for _, is_optional in found):
                summary += "; only in optional imports (try/except ImportError)"
            chains = tuple(
                Chain(
                    (
                        Link(
                            s.importer,
                            s.imported,
                            s.lines,
                            graph.file_of(s.importer),
                            s.code.strip(),
                        ),
                    )
                )
                for s, _ in found
            )
            violations.append(Violation(root, imported, summary, chains))
        stale = []
        if "undeclared" in self.findings:
            stale += self._stale("ignore_undeclared", self.ignore_undeclared, ignored_undeclared)
        if "development_only" in self.findings:
            stale += self._stale(
                "ignore_development_only", self.ignore_development_only, ignored_development
            )
        return violations, stale

    # Unused ------------------------------------------------------------------------------

    def _used(
        self,
        full: ProjectGraph,
        graph: ProjectGraph,
        sites: list[Site],
        resolver: Resolver,
        local: Collection[str],
    ) -> set[str]:
        """The distributions the root packages import (normalised), ignored and suppressed
        imports included: they are imports all the same."""
        used = {key for site in sites for key in site.keys}
        used |= {normalise(site.imported.partition(".")[0]) for site in sites}
        removed = set(graph.removed_imports) | set(full.removed_imports)
        for importer, imported in sorted(removed):
            if full.is_internal(importer) and is_third_party(full, imported, local):
                distributions, _ = resolver.distributions([imported])
                used |= {normalise(d) for d in distributions} | {normalise(imported)}
        # A dynamic import of a name written in full (importlib.import_module("yaml")).
        for dynamic in full.dynamic_imports:
            top = dynamic.target.partition(".")[0]
            if top and top.isidentifier() and is_third_party(full, top, local):
                distributions, _ = resolver.distributions([dynamic.target])
                used |= {normalise(d) for d in distributions} | {normalise(top)}
        return used

    def _unused(
        self,
        declared: Declarations,
        kinds: DeclaredKinds,
        environment: Environment,
        used: set[str],
        graph: ProjectGraph,
    ) -> tuple[list[Violation], list[str]]:
        by_key: dict[str, list[Declaration]] = {}
        for declaration in declared.declarations:
            if kinds.production(declaration):
                by_key.setdefault(declaration.key, []).append(declaration)
        ignored = normalised_keys(self.ignore_unused)
        matched: set[str] = set()
        violations = []
        roots = join_names(graph.root_packages)
        for key, declarations in sorted(by_key.items()):
            if key in used:
                continue
            installed = environment.get(key)
            if key in ignored:
                matched.add(key)
                continue
            first = declarations[0]
            sections = join_names(sorted({d.section for d in declarations}))
            summary = f"{first.name} is declared ({sections}) but never imported by {roots}"
            if installed is not None and not installed.top_level:
                summary += " (it installs no module that can be imported)"
            names = installed.top_level if installed else (key.replace("-", "_"),)
            dynamic = _dynamic_import_of(graph, names)
            if dynamic:
                summary += f" (unless the dynamic import at {dynamic} imports it)"
            chains = tuple(
                Chain(
                    (Link(d.file, d.name, (d.line,) if d.line else (), d.file, d.code, "declare"),)
                )
                for d in declarations
            )
            violations.append(Violation(first.file, first.name, summary, chains))
        return violations, self._stale("ignore_unused", self.ignore_unused, matched)

    # Messages ----------------------------------------------------------------------------

    def _stale(self, option_name: str, entries: Iterable[str], matched: set[str]) -> list[str]:
        stale = [e for e in entries if normalise(e) not in matched]
        if not stale or self.unmatched_ignore_imports_alerting == "none":
            return []
        messages = [f"{option_name}: '{e}' ignores nothing; remove it" for e in stale]
        if self.unmatched_ignore_imports_alerting == "error":
            raise RuleError(
                "\n".join(messages)
                + '\n(remove the stale entry, or set unmatched_ignore_imports_alerting = "warn")'
            )
        return messages

    def _guidance(self, violations: list[Violation]) -> str:
        if self.broken_contract_guidance:
            return ""
        said = {v.summary for v in violations}
        advice = []
        if any(" but not declared" in s for s in said):
            advice.append(
                "declare each undeclared distribution (in a dependency group or a test extra "
                "if only tests import it)"
            )
        if any(" for development only " in s for s in said):
            advice.append(
                "move a development-only distribution that production code imports to the "
                "project's dependencies, or the import into test code"
            )
        if any(" but never imported " in s for s in said):
            advice.append(
                "remove the declarations nothing imports, or list the ones used without an "
                "import (plugins, drivers, servers) in ignore_unused"
            )
        if any("; it may use " in s for s in said):
            advice.append(
                "import a distribution only where usage allows it: behind a port, in the "
                "package that may use it"
            )
        if not advice:
            return ""
        text = "; ".join(advice)
        return text[0].upper() + text[1:] + "."


_FORMATTED = re.compile(r"""\bf(["'])([A-Za-z_][\w.]*)\{""")


def _dynamic_import_of(graph: ProjectGraph, names: Iterable[str]) -> str:
    """Where a dynamic import whose target is built at run time from a written prefix
    (``import_module(f"tree_sitter_{name}")``) could import one of ``names``, or ``""``."""
    for dynamic in graph.dynamic_imports:
        if dynamic.target:
            continue
        match = _FORMATTED.search(dynamic.code)
        if match and any(name.startswith(match.group(2)) for name in names):
            return dynamic.location
    return ""


def _root_of(graph: ProjectGraph, module: str) -> str:
    return next((root for root in graph.root_packages if in_package(module, root)), module)


def _transitive(
    environment: Environment,
    distributions: tuple[str, ...],
    declared: Mapping[str, tuple[str, ...]],
) -> str:
    """``installed because httpx requires it`` (or through several), or ``""``."""
    for distribution in distributions:
        chain = environment.why_installed(distribution, declared)
        if chain is None:
            continue
        if len(chain) == 2:
            return f"installed because {chain[0]} requires it"
        steps = ", which requires ".join(chain[1:-1])
        return f"installed because {chain[0]} requires {steps}, which requires it"
    return ""


def _some(names: list[str], shown: int = 5) -> str:
    if len(names) <= shown:
        return ", ".join(names)
    return f"{', '.join(names[:shown])} and {len(names) - shown} more"


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))
