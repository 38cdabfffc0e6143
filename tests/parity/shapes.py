"""Packages of other shapes, and configurations import-linter refuses, for the parity test.

Each :class:`Subject` is a set of root packages (real ones from PyPI, or a small
project written by the test: a src layout, portions of namespace packages) with
contracts of every type and option. Each :class:`Refusal` is a configuration
with one contract (or a session) on the src layout: in :data:`REFUSALS`, one that
import-linter reports as an error (fitness must report an error too, never crash,
never pass it); in :data:`ODDITIES`, an unusual one import-linter accepts (fitness
must give its verdict).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# --- projects written by the test --------------------------------------------------------

#: A src layout (``src/shop``): fitness finds ``src/`` itself; import-linter needs it on
#: ``sys.path``.
SHOP_SRC: dict[str, str] = {
    "src/shop/__init__.py": "",
    "src/shop/domain/__init__.py": "",
    "src/shop/domain/model.py": "from shop.domain import _money\nimport decimal\n",
    "src/shop/domain/_money.py": "",
    "src/shop/domain/events.py": "import shop.adapters.web\n",
    "src/shop/application/__init__.py": "",
    "src/shop/application/services.py": (
        "from shop.domain import model\nfrom shop.domain._money import Money\n"
    ),
    "src/shop/adapters/__init__.py": "",
    "src/shop/adapters/db.py": "import sqlite3\nimport shop.application.services\n",
    "src/shop/adapters/web.py": "import shop.adapters.db\nimport requests.sessions\n",
    "src/shop/adapters/cli.py": "import shop.domain.model\n",
}

#: Portions of the namespace packages ``company`` and ``company.team``, in two directories
#: (two distributions): the service in ``src/``, billing in ``vendor/``.
NAMESPACE: dict[str, str] = {
    "src/company/team/service/__init__.py": "",
    "src/company/team/service/api.py": (
        "import company.team.service.core\nimport company.team.billing.invoices\n"
    ),
    "src/company/team/service/core.py": "from . import util\n",
    "src/company/team/service/util.py": "import company.team.billing\nimport json\n",
    "src/company/team/service/_cache.py": "from .core import thing\n",
    "vendor/company/team/billing/__init__.py": "",
    "vendor/company/team/billing/invoices.py": (
        "from company.team.service import core\nfrom company.team.service import _cache\n"
        "import attr\n"
    ),
    "vendor/company/team/billing/ledger.py": "from .invoices import Invoice\n",
}


@dataclass(frozen=True)
class Subject:
    id: str
    root_packages: tuple[str, ...]
    contracts: list[dict[str, Any]]
    #: Files written into the project (``None``: the packages from PyPI).
    files: dict[str, str] | None = None
    #: Directories of the project that import-linter needs on ``sys.path`` (``src``...).
    paths: tuple[str, ...] = ()
    include_external_packages: bool = True


PYPI = Subject(
    "pypi",
    ("httpx", "rich", "attr", "attrs"),
    [
        # --- layers ----------------------------------------------------------------------
        {
            "id": "httpx-stack",
            "type": "layers",
            "layers": ["httpx._api", "httpx._client", "httpx._models", "httpx._urls"],
        },
        {
            "id": "httpx-transports",
            "type": "layers",
            "containers": ["httpx._transports"],
            "layers": ["default | asgi | wsgi", "mock", "(missing)", "base"],
            "exhaustive": True,
            "exhaustive_ignores": ["__init__"],
        },
        {
            "id": "rich-render",
            "type": "layers",
            "layers": [
                "rich.console",
                "rich.text | rich.segment",
                "rich.style : rich.color",
            ],
            "ignore_imports": ["rich.text->rich.console", "rich.**  ->  rich.jupyter"],
            "unmatched_ignore_imports_alerting": "warn",
        },
        {
            "id": "attrs-over-attr",
            "type": "layers",
            "layers": ["attrs", "attr"],
        },
        # --- forbidden -------------------------------------------------------------------
        {
            "id": "rich-no-httpx",
            "type": "forbidden",
            "source_modules": ["rich"],
            "forbidden_modules": ["httpx", "attr", "pygments"],
        },
        {
            "id": "rich-console-direct",
            "type": "forbidden",
            "source_modules": ["rich.console", "rich.text"],
            "forbidden_modules": ["rich.markdown", "rich.syntax", "rich.pretty"],
            "allow_indirect_imports": True,
        },
        {
            "id": "httpx-not-as-packages",
            "type": "forbidden",
            "source_modules": ["httpx._transports.*"],
            "forbidden_modules": ["httpx._client", "httpcore"],
            "as_packages": False,
            "ignore_imports": ["httpx._transports.default -> httpcore"],
            "unmatched_ignore_imports_alerting": "none",
        },
        # --- independence ----------------------------------------------------------------
        {
            "id": "rich-widgets",
            "type": "independence",
            "modules": ["rich.table", "rich.tree", "rich.progress", "rich.panel"],
        },
        {
            "id": "httpx-transports-independent",
            "type": "independence",
            "modules": ["httpx._transports.*"],
            "ignore_imports": [
                "httpx._transports.*->httpx._transports.base",
                "httpx._transports.mock -> httpx._transports.wsgi",
            ],
            "unmatched_ignore_imports_alerting": "warn",
            "broken_contract_guidance": "Share code through httpx._transports.base.",
        },
        # --- protected -------------------------------------------------------------------
        {
            "id": "rich-protected-cells",
            "type": "protected",
            "protected_modules": ["rich._cell_widths", "rich._loop"],
            "allowed_importers": ["rich.cells", "rich.console"],
            "as_packages": False,
        },
        {
            "id": "httpx-protected-transports",
            "type": "protected",
            "protected_modules": ["httpx._transports"],
            "allowed_importers": ["httpx._client", "httpx"],
            "ignore_imports": ["httpx._main -> httpx._transports.**", "httpx._api->httpx._x"],
            "unmatched_ignore_imports_alerting": "none",
            "broken_contract_guidance": "Go through httpx.Client.",
        },
        {
            "id": "stale-allowed-importer",  # issue 11 H: import-linter keeps the contract
            "type": "protected",
            "protected_modules": ["rich._cell_widths"],
            "allowed_importers": ["rich.cells", "rich.no_longer_here"],
            "as_packages": False,
        },
        # --- private_modules -------------------------------------------------------------
        {
            "id": "httpx-private",
            "type": "private_modules",
            "packages_with_private_modules": ["httpx"],
        },
        {
            "id": "rich-attr-private",
            "type": "private_modules",
            "packages_with_private_modules": ["rich", "attr"],
            "ignore_imports": ["rich.console -> rich._loop", "rich.*->rich._null_file"],
            "unmatched_ignore_imports_alerting": "warn",
        },
        # --- acyclic_siblings ------------------------------------------------------------
        {
            "id": "rich-acyclic",
            "type": "acyclic_siblings",
            "ancestors": ["rich"],
        },
        {
            "id": "httpx-acyclic",
            "type": "acyclic_siblings",
            "ancestors": ["httpx", "attr"],
            "depth": 1,
            "skip_descendants": ["httpx._transports"],
            "ignore_imports": ["httpx._client -> httpx._models"],
            "unmatched_ignore_imports_alerting": "none",
        },
    ],
)

JARACO = Subject(
    "namespace-pypi",
    ("jaraco.text", "jaraco.functools"),
    [
        {
            "id": "text-over-functools",
            "type": "layers",
            "layers": ["jaraco.text", "jaraco.functools"],
        },
        {
            "id": "functools-under-text",
            "type": "layers",
            "layers": ["jaraco.functools", "jaraco.text"],
        },
        {
            "id": "independent-portions",
            "type": "independence",
            "modules": ["jaraco.text", "jaraco.functools"],
        },
        {
            "id": "functools-no-text",
            "type": "forbidden",
            "source_modules": ["jaraco.functools"],
            "forbidden_modules": ["jaraco.text", "more_itertools"],
        },
        {
            "id": "text-acyclic",
            "type": "acyclic_siblings",
            "ancestors": ["jaraco.text", "jaraco.functools"],
        },
    ],
)

SRC_LAYOUT = Subject(
    "src-layout",
    ("shop",),
    [
        {
            "id": "layers",
            "type": "layers",
            "layers": ["shop.adapters", "shop.application", "shop.domain"],
        },
        {
            "id": "layers-ignored",
            "type": "layers",
            "layers": ["shop.adapters", "shop.application", "shop.domain"],
            "ignore_imports": ["shop.domain.events->shop.adapters.web"],
        },
        {
            "id": "domain-pure",
            "type": "forbidden",
            "source_modules": ["shop.domain"],
            "forbidden_modules": ["requests", "sqlite3", "shop.adapters"],
        },
        {
            "id": "adapters-independent",
            "type": "independence",
            "modules": ["shop.adapters.*"],
        },
        {
            "id": "money-protected",
            "type": "protected",
            "protected_modules": ["shop.domain._money"],
            "allowed_importers": ["shop.domain"],
        },
        {
            "id": "private",
            "type": "private_modules",
            "packages_with_private_modules": ["shop.domain"],
        },
        {"id": "acyclic", "type": "acyclic_siblings", "ancestors": ["shop"]},
    ],
    files=SHOP_SRC,
    paths=("src",),
)

NAMESPACE_PORTIONS = Subject(
    "namespace-portions",
    ("company.team.service", "company.team.billing"),
    [
        {
            "id": "billing-over-service",
            "type": "layers",
            "layers": ["company.team.billing", "company.team.service"],
        },
        {
            "id": "service-modules",
            "type": "layers",
            "containers": ["company.team.service"],
            "layers": ["api", "core", "util"],
        },
        {
            "id": "independent",
            "type": "independence",
            "modules": ["company.team.service", "company.team.billing"],
        },
        {
            "id": "service-no-billing",
            "type": "forbidden",
            "source_modules": ["company.team.service.core"],
            "forbidden_modules": ["company.team.billing", "attr"],
        },
        {
            "id": "core-protected",
            "type": "protected",
            "protected_modules": ["company.team.service.core"],
            "allowed_importers": ["company.team.service.*"],
        },
        {
            "id": "private",
            "type": "private_modules",
            "packages_with_private_modules": ["company.team.service"],
        },
        {
            "id": "acyclic",
            "type": "acyclic_siblings",
            "ancestors": ["company.team.service", "company.team.billing"],
        },
    ],
    files=NAMESPACE,
    paths=("src", "vendor"),
)

NAMESPACE_ROOT = Subject(
    "namespace-root",  # the namespace package itself (two portions) as the root package
    ("company.team",),
    [
        {
            "id": "billing-over-service",
            "type": "layers",
            "layers": ["company.team.billing", "company.team.service"],
        },
        {
            "id": "independent",
            "type": "independence",
            "modules": ["company.team.*"],
        },
        {"id": "acyclic", "type": "acyclic_siblings", "ancestors": ["company.team"]},
    ],
    files=NAMESPACE,
    paths=("src", "vendor"),
    include_external_packages=False,
)

SUBJECTS = (PYPI, JARACO, SRC_LAYOUT, NAMESPACE_PORTIONS, NAMESPACE_ROOT)


# --- configurations import-linter refuses --------------------------------------------------


@dataclass(frozen=True)
class Refusal:
    id: str
    contract: dict[str, Any]
    session: dict[str, Any] = field(default_factory=dict)


def _layers(**options: Any) -> dict[str, Any]:
    return {"type": "layers", "layers": ["shop.adapters", "shop.domain"], **options}


def _forbidden(**options: Any) -> dict[str, Any]:
    return {
        "type": "forbidden",
        "source_modules": ["shop.domain"],
        "forbidden_modules": ["shop.adapters"],
        **options,
    }


REFUSALS = (
    # The session.
    Refusal("missing root package", _layers(), {"root_packages": ["shopp"]}),
    Refusal("root package inside a regular package", _layers(), {"root_packages": ["shop.domain"]}),
    Refusal("root package that is a module", _layers(), {"root_packages": ["shop.domain.model"]}),
    Refusal("no root packages", _layers(), {"root_packages": []}),
    # Options.
    Refusal("unknown contract type", {"type": "layered", "layers": ["shop.adapters"]}),
    Refusal("missing required option", {"type": "layers"}),
    Refusal("missing forbidden modules", {"type": "forbidden", "source_modules": ["shop"]}),
    Refusal("unknown alerting level", _layers(unmatched_ignore_imports_alerting="loud")),
    Refusal("boolean that is not one", _forbidden(as_packages="maybe")),
    Refusal("exhaustive that is not a boolean", _layers(exhaustive="sometimes")),
    Refusal("negative depth", {"type": "acyclic_siblings", "ancestors": ["shop"], "depth": -1}),
    Refusal(
        "depth that is text", {"type": "acyclic_siblings", "ancestors": ["shop"], "depth": "x"}
    ),
    Refusal("layer mixing | and :", _layers(layers=["shop.adapters | shop.application : x"])),
    Refusal(
        "private package with private modules",
        {"type": "private_modules", "packages_with_private_modules": ["shop.domain._money"]},
    ),
    Refusal(
        "partial wildcard",
        _forbidden(source_modules=["shop.dom*"]),
    ),
    Refusal(
        "partial wildcard in ignore_imports",
        _layers(ignore_imports=["shop.d* -> shop.a*"]),
    ),
    Refusal(
        "wildcard before a recursive one",
        _forbidden(source_modules=["shop.*.**"]),
    ),
    Refusal("unknown option", _layers(colour="blue")),
    Refusal("module in two layers", _layers(layers=["shop.domain", "shop.domain"])),
    Refusal("exhaustive without containers", _layers(exhaustive=True)),
    Refusal("spaces inside a module name", _forbidden(source_modules=[" shop.domain "])),
    Refusal("module name ending with a dot", _forbidden(source_modules=["shop.domain."])),
    Refusal(
        "external package with private modules",
        {"type": "private_modules", "packages_with_private_modules": ["requests"]},
    ),
    Refusal(
        "external ancestor",
        {"type": "acyclic_siblings", "ancestors": ["requests"]},
    ),
    Refusal(
        "external allowed importer as a package",
        {
            "type": "protected",
            "protected_modules": ["shop.domain"],
            "allowed_importers": ["requests"],
        },
    ),
    Refusal("ignore_imports without an arrow", _layers(ignore_imports=["shop.domain"])),
    Refusal("ignore_imports with an empty side", _layers(ignore_imports=["shop.domain -> "])),
    # Modules and imports that are not there.
    Refusal("missing layer", _layers(layers=["shop.adapters", "shop.domian"])),
    Refusal("missing container", _layers(containers=["shop.nothing"], layers=["a", "b"])),
    Refusal("missing source module", _forbidden(source_modules=["shop.domian"])),
    Refusal("missing forbidden module", _forbidden(forbidden_modules=["shop.adaptors"])),
    Refusal(
        "missing independent module", {"type": "independence", "modules": ["shop.x", "shop.domain"]}
    ),
    Refusal(
        "missing allowed importer as a package",
        {
            "type": "protected",
            "protected_modules": ["shop.domain"],
            "allowed_importers": ["shop.gone"],
        },
    ),
    Refusal(
        "missing package with private modules",
        {"type": "private_modules", "packages_with_private_modules": ["shop.gone"]},
    ),
    Refusal(
        "unmatched ignored import",
        _layers(ignore_imports=["shop.domain.model -> shop.adapters.db"]),
    ),
    Refusal(
        "external forbidden module without external packages",
        _forbidden(forbidden_modules=["requests"]),
        {"include_external_packages": False},
    ),
    Refusal(
        "subpackage of an external package", _forbidden(forbidden_modules=["requests.sessions"])
    ),
)


# --- odd configurations import-linter accepts ---------------------------------------------

#: Each with the verdict import-linter gives; fitness must give the same, with the same pairs.
ODDITIES = (
    Refusal("one layer", {"type": "layers", "layers": ["shop.domain"]}),
    Refusal("one independent module", {"type": "independence", "modules": ["shop.domain"]}),
    Refusal(
        "no allowed importers",
        {"type": "protected", "protected_modules": ["shop.domain._money"], "allowed_importers": []},
    ),
    Refusal(
        "forbidden inside the source",
        {"type": "forbidden", "source_modules": ["shop"], "forbidden_modules": ["shop.adapters"]},
    ),
    Refusal("source forbidden to itself", _forbidden(forbidden_modules=["shop.domain"])),
    Refusal("depth 0", {"type": "acyclic_siblings", "ancestors": ["shop.domain"], "depth": 0}),
    Refusal("depth as text", {"type": "acyclic_siblings", "ancestors": ["shop"], "depth": "1"}),
    Refusal(
        "optional layer that is missing",
        _layers(layers=["(shop.nothing)", "shop.adapters", "shop.domain"]),
    ),
    Refusal(
        "only optional layers, all missing", _layers(layers=["(shop.nothing)", "(shop.other)"])
    ),
    Refusal(
        "ignored wildcard that matches nothing, silently",
        _layers(
            ignore_imports=["shop.*.nothing -> shop.adapters"],
            unmatched_ignore_imports_alerting="none",
        ),
    ),
    Refusal("exhaustive_ignores without exhaustive", _layers(exhaustive_ignores=["x"])),
    Refusal(
        "external source module",
        {"type": "forbidden", "source_modules": ["requests"], "forbidden_modules": ["shop"]},
    ),
    Refusal(
        "external protected module",
        {
            "type": "protected",
            "protected_modules": ["requests"],
            "allowed_importers": ["shop.adapters"],
        },
    ),
    Refusal(
        "external allowed importer, not as packages",
        {
            "type": "protected",
            "protected_modules": ["shop.domain"],
            "allowed_importers": ["requests"],
            "as_packages": False,
        },
    ),
    Refusal(
        "external independent module",
        {"type": "independence", "modules": ["shop.domain", "requests"]},
    ),
    Refusal("external layer", {"type": "layers", "layers": ["requests", "shop.domain"]}),
    Refusal(
        "guidance over several lines",
        _layers(broken_contract_guidance=["Move it.", "Or invert it."]),
    ),
    Refusal("no ignored imports", _layers(ignore_imports=[])),
    Refusal("blank alerting level", _layers(unmatched_ignore_imports_alerting="")),
    Refusal(
        "containers by wildcard",
        {"type": "layers", "containers": ["shop.*"], "layers": ["(model)", "(services)"]},
    ),
    Refusal("booleans as text", _forbidden(allow_indirect_imports="True", as_packages="false")),
    Refusal(
        "stale allowed importer, not as packages",
        {
            "type": "protected",
            "protected_modules": ["shop.domain._money"],
            "allowed_importers": ["shop.domain.gone", "shop.domain.model"],
            "as_packages": False,
        },
    ),
    Refusal(
        "arrow without spaces", _layers(ignore_imports=["shop.domain.events->shop.adapters.web"])
    ),
)


def to_toml(
    root_packages: tuple[str, ...] | list[str],
    contracts: list[dict[str, Any]],
    *,
    include_external_packages: bool = True,
    session: dict[str, Any] | None = None,
) -> str:
    """``[tool.importlinter]`` with the contracts; each gets a name from its id."""
    values: dict[str, Any] = {
        "root_packages": list(root_packages),
        "include_external_packages": include_external_packages,
        **(session or {}),
    }
    lines = ["[tool.importlinter]"]
    lines += [f"{key} = {_value(value)}" for key, value in values.items()]
    for contract in contracts:
        lines += ["", "[[tool.importlinter.contracts]]"]
        named = {"name": f"Contract {contract.get('id', '')}".strip(), **contract}
        lines += [f"{key} = {_value(value)}" for key, value in named.items()]
    return "\n".join(lines) + "\n"


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return "[" + ", ".join(_value(v) for v in value) + "]"
