"""``protected``: only the allowed importers may import the protected modules."""

from __future__ import annotations

import pytest

from fitness.domain.errors import RuleError
from fitness.domain.options import build_rule
from fitness.domain.rules import ProtectedRule
from tests.helpers import fake_graph, write_project

GRAPH = """
    app.api -> app.db.engine
    app.db.engine -> app.db.pool
    app.web.views -> app.db.pool
    app.web.views -> app.api
    app.db.pool
"""


def rule(**options: object) -> ProtectedRule:
    return build_rule(ProtectedRule, {"name": "protected", **options})


def test_only_allowed_importers_may_import_protected_modules() -> None:
    result = rule(protected_modules=["app.db"], allowed_importers=["app.api"]).result(
        fake_graph(GRAPH)
    )
    assert not result.passed
    [violation] = result.violations
    assert (violation.importer, violation.imported) == ("app.web.views", "app.db.pool")
    assert "only app.api may import it" in violation.summary
    [link] = violation.chains[0].links
    assert link.location == "app/web/views.py:1"


def test_protected_modules_may_import_each_other_and_allowed_descendants_count() -> None:
    graph = fake_graph(GRAPH)
    assert (
        rule(protected_modules=["app.db"], allowed_importers=["app.api", "app.web"])
        .result(graph)
        .passed
    )


def test_not_as_packages_protects_only_the_module_itself() -> None:
    graph = fake_graph(GRAPH)
    result = rule(
        protected_modules=["app.db.engine"], allowed_importers=["app.web"], as_packages=False
    ).result(graph)
    assert [(v.importer, v.imported) for v in result.violations] == [("app.api", "app.db.engine")]


def test_ignore_imports_apply() -> None:
    result = rule(
        protected_modules=["app.db"],
        allowed_importers=["app.api"],
        ignore_imports=["app.web.* -> app.db.*"],
    ).result(fake_graph(GRAPH))
    assert result.passed


def test_a_missing_module_is_an_error_with_did_you_mean() -> None:
    with pytest.raises(
        RuleError, match=r"protected_modules: module 'app.dbb' .*did you mean 'app.db'"
    ):
        rule(protected_modules=["app.dbb"], allowed_importers=["app.api"]).result(fake_graph(GRAPH))


FILES = {
    "app/__init__.py": "",
    "app/api.py": "from app.db import engine\n",
    "app/db/__init__.py": "",
    "app/db/engine.py": "",
    "app/web.py": '"""Views."""\n\nfrom app.db.engine import connect\n',
}
CONFIG = """
    [tool.fitness]
    root_packages = ["app"]

    [[tool.fitness.rules]]
    name = "Only the API touches the database"
    type = "protected"
    protected_modules = ["app.db"]
    {allowed}
"""


def test_pytest_reports_the_illegal_import_with_file_and_line(pytester: pytest.Pytester) -> None:
    write_project(pytester.path, CONFIG.format(allowed='allowed_importers = ["app.api"]'), FILES)
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "Modules app.db may be imported only by app.api.",
            "app.web is not allowed to import app.db.engine (protected app.db: only app.api*",
            "  app.web -> app.db.engine",
            "    app/web.py:3  from app.db.engine import connect",
        ]
    )


def test_pytest_passes_when_the_importer_is_allowed(pytester: pytest.Pytester) -> None:
    allowed = 'allowed_importers = ["app.api", "app.web"]'
    write_project(pytester.path, CONFIG.format(allowed=allowed), FILES)
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=1)


def test_a_misspelt_option_is_one_failing_item(pytester: pytest.Pytester) -> None:
    write_project(pytester.path, CONFIG.format(allowed='allowed_importer = ["app.api"]'), FILES)
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        ["*pyproject.toml:8: *unknown option 'allowed_importer'; did you mean 'allowed_importers'?"]
    )
    assert "Traceback" not in result.stdout.str()
