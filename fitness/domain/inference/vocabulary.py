"""The names teams give the parts of an architecture: the one vocabulary ``fitness init``
reads layouts with.

Each tuple lists the names one part goes by, in the order they are tried. The
recognisers (:mod:`.styles`, :mod:`.modular`, :mod:`.web`) and the layering
(:mod:`.layering`) read them from here only.
"""

from __future__ import annotations

# --- what is no part of the architecture ----------------------------------------------

#: Modules that start a program rather than belong to a layer of it.
ENTRY_POINTS = ("__main__",)
#: Test code: never a layer, a module or a context.
TESTS = ("tests", "test", "testing", "conftest", "fixtures", "factories")
#: Generated or operational code: never a layer.
GENERATED = ("migrations", "alembic")
#: Top-level directories of a project that hold no application package.
NOT_APPLICATION = (*TESTS, "docs", "doc", "examples", "benchmarks", "scripts", "tools")

# --- ports and adapters, onion, clean architecture --------------------------------------

DOMAIN = ("domain",)
APPLICATION = ("application", "service_layer", "services", "use_cases", "usecases", "app")
#: Driven adapters (persistence, messaging, notifications).
ADAPTERS = ("adapters", "infrastructure", "infra")
#: Driving adapters: what calls the application (web, CLI, consumers).
ENTRYPOINTS = ("entrypoints", "entry_points", "presentation", "interfaces", "api", "web", "cli")
PORTS = ("ports",)
#: Where the adapters are wired to the ports (it may import every part).
COMPOSITION_ROOTS = (
    "bootstrap",
    "main",
    "__main__",
    "composition",
    "composition_root",
    "container",
    "containers",
    "wiring",
)
ENTITIES = ("entities", "entity")
USE_CASES = ("use_cases", "usecases", "interactors")
INTERFACE_ADAPTERS = ("interface_adapters", "adapters", "controllers", "gateways", "presenters")
FRAMEWORKS = ("frameworks", "infrastructure", "drivers", "web", "main")
DOMAIN_MODELS = ("model", "models")
DOMAIN_SERVICES = ("services", "service")

# --- commands, queries and events --------------------------------------------------------

COMMANDS = ("commands", "command")
QUERIES = ("queries", "query")
READ_MODEL = ("read_model", "readmodel", "read")
WRITE_MODEL = ("write_model", "writemodel", "write")
#: A module of the query side beside the application (the book's ``views.py``).
QUERY_SIDE = ("views", "queries", "read_model", "projections")
HANDLERS = ("handlers", "command_handlers")
MESSAGE_BUS = ("messagebus", "message_bus", "bus", "dispatcher", "mediator")
EVENTS = ("events", "domain_events")

# --- modules, bounded contexts, shared kernels -------------------------------------------

#: Packages whose children are the modules of a modular monolith (or bounded contexts).
MODULE_CONTAINERS = ("modules", "contexts", "bounded_contexts", "components", "apps", "features")
#: What each module of a modular monolith has inside (a module has two of them at least).
MODULE_PARTS = (
    *DOMAIN,
    "application",
    "infrastructure",
    "adapters",
    "api",
    "presentation",
    "interfaces",
    "entrypoints",
)
#: The layers inside each module, outermost first (names on one level are alternatives).
MODULE_LAYERS = (
    ("api", "presentation", "interfaces", "entrypoints"),
    ("infrastructure", "adapters"),
    ("application",),
    ("domain",),
)
#: Code every module may use: never a module or a context itself.
SHARED_KERNEL = (
    "seedwork",
    "shared_kernel",
    "shared",
    "common",
    "kernel",
    "building_blocks",
    "buildingblocks",
    "core",
)
#: Submodules a component publishes to the others.
PUBLISHED = ("api", "events")

# --- Django --------------------------------------------------------------------------------

#: A Django app has one of these (what ``manage.py startapp`` creates) ...
DJANGO_APP_MARKERS = ("models", "apps")
#: ... and one of these besides.
DJANGO_APP_PARTS = ("views", "urls", "admin", "migrations", "forms", "serializers", "tests")
#: The project package: settings, and urls or a WSGI/ASGI application.
DJANGO_SETTINGS = ("settings",)
DJANGO_PROJECT_PARTS = ("urls", "wsgi", "asgi")
#: The parts of an app, outermost first.
DJANGO_APP_LAYERS = (
    ("urls",),
    ("views", "viewsets", "api", "admin"),
    ("forms", "serializers", "filters"),
    ("services", "selectors", "tasks"),
    ("models", "managers", "querysets"),
)
#: What an app's models must never import.
DJANGO_ABOVE_MODELS = ("views", "viewsets", "forms", "admin", "urls", "serializers")

# --- web services (FastAPI, Flask, ...) ------------------------------------------------------

#: The parts of a web service, outermost first (names on one level are alternatives).
WEB_LAYERS = (
    ("main", "app", "server"),
    ("api", "routers", "routes", "endpoints", "controllers", "views", "resources", "deps"),
    ("services", "service", "use_cases", "usecases"),
    ("repositories", "repository", "repos", "crud", "dal", "dao"),
    ("models", "schemas", "entities", "dto", "dtos"),
    ("core",),
)
#: The web frameworks whose import says a package is the web side.
WEB_FRAMEWORKS = (
    "fastapi",
    "starlette",
    "flask",
    "litestar",
    "sanic",
    "aiohttp",
    "falcon",
    "quart",
    "django",
)


def is_test(name: str) -> bool:
    """Whether a module's last name says it is test code."""
    return name in TESTS or name.startswith("test_") or name.endswith(("_test", "_tests"))


def not_a_layer(name: str) -> str | None:
    """Why a child named ``name`` is no layer (an entry point, test or generated code),
    or None if it may be one."""
    if name in ENTRY_POINTS:
        return "an entry point"
    if name in GENERATED:
        return "generated code"
    if is_test(name):
        return "test code, by its name"
    return None


def is_layer(name: str) -> bool:
    """Whether a child named ``name`` may be a layer: not an entry point, test or generated code."""
    return not_a_layer(name) is None
