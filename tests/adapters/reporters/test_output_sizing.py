"""Output sized for where it is read (issue 10 §3) and untrusted text in output (issue 11 §D).

The text report summarises large rules (``--full`` shows all), markdown fits a
GitHub comment, annotations stay within GitHub's limits, blind spots take one
line; JSON and SARIF stay complete. Text from the analysed code cannot reach a
terminal, a log viewer or a pull-request comment as anything but text.
"""

from __future__ import annotations

import importlib.util
import itertools
import json
from pathlib import Path

import pytest

from fitness.adapters.reporters import ReportContext, render
from fitness.adapters.reporters.markdown import code, render_markdown
from fitness.adapters.reporters.sarif import rule_id, rule_ids
from fitness.adapters.reporters.text import render_report
from fitness.cli import main
from fitness.domain.rendering import FULL, SUMMARY, quote_source, render_failure
from fitness.domain.violations import Chain, Link, RuleResult, Violation

ESC = "\x1b[2J\x1b[32mKEPT"


def link(importer: str, imported: str, code: str = "") -> Link:
    file = importer.replace(".", "/") + ".py"
    return Link(importer, imported, (1,), file, code or f"import {imported}")


def chain(*modules: str) -> Chain:
    return Chain(tuple(link(a, b) for a, b in itertools.pairwise(modules)))


def big_result(violations: int = 8, chains: int = 10, name: str = "Layers") -> RuleResult:
    return RuleResult(
        rule_name=name,
        description="Layers app.high > app.low",
        violations=tuple(
            Violation(
                f"app.low.m{v}",
                "app.high",
                f"app.low.m{v} is not allowed to import app.high",
                tuple(chain(f"app.low.m{v}", f"app.mid.c{c}", "app.high") for c in range(chains)),
            )
            for v in range(violations)
        ),
        guidance="Move the code.",
        rule_type="layers",
    )


# ---- text ----------------------------------------------------------------------------


def test_the_text_report_shows_the_first_chains_of_a_violation_then_how_many_more() -> None:
    text = render_failure(big_result(violations=1, chains=10), SUMMARY)
    assert text.splitlines()[2:] == [
        "app.low.m0 is not allowed to import app.high (10 chains):",
        "  app.low.m0 -> app.mid.c0 -> app.high",
        "    app/low/m0.py:1  import app.mid.c0",
        "    app/mid/c0.py:1  import app.high",
        "  app.low.m0 -> app.mid.c1 -> app.high",
        "    app/low/m0.py:1  import app.mid.c1",
        "    app/mid/c1.py:1  import app.high",
        "  app.low.m0 -> app.mid.c2 -> app.high",
        "    app/low/m0.py:1  import app.mid.c2",
        "    app/mid/c2.py:1  import app.high",
        "  ... and 7 more chains",
        "",
        "How to fix: Move the code.",
    ]


def test_the_text_report_shows_the_first_violations_of_a_rule_then_how_many_more() -> None:
    text = render_failure(big_result(violations=8, chains=1), SUMMARY)
    summaries = [line for line in text.splitlines() if line.startswith("app.low")]
    assert summaries == [f"app.low.m{v} is not allowed to import app.high:" for v in range(5)]
    assert "... and 3 more violations of this rule" in text.splitlines()


def test_full_shows_every_violation_and_chain() -> None:
    text = render_failure(big_result(violations=8, chains=10), FULL)
    assert text.count(" -> app.high\n") == 80
    assert "more" not in text


def test_other_imports_making_the_same_route_are_shortened_too() -> None:
    extras = tuple(link(f"app.low.x{i}", "app.mid") for i in range(6))
    route = Chain(chain("app.low.x", "app.mid", "app.high").links, extra_firsts=extras)
    result = RuleResult("r", "d", (Violation("app.low", "app.high", "s", (route,)),))
    lines = render_failure(result, SUMMARY).splitlines()
    assert lines[2:7] == [
        "s:",
        "  app.low.x -> app.mid -> app.high",
        "    (also app.low.x0 -> app.mid)",
        "    (also app.low.x1 -> app.mid)",
        "    (also app.low.x2 -> app.mid)",
    ]
    assert lines[7] == "    (... and 3 more imports making the same route)"


