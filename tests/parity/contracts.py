"""Realistic contracts for Django and SQLAlchemy, some kept and some broken.

They are written once, as ``[[tool.importlinter.contracts]]`` tables, and read
by import-linter's own reader and by fitness's; so the parity test covers the
readers as well as the rules.
"""

from __future__ import annotations

from typing import Any

ROOT_PACKAGES = ("django", "sqlalchemy")

CONTRACTS: list[dict[str, Any]] = [
    # --- layers ---------------------------------------------------------------------
    {
        "id": "django-stack",
        "name": "Django: views above http above the ORM",
        "type": "layers",
        "layers": ["django.views", "django.http", "django.db"],
    },
    {
        "id": "django-independent-siblings",
        "name": "Django: contrib and test above the core, siblings independent",
        "type": "layers",
        "layers": [
            "django.contrib | django.test",
            "django.views | django.middleware",
            "django.urls : django.http",
            "django.core",
        ],
    },
    {
        "id": "django-contrib-apps",
        "name": "Django contrib apps: admin, views and forms above models (containers)",
        "type": "layers",
        "containers": ["django.contrib.*"],
        "layers": ["(admin)", "(views) | (forms)", "(models)", "(apps)"],
    },
    {
        "id": "django-contrib-apps-ignored",
        "name": "Django contrib apps, with the known exceptions ignored",
        "type": "layers",
        "containers": ["django.contrib.auth", "django.contrib.contenttypes"],
        "layers": ["(admin)", "(views) | (forms)", "models"],
        "ignore_imports": [
            "django.contrib.*.models -> django.contrib.**",
            "django.contrib.auth.** -> django.contrib.auth.forms",
            "django.contrib.nothing.here -> django.db",
        ],
        "unmatched_ignore_imports_alerting": "warn",
    },
    {
        "id": "sqlalchemy-sqlite-exhaustive",
        "name": "SQLAlchemy sqlite dialect: drivers above base (exhaustive)",
        "type": "layers",
        "containers": ["sqlalchemy.dialects.sqlite"],
        "layers": [
            "aiosqlite | pysqlcipher",
            "pysqlite",
            "provision",
            "base",
            "dml | json",
        ],
        "exhaustive": True,
        "exhaustive_ignores": ["dml"],
    },
    {
        "id": "sqlalchemy-core",
        "name": "SQLAlchemy: orm above engine above sql",
        "type": "layers",
        "layers": ["sqlalchemy.orm", "sqlalchemy.engine", "sqlalchemy.sql"],
    },
    {
        "id": "sqlalchemy-leaves",
        "name": "SQLAlchemy: logging above the util collections",
        "type": "layers",
        "layers": ["sqlalchemy.log", "sqlalchemy.util._collections"],
    },
    # --- forbidden --------------------------------------------------------------------
    {
        "id": "django-no-sqlalchemy",
        "name": "Django does not use SQLAlchemy (external)",
        "type": "forbidden",
        "source_modules": ["django"],
        "forbidden_modules": ["sqlalchemy"],
    },
    {
        "id": "sqlalchemy-orm-no-django",
        "name": "The SQLAlchemy ORM and SQL layer use neither Django nor psycopg2 (external)",
        "type": "forbidden",
        "source_modules": ["sqlalchemy.orm", "sqlalchemy.sql"],
        "forbidden_modules": ["django", "psycopg2"],
    },
    {
        "id": "django-core-externals",
        "name": "Django's core needs no third-party packages (external)",
        "type": "forbidden",
        "source_modules": ["django.core", "django.db.models"],
        "forbidden_modules": ["asgiref", "sqlparse", "yaml"],
    },
    {
        "id": "django-db-no-contrib",
        "name": "Django's ORM and signals do not reach the admin or auth (indirect)",
        "type": "forbidden",
        "source_modules": ["django.db.models", "django.dispatch"],
        "forbidden_modules": ["django.contrib.admin", "django.contrib.auth"],
    },
    {
        "id": "django-direct-only",
        "name": "Django: utils and http import neither contrib nor models directly",
        "type": "forbidden",
        "source_modules": ["django.utils", "django.http"],
        "forbidden_modules": ["django.contrib", "django.db.models"],
        "allow_indirect_imports": True,
    },
    {
        "id": "django-direct-broken",
        "name": "Django: dispatch and apps import no settings directly",
        "type": "forbidden",
        "source_modules": ["django.dispatch", "django.apps"],
        "forbidden_modules": ["django.conf"],
        "allow_indirect_imports": True,
    },
    {
        "id": "django-contrib-models-wildcard",
        "name": "Contrib models do not import the admin (wildcards, not as packages)",
        "type": "forbidden",
        "source_modules": ["django.contrib.*.models"],
        "forbidden_modules": ["django.contrib.admin.options", "django.contrib.admin.sites"],
        "as_packages": False,
        "ignore_imports": ["django.contrib.admin.models -> django.contrib.admin.**"],
        "unmatched_ignore_imports_alerting": "none",
    },
    {
        "id": "sqlalchemy-sql-no-orm",
        "name": "SQLAlchemy's SQL layer and engine do not import the ORM (ignores)",
        "type": "forbidden",
        "source_modules": ["sqlalchemy.sql", "sqlalchemy.engine"],
        "forbidden_modules": ["sqlalchemy.orm", "sqlalchemy.ext.asyncio"],
        "ignore_imports": ["sqlalchemy.sql.** -> sqlalchemy.util.*"],
    },
    {
        "id": "django-missing-module",
        "name": "A contract naming a module that does not exist is an error, not a pass",
        "type": "forbidden",
        "source_modules": ["django.db.modles"],
        "forbidden_modules": ["django.contrib"],
    },
    # --- independence -----------------------------------------------------------------
    {
        "id": "django-contrib-independent",
        "name": "Django contrib apps are independent (wildcard)",
        "type": "independence",
        "modules": ["django.contrib.*"],
    },
    {
        "id": "django-contrib-leaf-apps",
        "name": "Small contrib apps are independent (ignores)",
        "type": "independence",
        "modules": [
            "django.contrib.humanize",
            "django.contrib.redirects",
            "django.contrib.sessions",
        ],
        "ignore_imports": ["django.contrib.redirects.** -> django.contrib.sites.**"],
    },
    {
        "id": "sqlalchemy-dialects-independent",
        "name": "SQLAlchemy dialects are independent of each other",
        "type": "independence",
        "modules": ["sqlalchemy.dialects.*"],
    },
    {
        "id": "sqlalchemy-leaf-modules",
        "name": "SQLAlchemy leaf modules are independent",
        "type": "independence",
        "modules": [
            "sqlalchemy.dialects.mysql.reserved_words",
            "sqlalchemy.dialects.sqlite.json",
            "sqlalchemy.util.topological",
        ],
    },
    # --- protected --------------------------------------------------------------------
    {
        "id": "django-protected-backends",
        "name": "Only django.db and management commands import the database backends",
        "type": "protected",
        "protected_modules": ["django.db.backends"],
        "allowed_importers": ["django.db", "django.core.management"],
    },
    {
        "id": "sqlalchemy-protected-pool",
        "name": "Only the engine imports the pool implementations (protected, not as packages)",
        "type": "protected",
        "protected_modules": ["sqlalchemy.pool.impl", "sqlalchemy.engine.*"],
        "allowed_importers": ["sqlalchemy.engine.*", "sqlalchemy.pool", "sqlalchemy.dialects.*"],
        "as_packages": False,
    },
    # --- private_modules ----------------------------------------------------------------
    {
        "id": "sqlalchemy-private",
        "name": "SQLAlchemy's private modules stay private",
        "type": "private_modules",
        "packages_with_private_modules": ["sqlalchemy.orm", "sqlalchemy.sql", "sqlalchemy.util"],
    },
    {
        "id": "django-private",
        "name": "Django's private modules stay private",
        "type": "private_modules",
        "packages_with_private_modules": ["django.db.models", "django.utils"],
    },
    # --- acyclic_siblings ------------------------------------------------------------------
    {
        "id": "sqlalchemy-acyclic",
        "name": "SQLAlchemy's dialects have no cycles between siblings",
        "type": "acyclic_siblings",
        "ancestors": ["sqlalchemy.dialects.*"],
        "depth": 0,
    },
    {
        "id": "django-acyclic",
        "name": "Django's db package has no cycles between siblings",
        "type": "acyclic_siblings",
        "ancestors": ["django.db"],
        "depth": 1,
        "skip_descendants": ["django.db.backends"],
    },
]

#: Where fitness deliberately differs from import-linter, by its principle of safe defaults:
#: a wildcard that matches no module fails the rule (import-linter keeps the contract).
DELIBERATE_DIFFERENCES: list[dict[str, Any]] = [
    {
        "id": "wildcard-matching-nothing",
        "name": "A wildcard that matches nothing (sqlalchemy.cyextension has no Python modules)",
        "type": "protected",
        "protected_modules": ["sqlalchemy.cyextension.*"],
        "allowed_importers": ["sqlalchemy.util"],
    },
]


def to_toml(contracts: list[dict[str, Any]]) -> str:
    """``[tool.importlinter]`` with the contracts (the values here are strings, lists of
    strings, booleans and integers)."""
    lines = [
        "[tool.importlinter]",
        f"root_packages = {_value(list(ROOT_PACKAGES))}",
        "include_external_packages = true",
    ]
    for contract in contracts:
        lines += ["", "[[tool.importlinter.contracts]]"]
        lines += [f"{key} = {_value(value)}" for key, value in contract.items()]
    return "\n".join(lines) + "\n"


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return "[" + ", ".join(_value(v) for v in value) + "]"
