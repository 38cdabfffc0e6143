"""Dependencies as data: requirement strings, import names, installed distributions."""

from __future__ import annotations

import textwrap

import pytest

from fitness.domain.dependencies import (
    Environment,
    InstalledDistribution,
    Requirement,
    imported_modules,
    normalise,
    optional_import_lines,
    parse_requirement,
)


@pytest.mark.parametrize(
    ("name", "normalised"),
    [("Flask", "flask"), ("zope.interface", "zope-interface"), ("Foo__Bar-.baz", "foo-bar-baz")],
)
def test_names_are_compared_as_pep_503_says(name: str, normalised: str) -> None:
    assert normalise(name) == normalised


@pytest.mark.parametrize(
    ("text", "requirement"),
    [
        ("requests", Requirement("requests")),
        ("requests>=2.31,<3", Requirement("requests")),
        ("httpx[http2, brotli] ~= 0.27", Requirement("httpx", ("http2", "brotli"))),
        ('tomli; python_version < "3.11"', Requirement("tomli")),
        ("PySocks!=1.5.7,>=1.5.6; extra == 'socks'", Requirement("PySocks", (), ("socks",))),
        ("pip @ https://example.com/pip.zip", Requirement("pip")),
        ("zope.interface (>=5)", Requirement("zope.interface")),
        ("./local/package", None),
        ("https://example.com/x.zip", None),
        ("", None),
    ],
)
def test_a_requirement_string_gives_its_name_extras_and_extra_markers(
    text: str, requirement: Requirement | None
) -> None:
    assert parse_requirement(text) == requirement


OPTIONAL = """
    try:
        import ujson as json
    except ImportError:
        import json
    try:
        from lxml import etree
        import defusedxml.ElementTree
    except (ModuleNotFoundError, AttributeError):
        etree = None
    try:
        import orjson
    except:  # noqa: E722
        pass
    try:
        import must_have
    except ValueError:
        pass
    import plain
"""


def test_imports_inside_try_blocks_that_catch_a_failed_import_are_optional() -> None:
    # ujson, lxml, defusedxml, orjson; not json (the fallback), must_have or plain
    assert optional_import_lines(textwrap.dedent(OPTIONAL)) == frozenset({3, 7, 8, 12})


def test_a_source_that_does_not_parse_has_no_optional_imports() -> None:
    assert optional_import_lines("try:\n    import x\nexcept ImportError\n") == frozenset()


@pytest.mark.parametrize(
    ("line", "top", "modules"),
    [
        ("import yaml", "yaml", ("yaml",)),
        ("import google.protobuf.message as m, os", "google", ("google.protobuf.message",)),
        (
            "from google.cloud import storage, bigquery",
            "google",
            ("google.cloud.bigquery", "google.cloud.storage"),
        ),
        ("from google import protobuf  # the wire format", "google", ("google.protobuf",)),
        ("from google.cloud import (", "google", ("google.cloud",)),
        ("from zope.interface import *", "zope", ("zope.interface",)),
        ("", "yaml", ("yaml",)),
    ],
)
def test_an_import_line_names_the_modules_it_imports(
    line: str, top: str, modules: tuple[str, ...]
) -> None:
    assert imported_modules(line, top) == modules


GOOGLE = Environment(
    [
        InstalledDistribution("protobuf", ("google",), packages=("google", "google.protobuf")),
        InstalledDistribution(
            "google-cloud-storage",
            ("google",),
            packages=("google", "google.cloud", "google.cloud.storage"),
        ),
        InstalledDistribution("PyYAML", ("_yaml", "yaml")),
    ]
)


@pytest.mark.parametrize(
    ("module", "providers"),
    [
        ("yaml", ("PyYAML",)),
        ("google.protobuf.message", ("protobuf",)),
        ("google.cloud.storage.blob", ("google-cloud-storage",)),
        ("google", ("google-cloud-storage", "protobuf")),
        ("google.other", ("google-cloud-storage", "protobuf")),
        ("unknown", ()),
    ],
)
def test_a_namespace_package_is_told_apart_by_the_packages_below_it(
    module: str, providers: tuple[str, ...]
) -> None:
    assert GOOGLE.providers(module) == providers


def test_why_a_distribution_is_installed_follows_requirements_and_their_extras() -> None:
    environment = Environment(
        [
            InstalledDistribution("fastapi", requires=(Requirement("starlette"),)),
            InstalledDistribution(
                "starlette",
                requires=(Requirement("anyio"), Requirement("itsdangerous", (), ("full",))),
            ),
            InstalledDistribution("anyio"),
            InstalledDistribution("itsdangerous"),
        ]
    )
    assert environment.why_installed("anyio", {"fastapi": ()}) == ("fastapi", "starlette", "anyio")
    assert environment.why_installed("itsdangerous", {"fastapi": ()}) is None
    assert environment.why_installed("itsdangerous", {"starlette": ("full",)}) == (
        "starlette",
        "itsdangerous",
    )
    assert environment.why_installed("anyio", {"anyio": ()}) is None
