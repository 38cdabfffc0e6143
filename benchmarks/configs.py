"""The configurations ``run.py`` gives each tool: written once, rendered for each of them.

The same contracts for pytest-fitness (``[tool.fitness]`` in ``pyproject.toml``) and
import-linter (``.importlinter``); the floor's one trivial rule; the 2,000 forbidden
rules. ``modular_monolith`` against tach takes its modules from ``bench_modular.py``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


def toml_list(items: Iterable[str]) -> str:
    return "[" + ", ".join(f'"{i}"' for i in items) + "]"


def ini_block(items: Iterable[str]) -> str:
    return "".join(f"\n    {i}" for i in items)


@dataclass(frozen=True)
class Contracts:
    """Three contracts (layers, forbidden with external packages, independence), and a
    trivial rule for the floor: a package that imports nothing of another (it holds)."""

    package: str
    layers: tuple[str, ...]
    sources: tuple[str, ...]
    forbidden: tuple[str, ...]
    independent: tuple[str, ...]
    trivial: tuple[str, str]

    def fitness_toml(self) -> str:
        return (
            f'[tool.fitness]\nroot_packages = ["{self.package}"]\n'
            "include_external_packages = true\n\n"
            f'[[tool.fitness.rules]]\nname = "layers"\ntype = "layers"\n'
            f"layers = {toml_list(self.layers)}\n\n"
            f'[[tool.fitness.rules]]\nname = "forbidden"\ntype = "forbidden"\n'
            f"source_modules = {toml_list(self.sources)}\n"
            f"forbidden_modules = {toml_list(self.forbidden)}\n\n"
            f'[[tool.fitness.rules]]\nname = "independence"\ntype = "independence"\n'
            f"modules = {toml_list(self.independent)}\n"
        )

    def importlinter_ini(self) -> str:
        return (
            f"[importlinter]\nroot_package = {self.package}\ninclude_external_packages = True\n\n"
            f"[importlinter:contract:layers]\nname = layers\ntype = layers\n"
            f"layers ={ini_block(self.layers)}\n\n"
            f"[importlinter:contract:forbidden]\nname = forbidden\ntype = forbidden\n"
            f"source_modules ={ini_block(self.sources)}\n"
            f"forbidden_modules ={ini_block(self.forbidden)}\n\n"
            f"[importlinter:contract:independence]\nname = independence\ntype = independence\n"
            f"modules ={ini_block(self.independent)}\n"
        )

    def floor_toml(self) -> str:
        """The same graph as grimp's bare build (external packages included), one rule."""
        source, forbidden = self.trivial
        return (
            f'[tool.fitness]\nroot_packages = ["{self.package}"]\n'
            "include_external_packages = true\n\n"
            f'[[tool.fitness.rules]]\nname = "trivial"\ntype = "forbidden"\n'
            f'source_modules = ["{source}"]\nforbidden_modules = ["{forbidden}"]\n'
        )


CONTRACTS = {
    "django": Contracts(
        "django",
        (
            "django.contrib",
            "django.views",
            "django.forms | django.templatetags",
            "django.db",
            "django.utils",
        ),
        ("django.utils", "django.dispatch"),
        ("django.db", "sqlparse", "asgiref"),
        ("django.core.mail", "django.template", "django.middleware"),
        ("django.db", "django.test"),
    ),
    "sqlalchemy": Contracts(
        "sqlalchemy",
        (
            "sqlalchemy.ext",
            "sqlalchemy.orm",
            "sqlalchemy.engine",
            "sqlalchemy.sql",
            "sqlalchemy.util",
        ),
        ("sqlalchemy.util", "sqlalchemy.sql"),
        ("sqlalchemy.orm", "greenlet", "typing_extensions"),
        (
            "sqlalchemy.dialects.postgresql",
            "sqlalchemy.dialects.mysql",
            "sqlalchemy.dialects.sqlite",
        ),
        ("sqlalchemy.sql", "sqlalchemy.testing"),
    ),
    "sympy": Contracts(
        "sympy",
        (
            "sympy.physics",
            "sympy.solvers",
            "sympy.integrals",
            "sympy.simplify",
            "sympy.polys",
            "sympy.core",
        ),
        ("sympy.core", "sympy.logic"),
        ("sympy.physics", "mpmath"),
        ("sympy.physics", "sympy.stats", "sympy.crypto"),
        ("sympy.multipledispatch", "sympy.physics"),
    ),
}


def forbidden_rules_toml(package: str, pairs: Sequence[tuple[str, str]]) -> str:
    """One ``forbidden`` rule per pair (source, forbidden), each its own table."""
    parts = [f'[tool.fitness]\nroot_packages = ["{package}"]\n']
    for index, (source, forbidden) in enumerate(pairs):
        parts.append(
            f'\n[[tool.fitness.rules]]\nname = "rule {index:04}"\ntype = "forbidden"\n'
            f'source_modules = ["{source}"]\nforbidden_modules = ["{forbidden}"]\n'
        )
    return "".join(parts)


def forbidden_rules_ini(package: str, pairs: Sequence[tuple[str, str]]) -> str:
    """The same rules as import-linter contracts."""
    parts = [f"[importlinter]\nroot_package = {package}\n"]
    for index, (source, forbidden) in enumerate(pairs):
        parts.append(
            f"\n[importlinter:contract:rule{index:04}]\nname = rule {index:04}\n"
            f"type = forbidden\nsource_modules ={ini_block([source])}\n"
            f"forbidden_modules ={ini_block([forbidden])}\n"
        )
    return "".join(parts)
