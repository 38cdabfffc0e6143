"""Issue 20 on the real code its findings came from (installed from PyPI into a cache,
never imported): Django's ``__all__`` built across modules and its model class defined
inside a method, SQLAlchemy's name rebound over a submodule of the same name."""

from __future__ import annotations

from pathlib import Path

import pytest

from fitness.adapters.codemodel import CachedCodeModelReader
from fitness.adapters.packages import GrimpGraphBuilder
from fitness.domain.code import CodeModel
from fitness.domain.config import GraphSettings

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def site() -> Path:
    from tests.parity.packages import IndexUnreachable, packages_dir

    try:
        return packages_dir()  # django and sqlalchemy, pinned
    except IndexUnreachable:
        pytest.skip("the package index cannot be reached")


def model_of(site: Path, root: str, tmp_path: Path) -> CodeModel:
    graph = GrimpGraphBuilder(site, sys_path=[]).build(GraphSettings((root,)))
    reader = CachedCodeModelReader(site, cache_dir=tmp_path / "cache")
    return reader.model(graph.module_files)


def test_djangos_all_built_across_modules_is_evaluated(site: Path, tmp_path: Path) -> None:
    """``django/db/models/__init__.py:71``: ``__all__ = aggregates_all + constraints_all
    + ...; __all__ += [...]``: a narrower guess gave 30 false interface bypasses."""
    model = model_of(site, "django", tmp_path)
    exports = model.exports("django.db.models")
    assert exports is not None
    assert {"Q", "Exists", "OuterRef", "Count", "CharField", "Model", "CheckConstraint"} <= set(
        exports
    )


def test_djangos_model_class_defined_inside_a_method_is_in_the_model(
    site: Path, tmp_path: Path
) -> None:
    """``django/db/migrations/recorder.py:32`` defines ``class Migration(models.Model)``
    inside a method: selected by its qualified name, its base resolved."""
    model = model_of(site, "django", tmp_path)
    recorder = model.modules["django.db.migrations.recorder"]
    nested = [c for c in recorder.classes if c.name.endswith("<locals>.Migration")]
    assert [c.name for c in nested] == ["MigrationRecorder.Migration.<locals>.Migration"]
    assert nested[0].bases == ("django.db.models.Model",)


def test_sqlalchemys_name_rebound_over_its_submodule_is_the_attribute(
    site: Path, tmp_path: Path
) -> None:
    """``from sqlalchemy.dialects.postgresql import array``: the package's ``__init__``
    binds ``array`` (the class) over the submodule of that name."""
    model = model_of(site, "sqlalchemy", tmp_path)
    names = dict(model.modules["sqlalchemy.dialects.postgresql"].names)
    assert names["array"] == "sqlalchemy.dialects.postgresql.array.array"
