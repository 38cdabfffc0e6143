"""The plugin, installed (found through its entry point), on examples/django_blog."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import fitness_django
import pytest

from fitness.cli import main


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write(textwrap.dedent(text))


def break_the_architecture(blog: Path) -> None:
    """The violations docs/plugins.md shows."""
    append(
        blog / "accounts/models.py",
        """

        def latest_posts(user):
            from blog.models import Post  # accounts reaching up into blog

            return Post.objects.filter(author=user)
        """,
    )
    append(
        blog / "blog/models.py",
        """

        def admin_url(post):
            from blog.admin import PostAdmin

            return PostAdmin.get_absolute_url(post)
        """,
    )
    edit(
        blog / "blog/views.py",
        "from django.conf import settings\n",
        "from mysite.settings import base as settings\n",
    )


def test_the_plugin_is_found_through_its_entry_point(
    blog: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["rules", "--format", "json"]) == 0
    types = {t["type"]: t for t in json.loads(capsys.readouterr().out)["rule_types"]}
    for rule_class in fitness_django.RULE_TYPES:
        plugin = types[rule_class.type_name]["plugin"]
        assert plugin["kind"] == "entry point"
        assert (plugin["name"], plugin["distribution"]) == ("django", "fitness-django")
        assert plugin["version"] == fitness_django.__version__


def test_the_example_keeps_its_architecture(blog: Path, pytester: pytest.Pytester) -> None:
    result = pytester.runpytest("-v")
    result.assert_outcomes(passed=4)
    result.stdout.fnmatch_lines(
        [
            "*::Apps depend only on the apps they declare PASSED*",
            "*::Models know nothing of views, forms and admin PASSED*",
            "*::Settings are read through django.conf.settings PASSED*",
        ]
    )


def test_broken_principles_fail_with_chains_files_and_lines(
    blog: Path, pytester: pytest.Pytester
) -> None:
    break_the_architecture(blog)
    result = pytester.runpytest()
    result.assert_outcomes(failed=3, passed=1)
    result.stdout.fnmatch_lines(
        [
            "*Django apps may import only the apps they declare (accounts -> none; "
            "blog -> accounts; comments -> accounts, blog), because *",
            "app accounts is not allowed to import app blog (it may import no other app):",
            "  accounts.models -> blog.models",
            "    accounts/models.py:14  from blog.models import Post  # accounts reaching up *",
            "How to fix: Declare the dependency if it is intended*",
        ]
    )
    result.stdout.fnmatch_lines(
        [
            "*Models (<app>.models) must not import <app>.views, <app>.forms or <app>.admin, "
            "of any Django app, because *",
            "accounts.models is not allowed to import blog.admin:",
            "  accounts.models -> blog.models -> blog.admin",
            "    accounts/models.py:14  from blog.models import Post*",
            # (made inside a function, as the message says)
            "    blog/models.py:23  from blog.admin import PostAdmin  (inside a function)",
            "blog.models is not allowed to import blog.admin:",
            "  blog.models -> blog.admin",
        ]
    )
    result.stdout.fnmatch_lines(
        [
            "*Modules must read settings through django.conf.settings, never by importing a "
            "settings module, because *",
            "blog.views imports the settings module mysite.settings.base:",
            "  blog.views -> mysite.settings.base",
            "    blog/views.py:2  from mysite.settings import base as settings",
        ]
    )


def test_fitness_check_exit_codes(blog: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check"]) == 0
    break_the_architecture(blog)
    assert main(["check"]) == 1
    out = capsys.readouterr().out
    assert "BROKEN Apps depend only on the apps they declare" in out
    assert "KEPT   Shared helpers know no app" in out


def test_an_unknown_app_is_an_error_on_the_item(blog: Path, pytester: pytest.Pytester) -> None:
    edit(
        blog / "pyproject.toml",
        'apps.comments = ["blog", "accounts"]',
        'apps.comments = ["blogs", "accounts"]',
    )
    result = pytester.runpytest()
    result.assert_outcomes(failed=1, passed=3)
    result.stdout.fnmatch_lines(
        ["apps.comments: 'blogs' is not a Django app; did you mean 'blog'? (apps found: *"]
    )


def test_a_misspelt_option_is_a_configuration_error(blog: Path, pytester: pytest.Pytester) -> None:
    edit(
        blog / "pyproject.toml",
        'type = "django_models_isolation"\n',
        'type = "django_models_isolation"\nforbiden = ["views"]\n',
    )
    result = pytester.runpytest()
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    out = result.stdout.str()
    assert (
        "pyproject.toml:22: [[tool.fitness.rules]] #2 ('Models know nothing of views, forms "
        "and admin'): unknown option 'forbiden'; did you mean 'forbidden'?"
    ) in out
    assert "Traceback" not in out