def test_a_shortened_report_says_how_to_see_everything() -> None:
    text = render_report([big_result()], limits=SUMMARY)
    assert text.endswith(
        "(shortened: fitness check --full shows every violation and chain, "
        "as --format json and sarif do)\n\n0 kept, 1 broken (8 violations)\n"
    )
    assert "shortened" not in render_report([big_result(violations=1, chains=1)], limits=SUMMARY)


def test_each_warning_is_printed_once() -> None:
    broken = RuleResult(
        "broken", "d", big_result(1, 1).violations, warnings=("a warning of a broken rule",)
    )
    kept = RuleResult("kept", "d", warnings=("a warning of a kept rule",))
    text = render_report([broken, kept], limits=SUMMARY)
    assert text.count("a warning of a broken rule") == 1
    assert text.count("a warning of a kept rule") == 1
    assert text.splitlines()[:3] == [
        "BROKEN broken",
        "KEPT   kept",
        "  warning: a warning of a kept rule",
    ]


def test_a_long_warning_is_wrapped_and_cut_and_shown_whole_with_full() -> None:
    modules = ", ".join(f"django.package{i}" for i in range(400))
    result = RuleResult("r", "d", big_result(1, 1).violations, warnings=(f"through {modules}",))
    lines = render_report([result], limits=SUMMARY).splitlines()
    warning = next(i for i, line in enumerate(lines) if line.startswith("warning: through"))
    assert all(len(line) <= 100 for line in lines[warning : warning + 8])
    assert lines[warning + 7].endswith(" …")
    assert not lines[warning + 8].startswith("  django.package")
    assert f"warning: through {modules}" in render_report([result], limits=FULL).splitlines()


def test_blind_spots_take_one_line_unless_listed() -> None:
    from fitness.domain.graph import DynamicImport

    spots = [DynamicImport("app.x", "app/x.py", 3, "import_module(name)")] * 2
    assert render_report([], spots).splitlines()[:3] == [
        "",
        "Blind spots: 2 dynamic imports the rules cannot see:",
        "  app/x.py:3  import_module(name)",
    ]
    assert render_report([], spots, blind_spots="summary").splitlines()[1] == (
        "Blind spots: 2 dynamic imports the rules cannot see (fitness check --blind-spots "
        "lists them)"
    )
    assert "Blind spots" not in render_report([], spots, blind_spots="off")


# ---- markdown ------------------------------------------------------------------------


def test_markdown_starts_with_the_table_and_folds_the_details() -> None:
    text = render("markdown", [big_result(2, 1)], ReportContext())
    lines = text.splitlines()
    assert lines[:7] == [
        "## Architecture fitness",
        "",
        "**0 kept, 1 broken (2 violations)**",
        "",
        "| | rule | new violations | in baseline | fixed |",
        "|---|---|---:|---:|---:|",
        "| ❌ | Layers | 2 | 0 | 0 |",
    ]
    assert "<details><summary>❌ <b>Layers</b>: 2 violations</summary>" in lines
    assert lines[-1] == "</details>"


def test_markdown_fits_a_github_comment_and_says_how_to_see_everything() -> None:
    results = [big_result(200, 10, name=f"rule {i}") for i in range(5)]
    text = render("markdown", results, ReportContext())
    assert len(text) < 65_536
    assert len(text.encode()) <= 60_000
    assert text.count("<details>") == text.count("</details>")
    assert all(f"| ❌ | rule {i} | 200 | 0 | 0 |" in text for i in range(5))
    note = text.splitlines()[-1]
    shown = text.count("- **app.low.m")
    assert note == (
        f"> **Shortened to fit:** {1000 - shown} violations of 5 rules not shown here. "
        "`fitness check --full` prints every violation; `fitness check --format json` or "
        "`--format sarif` (or `--output report.json`) report them all."
    )
    assert shown > 20


