"""Reading a project's dependency metadata (declarations with their lines) and the
installed distributions, statically."""

from __future__ import annotations

from pathlib import Path

import pytest

from fitness.adapters.declarations import read_declarations
from fitness.adapters.dependency_metadata import ProjectDependencyMetadata, local_modules
from fitness.adapters.installed import read_environment, site_directories
from fitness.domain.dependencies import DependencyRequest
from fitness.domain.errors import RuleError
from tests.helpers import write_files

DATA = Path(__file__).resolve().parent.parent / "data" / "dependencies"


def declared(project: Path, **request: tuple[str, ...]) -> list[tuple[str, str, str, str]]:
    """(name, kind, group, file:line) of each declaration."""
    found = read_declarations(project, DependencyRequest(**request))
    return [(d.name, d.kind, d.group, f"{d.file}:{d.line}") for d in found.declarations]


def test_pep_621_dependencies_extras_and_dependency_groups(tmp_path: Path) -> None:
    assert declared(DATA / "pep621") == [
        ("requests", "dependencies", "", "pyproject.toml:5"),
        ("SQLAlchemy", "dependencies", "", "pyproject.toml:6"),
        ("click", "dependencies", "", "pyproject.toml:7"),
        ("protobuf", "dependencies", "", "pyproject.toml:8"),
        ("PyYAML", "extra", "yaml", "pyproject.toml:12"),
        ("pytest", "extra", "test", "pyproject.toml:13"),
        ("pytest", "group", "test", "pyproject.toml:16"),
        # dev includes the test group: its pytest, on the line where test writes it
        ("pytest", "group", "dev", "pyproject.toml:16"),
        ("gunicorn", "group", "dev", "pyproject.toml:17"),
    ]


def test_poetry_dependencies_groups_and_dev_dependencies() -> None:
    assert declared(DATA / "poetry") == [
        ("requests", "dependencies", "", "pyproject.toml:7"),
        ("SQLAlchemy", "dependencies", "", "pyproject.toml:8"),
        ("click", "dependencies", "", "pyproject.toml:9"),
        ("protobuf", "dependencies", "", "pyproject.toml:10"),
        ("PyYAML", "dependencies", "", "pyproject.toml:11"),
        ("gunicorn", "group", "dev", "pyproject.toml:20"),
        ("pytest", "group", "test", "pyproject.toml:17"),
    ]


def test_setup_cfg_install_requires_and_extras_require() -> None:
    assert declared(DATA / "setupcfg") == [
        ("requests", "dependencies", "", "setup.cfg:10"),
        ("SQLAlchemy", "dependencies", "", "setup.cfg:11"),
        ("click", "dependencies", "", "setup.cfg:12"),
        ("protobuf", "dependencies", "", "setup.cfg:13"),
        ("PyYAML", "extra", "yaml", "setup.cfg:16"),
        ("pytest", "extra", "test", "setup.cfg:18"),
    ]


def test_requirements_files_with_includes_continuations_and_editables() -> None:
    found = declared(
        DATA / "requirements",
        requirements_files=("requirements/base.txt",),
        development_requirements_files=("requirements/dev.txt",),
    )
    assert found == [
        ("requests", "requirements", "", "requirements/base.txt:2"),
        ("SQLAlchemy", "requirements", "", "requirements/base.txt:3"),
        ("click", "requirements", "", "requirements/extras.txt:1"),
        ("protobuf", "requirements", "", "requirements/extras.txt:2"),
        ("PyYAML", "requirements", "", "requirements/extras.txt:3"),
        ("requests", "development requirements", "", "requirements/base.txt:2"),
        ("SQLAlchemy", "development requirements", "", "requirements/base.txt:3"),
        ("click", "development requirements", "", "requirements/extras.txt:1"),
        ("protobuf", "development requirements", "", "requirements/extras.txt:2"),
        ("PyYAML", "development requirements", "", "requirements/extras.txt:3"),
        ("pytest", "development requirements", "", "requirements/dev.txt:2"),
        ("gunicorn", "development requirements", "", "requirements/dev.txt:3"),
    ]


def test_setuptools_dynamic_dependencies_and_setup_cfg_files(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "pyproject.toml": """
                [project]
                name = "app"
                dynamic = ["dependencies", "optional-dependencies"]

                [tool.setuptools.dynamic]
                dependencies = { file = ["requirements.in"] }
                optional-dependencies.test = { file = "test.in" }
            """,
            "requirements.in": "attrs\n",
            "test.in": "pytest\n",
            "setup.cfg": "[options]\ninstall_requires = file: more.in\n",
            "more.in": "click\n-c constraints.txt\n--index-url https://example.com\n",
        },
    )
    assert declared(tmp_path) == [
        ("attrs", "dependencies", "", "requirements.in:1"),
        ("pytest", "extra", "test", "test.in:1"),
        ("click", "dependencies", "", "more.in:1"),
    ]


def test_pdm_and_uv_development_dependencies_and_self_references(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "pyproject.toml": """
                [project]
                name = "App"
                dependencies = ["attrs"]
                optional-dependencies = { all = ["app[cli]"], cli = ["click"] }

                [tool.pdm.dev-dependencies]
                lint = ["ruff"]

                [tool.uv]
                dev-dependencies = ["pytest"]
            """,
        },
    )
    assert declared(tmp_path) == [
        ("attrs", "dependencies", "", "pyproject.toml:3"),
        ("click", "extra", "cli", "pyproject.toml:4"),  # app[cli], the project itself, left out
        ("ruff", "group", "lint", "pyproject.toml:7"),
        ("pytest", "group", "dev", "pyproject.toml:10"),
    ]