def test_markdown_without_a_budget_has_everything() -> None:
    results = [big_result(200, 10, name=f"rule {i}") for i in range(5)]
    text = render_markdown(results, ReportContext(), budget=None)
    assert text.count("- **app.low.m") == 1000
    assert "Shortened" not in text


def test_a_code_span_is_fenced_by_more_backticks_than_any_run_inside() -> None:
    assert code("import a") == "`import a`"
    assert code("x = `a` + ``b``") == "``` x = `a` + ``b`` ```"
    assert code("`") == "`` ` ``"


def test_markdown_and_html_in_a_source_line_stay_text() -> None:
    evil = "import app.high  # `![x](https://e.vil/x.png)` <img src=x onerror=alert(1)>"
    result = RuleResult(
        "r",
        "d",
        (
            Violation(
                "a",
                "b",
                "app.low ![y](https://e.vil/y.png) <b>",
                (Chain((link("app.low", "app.high", evil),)),),
            ),
        ),
    )
    text = render("markdown", [result], ReportContext())
    assert "- **app.low \\!\\[y\\]\\(https://e.vil/y.png\\) &lt;b&gt;.**" in text
    assert (
        "    - `app/low.py:1` "
        "`` import app.high  # `![x](https://e.vil/x.png)` <img src=x onerror=alert(1)> ``"
    ) in text.splitlines()


# ---- GitHub annotations --------------------------------------------------------------


def annotation_lines(text: str, kind: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith(f"::{kind} ")]


def test_github_annotations_stay_within_ten_errors_a_step() -> None:
    results = [big_result(20, 1, name="A"), big_result(10, 1, name="B")]
    text = render("github", results, ReportContext())
    errors = annotation_lines(text, "error")
    assert len(errors) == 10
    assert [e.split("::")[2][: len("app.low.m0")] for e in errors[:9]] == [
        f"app.low.m{v}" for v in range(9)
    ]
    assert errors[-1] == (
        "::error title=fitness%3A 21 more errors::21 more errors are not annotated (GitHub shows "
        "10 error annotations of a step): A: 11; B: 10. The job summary lists them all; so does "
        "`fitness check --full` (or --format json or sarif)."
    )
    assert (
        len(annotation_lines(render("github", results, ReportContext(bounded=False)), "error"))
        == 30
    )


def test_github_step_summary_gets_the_whole_markdown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.helpers import write_project

    modules = {f"app/low/m{i}.py": "import app.high\n" for i in range(30)}
    root = write_project(
        tmp_path,
        """
        [tool.fitness]
        root_packages = ["app"]

        [[tool.fitness.rules]]
        name = "forbidden"
        type = "forbidden"
        source_modules = ["app.low.*"]
        forbidden_modules = ["app.high"]
        """,
        {"app/__init__.py": "", "app/high.py": "", "app/low/__init__.py": "", **modules},
    )
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    code = main(["check", "--no-cache", "--config", str(root), "--format", "github"])
    assert code == 1
    out = capsys.readouterr().out
    assert len(annotation_lines(out, "error")) == 10
    written = summary.read_text(encoding="utf-8")
    assert written.startswith("earlier step\n## Architecture fitness\n")
    assert written.count("- **app.low.m") == 30


# ---- SARIF and JSON: complete; rule ids unique -------------------------------------


def test_sarif_and_json_stay_complete() -> None:
    results = [big_result(200, 10)]
    sarif = json.loads(render("sarif", results, ReportContext()))
    assert len(sarif["runs"][0]["results"]) == 200
    assert all(len(r["codeFlows"]) == 10 for r in sarif["runs"][0]["results"])
    data = json.loads(render("json", results, ReportContext()))
    assert sum(len(v["chains"]) for r in data["rules"] for v in r["violations"]) == 2000