@pytest.mark.parametrize(
    ("files", "message"),
    [
        (
            {"pyproject.toml": "[project]\nname = 'a'\ndependencies = 'requests'\n"},
            "pyproject.toml:3: [project] dependencies must be a list of requirement strings",
        ),
        (
            {"pyproject.toml": "[project]\nname = 'a'\ndependencies = ['a' 'b']\n"},
            "pyproject.toml:3: invalid TOML",
        ),
        (
            {
                "pyproject.toml": "[dependency-groups]\na = [{include-group = 'b'}]\n"
                "b = [{include-group = 'a'}]\n"
            },
            "pyproject.toml:2: [dependency-groups] include each other: a -> b -> a",
        ),
        (
            {
                "pyproject.toml": "[dependency-groups]\ntest = ['pytest']\n"
                "dev = [{include-group = 'tset'}]\n"
            },
            "pyproject.toml:3: [dependency-groups] dev: include-group 'tset' names no group; "
            "did you mean 'test'?",
        ),
        (
            {"pyproject.toml": "[project]\nname = 'a'\ndynamic = ['dependencies']\n"},
            "pyproject.toml: [project] says its dependencies are dynamic",
        ),
        (
            {"setup.cfg": "[options\ninstall_requires = a\n"},
            "setup.cfg:1: not a valid setup.cfg",
        ),
        ({"setup.py": "setup()\n"}, "no install_requires in setup.cfg (setup.py is never run)"),
    ],
)
def test_malformed_metadata_is_an_error_naming_the_file_and_line(
    files: dict[str, str], message: str, tmp_path: Path
) -> None:
    write_files(tmp_path, files)
    with pytest.raises(RuleError) as raised:
        read_declarations(tmp_path, DependencyRequest())
    assert message in str(raised.value)


def test_installed_distributions_are_read_from_their_metadata() -> None:
    environment = read_environment([DATA / "site-packages"])
    tops = {d.name: d.top_level for d in environment.distributions.values()}
    assert tops == {
        "PyYAML": ("_yaml", "yaml"),  # top_level.txt
        "SQLAlchemy": ("sqlalchemy",),
        "attrs": ("attr", "attrs"),  # RECORD, a quoted path included
        "charset-normalizer": ("charset_normalizer",),  # scripts (../../bin) are no module
        "click": ("click",),
        "google-cloud-storage": ("google",),
        "gunicorn": ("gunicorn",),
        "legacy-tool": ("legacy_tool",),  # an egg: installed-files.txt
        "mylib": ("mylib",),  # an editable install: its finder's mapping, read as a literal
        "protobuf": ("google",),
        "pytest": ("_pytest", "py", "pytest"),
        "requests": ("requests",),
        "types-requests": (),  # stubs only
        "typing_extensions": ("typing_extensions",),  # a single module
        "urllib3": ("urllib3",),
    }
    assert [r.name for r in environment.distributions["legacy-tool"].requires] == ["six", "click"]
    assert environment.providers("google.protobuf") == ("protobuf",)


def test_a_virtual_environment_is_searched_in_its_site_packages(tmp_path: Path) -> None:
    site = tmp_path / "venv" / "lib" / "python3.12" / "site-packages"
    site.mkdir(parents=True)
    (tmp_path / "venv" / "pyvenv.cfg").write_text("home = /usr/bin\n")
    assert site_directories(tmp_path / "venv") == [site]
    assert site_directories(tmp_path) == [tmp_path]


def test_a_pth_file_names_the_modules_of_the_directory_it_adds(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "src/lib/__init__.py": "",
            "src/single.py": "",
            "site/lib-1.0.dist-info/METADATA": "Name: lib\n",
            "site/lib-1.0.dist-info/RECORD": "__editable__.lib-1.0.pth,,\n",
            "site/__editable__.lib-1.0.pth": f"{tmp_path / 'src'}\nimport os\n",
        },
    )
    environment = read_environment([tmp_path / "site"])
    assert environment.distributions["lib"].top_level == ("lib", "single")


def test_the_projects_own_top_level_modules_are_local(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "app/__init__.py": "",
            "src/plugins/extra.py": "",
            "manage.py": "",
            "docs/index.md": "",
            "venv/lib/site.py": "",
        },
    )
    assert local_modules(tmp_path) == {"app", "plugins", "manage"}


def test_optional_imports_are_read_from_the_modules_source(tmp_path: Path) -> None:
    write_files(tmp_path, {"app/io.py": "try:\n    import ujson\nexcept ImportError:\n    pass\n"})
    metadata = ProjectDependencyMetadata(tmp_path, {"app.io": "app/io.py", "app.gone": "gone.py"})
    assert metadata.optional_import_lines(["app.io", "app.gone"]) == {
        "app.io": frozenset({2}),
        "app.gone": frozenset(),
    }


def test_a_configured_environment_must_be_a_directory(tmp_path: Path) -> None:
    metadata = ProjectDependencyMetadata(tmp_path, {})
    with pytest.raises(RuleError, match="environment: 'nowhere' is not a directory"):
        metadata.environment(DependencyRequest(environment=("nowhere",)))