def test_sarif_rule_ids_differ_for_names_that_differ_only_in_non_ascii_characters() -> None:
    ids = rule_ids(["Schichten für Domäne", "Schichten fär Domüne", "Layers", "layers!"])
    assert len(set(ids.values())) == 4
    assert ids["Layers"] == "fitness/layers-" + ids["Layers"].rsplit("-", 1)[1]
    assert rule_id("Schichten für Domäne") == ids["Schichten für Domäne"]
    assert rule_id("Schichten für Domäne").startswith("fitness/schichten-fur-domane-")
    assert rule_ids(["Layered architecture"]) == {
        "Layered architecture": "fitness/layered-architecture"
    }


def test_sarif_quotes_a_long_source_line_capped() -> None:
    long = "import app.high  # " + "x" * 1_000_000
    result = RuleResult(
        "r", "d", (Violation("a", "b", "s", (Chain((link("app.low", "app.high", long),)),)),)
    )
    text = render("sarif", [result], ReportContext())
    assert len(text) < 10_000
    assert quote_source(long) in text
    assert len(quote_source(long)) == 200


# ---- control characters --------------------------------------------------------------


def escaped_result() -> RuleResult:
    evil = Chain((link("app.low", "app.high", f"import app.high  # {ESC}"),))
    return RuleResult(
        f"rule {ESC}",
        f"described {ESC}",
        (Violation("app.low", "app.high", f"summary {ESC}", (evil,)),),
        warnings=(f"warning {ESC}",),
    )


@pytest.mark.parametrize("fmt", ["text", "github", "markdown"])
def test_no_control_character_reaches_a_human_readable_report(fmt: str) -> None:
    text = render(fmt, [escaped_result()], ReportContext())
    assert "\x1b" not in text
    assert "\\x1b[2J\\x1b[32mKEPT" in text


def test_no_control_character_reaches_a_pytest_failure() -> None:
    text = render_failure(escaped_result())
    assert "\x1b" not in text
    assert "    app/low.py:1  import app.high  # \\x1b[2J\\x1b[32mKEPT" in text.splitlines()


def test_no_control_character_reaches_a_diagram() -> None:
    from fitness.adapters.reporters.diagram import Diagram, Edge
    from fitness.adapters.reporters.dot import render_dot
    from fitness.adapters.reporters.mermaid import render_mermaid

    diagram = Diagram(
        depth=None,
        nodes=(f"app.{ESC}", 'app."b"'),
        edges=(Edge(f"app.{ESC}", 'app."b"', 1, True),),
        clusters=(),
    )
    dot = render_dot(diagram)
    mermaid = render_mermaid(diagram)
    assert "\x1b" not in dot + mermaid
    assert '"app.\\\\x1b[2J\\\\x1b[32mKEPT"' in dot
    assert 'n0["app.\\x1b[2J\\x1b[32mKEPT"]' in mermaid
    assert 'n1["app.#quot;b#quot;"]' in mermaid


# ---- on Django -----------------------------------------------------------------------

DJANGO_RULES = """
[tool.fitness]
root_packages = ["django"]

[[tool.fitness.rules]]
name = "Layered Django"
type = "layers"
layers = ["django.contrib", "django.views", "django.http", "django.db", "django.utils"]

[[tool.fitness.rules]]
name = "Core does not use contrib"
type = "forbidden"
source_modules = ["django.core", "django.db", "django.utils", "django.http"]
forbidden_modules = ["django.contrib"]

[[tool.fitness.rules]]
name = "Independent contrib apps"
type = "independence"
modules = ["django.contrib.*"]

[[tool.fitness.rules]]
name = "No cycles between packages"
type = "acyclic"
modules = ["django"]

[[tool.fitness.rules]]
name = "No cycles between siblings"
type = "acyclic_siblings"
ancestors = ["django"]
"""


@pytest.fixture(scope="module")
def django_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Five ordinary rules over the installed Django (found on sys.path, not analysed in
    place: the configuration lives in a directory of its own)."""
    if importlib.util.find_spec("django") is None:  # found, not imported
        pytest.skip("Django is not installed (pip install django)")
    root = tmp_path_factory.mktemp("django-rules")
    (root / "pyproject.toml").write_text(DJANGO_RULES, encoding="utf-8")
    return root


def run_check(root: Path, capsys: pytest.CaptureFixture[str], *options: str) -> str:
    code = main(["check", "--config", str(root / "pyproject.toml"), *options])
    out = capsys.readouterr().out
    assert code == 1, out
    return out


@pytest.mark.slow
def test_on_django_the_text_report_is_a_summary_and_full_has_everything(
    django_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = run_check(django_project, capsys)
    full = run_check(django_project, capsys, "--full")
    data = json.loads(run_check(django_project, capsys, "--format", "json"))
    violations = data["summary"]["violations"]
    assert violations > 100
    assert (
        text.splitlines()[-1]
        == full.splitlines()[-1]
        == f"0 kept, 5 broken ({violations} violations)"
    )
    lines = text.splitlines()
    assert len(lines) <= 450  # 5 rules x 5 violations x 3 chains, and the messages
    assert len(full.splitlines()) > 1_000
    assert max(len(line) for line in lines) <= 400  # a path, an import capped at 200
    assert text.count("there are more than 20 cycles") == 1
    assert [line for line in lines if line.startswith("Blind spots")] == [
        line for line in lines if "dynamic import" in line
    ]
    assert len([line for line in lines if "dynamic import" in line]) == 1
    assert "import_module(" not in text
    chains = sum(len(v["chains"]) for rule in data["rules"] for v in rule["violations"])
    assert full.count("\n  django.") + full.count("\n  ... ") >= chains > text.count("\n  django.")


@pytest.mark.slow
def test_on_django_the_acyclic_cycle_breakers_are_listed_up_to_max_cycles(
    django_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    full = run_check(django_project, capsys, "--full")
    [header] = [line for line in full.splitlines() if line.startswith("Removing these ")]
    assert header.endswith(" imports would break every cycle (nominated by grimp):")
    start = full.splitlines().index(header)
    listed = full.splitlines()[start + 1 : start + 22]
    assert [line.startswith("  django.") for line in listed].count(True) == 20
    assert listed[20].startswith("  ... and ")
    assert listed[20].endswith(
        " more (at most max_cycles = 20 are listed; the JSON report has them all)"
    )


@pytest.mark.slow
def test_on_django_markdown_fits_a_github_comment(
    django_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    markdown = run_check(django_project, capsys, "--format", "markdown")
    assert len(markdown) < 65_536
    assert markdown.splitlines()[4] == "| | rule | new violations | in baseline | fixed |"
    assert markdown.count("<details>") == markdown.count("</details>") == 5
    assert markdown.splitlines()[-1].startswith("> **Shortened to fit:** ")


@pytest.mark.slow
def test_on_django_github_annotations_stay_within_a_steps_limits(
    django_project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = django_project / "step-summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    out = run_check(django_project, capsys, "--format", "github")
    errors = annotation_lines(out, "error")
    assert len(errors) == 10
    assert errors[-1].startswith("::error title=fitness%3A ")
    assert "more errors are not annotated" in errors[-1]
    assert len(annotation_lines(out, "warning")) <= 10
    written = summary.read_text(encoding="utf-8")
    assert "Shortened" not in written
    assert len(written.encode()) <= 1_000_000
    data = json.loads(run_check(django_project, capsys, "--format", "json"))
    assert written.count("\n- **") == data["summary"]["violations"]
