"""`fitness report -o FILE`: one self-contained file, loaded in a real headless Chromium.

The page is driven as a reader would: expand a package in the matrix, search a module,
open a rule's view; on the shop example and (slow) on Django as installed from PyPI.
"""

from __future__ import annotations

import importlib.util
import itertools
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from fitness.adapters.reporters.diagram import Diagram, Edge
from fitness.adapters.reporters.html import (
    VENDORED,
    HtmlReport,
    Section,
    place_labels,
    render_html,
)
from fitness.cli import main
from fitness.domain.violations import Chain, Link, RuleResult, Violation
from tests.helpers import REPO, append

UP = "from shop.application.place_order import PlaceOrder  # reaching up\n"
ACROSS = "from shop.adapters.db import repository  # across adapters\n"
VENDOR = REPO / "fitness" / "adapters" / "reporters" / "vendor"


@pytest.fixture
def report(shop: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    append(shop / "shop/domain/pricing.py", UP)
    append(shop / "shop/adapters/web/handlers.py", ACROSS)
    target = shop / "out" / "report.html"
    assert main(["report", "-o", str(target), "--depth", "3"]) == 1  # two rules are broken
    assert "fitness: wrote" in capsys.readouterr().out
    return target


def test_the_report_is_self_contained(report: Path) -> None:
    text = report.read_text(encoding="utf-8")
    # Nothing to fetch: no external scripts, styles, images or fonts.
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", text)
    assert "@import" not in text and "url(http" not in text
    assert "<script>" in text and "<style>" in text
    assert "default-src 'none'" in text  # and the page forbids fetching anything
    assert "sourceMappingURL" not in text  # no map for the browser's tools to fetch


def test_the_report_inlines_the_vendored_libraries_which_ship_with_their_licences(
    report: Path,
) -> None:
    text = report.read_text(encoding="utf-8")
    for name in VENDORED:
        first = (VENDOR / name).read_text(encoding="utf-8").splitlines()[0]
        assert first in text
    licences = sorted(p.name for p in VENDOR.glob("*.LICENSE"))
    assert licences == [
        "cytoscape-dagre.LICENSE",
        "cytoscape.LICENSE",
        "dagre.LICENSE",
        "graphlib.LICENSE",
    ]
    assert all(
        "MIT" in (VENDOR / n).read_text() or "Permission" in (VENDOR / n).read_text()
        for n in licences
    )
    package_data = (REPO / "pyproject.toml").read_text()
    assert '"adapters/reporters/vendor/*"' in package_data


def test_the_report_without_a_metrics_rule_still_measures(report: Path) -> None:
    text = report.read_text(encoding="utf-8")
    assert 'id="metrics-table"' in text and 'id="main-sequence"' in text


def test_the_same_project_gives_the_same_bytes_under_any_hash_seed(shop: Path) -> None:
    append(shop / "shop/domain/pricing.py", UP)
    outputs = []
    for seed in ("1", "2"):
        target = shop / f"report-{seed}.html"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-m", "fitness", "report", "-o", str(target), "--no-cache"],
            cwd=shop,
            env=env,
            capture_output=True,
            check=False,
        )
        assert done.returncode == 1, done.stderr.decode()
        outputs.append(target.read_bytes())
    assert outputs[0] == outputs[1]


def test_baselined_violations_are_listed_not_only_counted(
    shop: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    append(shop / "shop/domain/pricing.py", UP)
    assert main(["baseline"]) == 0
    append(shop / "shop/adapters/web/handlers.py", ACROSS)
    target = shop / "report.html"
    assert main(["report", "-o", str(target), "--depth", "3"]) == 1
    text = target.read_text(encoding="utf-8")
    layered = text[text.index('<details class="rule" data-rule="Layered architecture"') :]
    layered = layered[: layered.index("</details></details>")]
    assert '<span class="status KEPT">KEPT</span>' in layered
    assert "1 violation(s) in the baseline" in layered
    assert "shop.domain.pricing -&gt; shop.application.place_order" in layered
    assert "shop/domain/pricing.py:" in layered


def test_ratchets_show_how_much_of_the_baseline_is_fixed(
    shop: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    handlers = shop / "shop/adapters/web/handlers.py"
    before = handlers.read_text(encoding="utf-8")
    append(shop / "shop/domain/pricing.py", UP)
    append(handlers, ACROSS)
    assert main(["baseline"]) == 0
    handlers.write_text(before, encoding="utf-8")  # the import across adapters is fixed
    target = shop / "report.html"
    assert main(["report", "-o", str(target)]) == 0
    text = target.read_text(encoding="utf-8")
    table = text[text.index('<table id="progress-table">') :]
    table = table[: table.index("</table>")]
    assert (
        '<tr data-rule="Adapters are independent"><td>Adapters are independent</td><td>'
        '<progress max="1" value="1"></progress> '
        "1 of 1 baselined chain(s) fixed (100 %), 0 left</td></tr>"
    ) in table
    assert '<progress max="1" value="0"></progress> 0 of 1 baselined chain(s) fixed' in table


UNTRUSTED = '</script><script>alert("x")</script><!-- &amp;'


def test_text_from_the_analysed_code_cannot_break_out_of_the_page() -> None:
    link = Link("pkg.low", "pkg.high", (1,), "pkg/low.py", UNTRUSTED)
    result = RuleResult(
        rule_name=UNTRUSTED,
        description=UNTRUSTED,
        violations=(Violation("pkg.low", "pkg.high", UNTRUSTED, (Chain((link,)),)),),
    )
    diagram = Diagram(
        depth=None,
        nodes=("pkg.high", "pkg.low"),
        edges=(Edge("pkg.low", "pkg.high", 1, True),),
        clusters=(),
    )
    text = render_html(HtmlReport(title=UNTRUSTED, results=[result], diagram=diagram))
    assert 'alert("x")' not in text and "alert(&quot;x&quot;)" in text
    # Four scripts of ours (the data, two libraries, the page's) and nothing else.
    assert text.count("<script") == 4 and text.count("</script>") == 4
    data = text[text.index('id="fitness-data">') : text.index("</script>")]
    assert "\\u003c/script\\u003e" in data and "<" not in data.partition(">")[2]


def test_another_module_can_add_a_section_after_the_rules() -> None:
    diagram = Diagram(depth=1, nodes=("a",), edges=(), clusters=())
    trend = Section("trend", "Trend", '<p id="trend-chart">rising</p>')
    text = render_html(HtmlReport(title="t", results=[], diagram=diagram, sections=[trend]))
    assert '<a href="#trend">Trend</a>' in text
    order = [text.index(f'<section id="{s}">') for s in ("rules", "trend", "dsm", "graph")]
    assert order == sorted(order)
    assert '<p id="trend-chart">rising</p>' in text


def _overlapping(boxes: list[tuple[float, float, float, float]]) -> list[tuple[int, int]]:
    return [
        (i, j)
        for i, a in enumerate(boxes)
        for j, b in enumerate(boxes[i + 1 :], i + 1)
        if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
    ]


def test_main_sequence_labels_of_crowded_points_never_overlap() -> None:
    points = [(f"pkg.sub{i}", 100.0 + i % 3, 200.0 + i % 2) for i in range(12)]
    points.append(("pkg.alone", 380.0, 100.0))
    labels = place_labels(points)
    assert "pkg.alone" in labels and "pkg.sub0" in labels
    assert 1 < len(labels) < len(points)  # the crowd has no room for every label
    boxes = []
    for name, (x, y, anchor) in labels.items():
        width = len(name.rpartition(".")[2]) * 6.4
        left = {"start": x, "end": x - width, "middle": x - width / 2}[anchor]
        boxes.append((left, y - 10, left + width, y + 3))
    assert _overlapping(boxes) == []


# In a real browser ------------------------------------------------------------------------------


def _console(browser: Any) -> list[str]:
    """What the page said on the console that a reader would call a problem."""
    return [
        entry["message"]
        for entry in browser.get_log("browser")
        if entry["level"] in ("SEVERE", "WARNING")
    ]


def _load(browser: Any, page: Path) -> None:
    browser.get(page.as_uri())
    assert _console(browser) == []
    body = browser.find_element("tag name", "body")
    assert body.get_attribute("data-ready") == "true"
    assert body.get_attribute("data-graph") == "packages"


def _graph_labels_overlap(browser: Any) -> list[list[str]]:
    """Pairs of boxes in the graph whose labels (or boxes) overlap."""
    return browser.execute_script(  # type: ignore[no-any-return]
        """
        var nodes = window.fitnessReport.cy.nodes("[kind = 'node']"), pairs = [];
        var boxes = nodes.map(function (n) { return n.boundingBox({includeLabels: true}); });
        for (var i = 0; i < boxes.length; i++) {
          for (var j = i + 1; j < boxes.length; j++) {
            var a = boxes[i], b = boxes[j];
            if (a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2) {
              pairs.push([nodes[i].id(), nodes[j].id()]);
            }
          }
        }
        return pairs;
        """
    )


def _chart_labels_overlap(browser: Any) -> list[list[str]]:
    return browser.execute_script(  # type: ignore[no-any-return]
        """
        var texts = Array.from(document.querySelectorAll("#main-sequence text.label"));
        var boxes = texts.map(function (t) { return t.getBBox(); }), pairs = [];
        for (var i = 0; i < boxes.length; i++) {
          for (var j = i + 1; j < boxes.length; j++) {
            var a = boxes[i], b = boxes[j];
            if (a.x < b.x + b.width && b.x < a.x + a.width &&
                a.y < b.y + b.height && b.y < a.y + a.height) {
              pairs.push([texts[i].textContent, texts[j].textContent]);
            }
          }
        }
        return pairs;
        """
    )


def _matrix_rows(browser: Any) -> list[str]:
    from selenium.webdriver.common.by import By

    rows = browser.find_elements(By.CSS_SELECTOR, "table.dsm tbody tr")
    return [row.get_attribute("data-package") for row in rows]


def _search_graph(browser: Any, query: str) -> list[str]:
    from selenium.webdriver.common.by import By

    search = browser.find_element(By.ID, "graph-search")
    search.clear()
    search.send_keys(query)
    return browser.execute_script(  # type: ignore[no-any-return]
        "return window.fitnessReport.cy.nodes('.match').map(function (n) { return n.id(); })"
    )


def _open_rule_view(browser: Any, rule: str) -> dict[str, Any]:
    from selenium.webdriver.common.by import By

    details = browser.find_element(By.CSS_SELECTOR, f'details.rule[data-rule="{rule}"]')
    browser.execute_script("arguments[0].open = true", details)
    button = details.find_element(By.CSS_SELECTOR, "button.show-view")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", button)
    button.click()
    return browser.execute_script(  # type: ignore[no-any-return]
        """
        var cy = window.fitnessReport.cy;
        return {
          view: document.body.getAttribute("data-graph"),
          nodes: cy.nodes("[kind = 'node']").map(function (n) { return n.id(); }).sort(),
          red: cy.edges("[flag = 1]").map(function (e) {
            return e.source().id() + " -> " + e.target().id(); }).sort()
        };
        """
    )


def test_the_report_loads_in_chromium_with_the_expected_content(browser: Any, report: Path) -> None:
    from selenium.webdriver.common.by import By

    _load(browser, report)

    # The rules, and the violations with their chains.
    rows = browser.find_elements(By.CSS_SELECTOR, "#rules-table tbody tr")
    status = {
        r.get_attribute("data-rule"): r.find_element(By.CSS_SELECTOR, "td").text for r in rows
    }
    assert status["Layered architecture"] == "BROKEN"
    assert status["Adapters are independent"] == "BROKEN"
    assert status["No infrastructure in the core"] == "KEPT"
    violations = [v.text for v in browser.find_elements(By.CSS_SELECTOR, "li.violation")]
    assert any(
        "shop.domain is not allowed to import shop.application" in v
        and "shop.domain.pricing -> shop.application.place_order" in v
        and "shop/domain/pricing.py:" in v
        for v in violations
    )

    # The matrix at depth 3, the packages in the layers' order; pricing's upward import
    # is red, and it closes a cycle with place_order (outlined).
    rows = _matrix_rows(browser)
    starts = browser.find_elements(By.CSS_SELECTOR, "table.dsm tr.layer-start")
    assert [r.get_attribute("data-package") for r in starts] == [
        "shop.adapters",
        "shop.application",
        "shop.domain",
    ]  # a line where each layer begins
    assert rows.index("shop.main") < rows.index("shop.adapters.web")
    assert rows.index("shop.adapters.web") < rows.index("shop.application.place_order")
    assert rows.index("shop.application.place_order") < rows.index("shop.domain.pricing")
    pricing = browser.find_element(
        By.CSS_SELECTOR, 'table.dsm tr[data-package="shop.domain.pricing"]'
    )
    bad = pricing.find_elements(By.CSS_SELECTOR, "td.bad")
    assert [cell.text for cell in bad] == ["1"]
    assert "cycle" in (bad[0].get_attribute("class") or "")
    assert bad[0].get_attribute("title") == (
        "shop.domain.pricing imports shop.application.place_order (1)"
    )

    # The package graph: one box per package, the violating imports in red, layers framed.
    graph = browser.execute_script(
        """
        var cy = window.fitnessReport.cy;
        return {
          nodes: cy.nodes("[kind = 'node']").map(function (n) { return n.id(); }),
          layers: cy.nodes("[kind = 'parent']").map(function (n) { return n.data('label'); }),
          red: cy.edges("[flag = 1]").map(function (e) {
            return e.source().id() + " -> " + e.target().id(); }).sort()
        };
        """
    )
    assert {"shop.main", "shop.adapters.web", "shop.domain.pricing"} <= set(graph["nodes"])
    assert graph["red"] == [
        "shop.adapters.web -> shop.adapters.db",
        "shop.domain.pricing -> shop.application.place_order",
    ]
    assert sorted(graph["layers"]) == [
        "shop.adapters",
        "shop.application",
        "shop.domain",
        "shop.main",
    ]
    assert _graph_labels_overlap(browser) == []

    # The main sequence and the metrics table.
    assert browser.find_elements(By.CSS_SELECTOR, "#main-sequence g.point")
    assert _chart_labels_overlap(browser) == []
    model = browser.find_element(
        By.CSS_SELECTOR, '#metrics-table tr[data-package="shop.domain.model"]'
    )
    cells = [c.text for c in model.find_elements(By.TAG_NAME, "td")]
    assert cells[0] == "shop.domain.model" and cells[4] == "5"  # Ca: five packages use it

    # Sorting by a heading works (the inline script runs).
    browser.find_element(By.XPATH, "//table[@id='metrics-table']//th[text()='Ca']").click()
    first = browser.find_element(By.CSS_SELECTOR, "#metrics-table tbody tr")
    assert first.find_elements(By.TAG_NAME, "td")[4].text == "0"
    assert _console(browser) == []


def test_a_package_in_the_matrix_expands_into_its_modules_and_collapses_again(
    browser: Any, report: Path
) -> None:
    from selenium.webdriver.common.by import By

    _load(browser, report)
    before = _matrix_rows(browser)
    assert "shop.adapters.web.handlers" not in before
    browser.find_element(By.CSS_SELECTOR, 'button[aria-label="expand shop.adapters.web"]').click()
    after = _matrix_rows(browser)
    assert after.index("shop.adapters.web") + 1 == after.index("shop.adapters.web.handlers")
    handlers = browser.find_element(
        By.CSS_SELECTOR, 'table.dsm tr[data-package="shop.adapters.web.handlers"]'
    )
    assert [
        c.get_attribute("title") for c in handlers.find_elements(By.CSS_SELECTOR, "td.bad")
    ] == ["shop.adapters.web.handlers imports shop.adapters.db (1)"]
    browser.find_element(By.CSS_SELECTOR, 'button[aria-label="collapse shop.adapters.web"]').click()
    assert _matrix_rows(browser) == before

    # Finding a module opens the packages above it.
    search = browser.find_element(By.ID, "dsm-search")
    search.send_keys("handlers\n")
    found = browser.find_element(By.CSS_SELECTOR, "table.dsm tr.found")
    assert found.get_attribute("data-package") == "shop.adapters.web.handlers"
    assert _console(browser) == []


def test_a_module_is_found_in_the_graph_by_its_name(browser: Any, report: Path) -> None:
    from selenium.webdriver.common.by import By

    _load(browser, report)
    assert _search_graph(browser, "pricing") == ["shop.domain.pricing"]
    # A module inside a package the view shows whole: the package is found.
    assert _search_graph(browser, "shop.adapters.web.handlers") == ["shop.adapters.web"]
    assert _search_graph(browser, "no.such.module") == []
    status = browser.find_element(By.ID, "graph-status").text
    assert status == "0 match(es) for no.such.module"
    assert _console(browser) == []


def test_a_box_in_the_graph_names_itself_on_hover(browser: Any, report: Path) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    _load(browser, report)
    container = browser.find_element(By.ID, "cy")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", container)
    tip = browser.find_element(By.ID, "tip")

    def hovered(_: Any) -> bool:
        """Move the pointer onto the box (where it is now: the browser may still be
        placing it, on a loaded machine) and say whether the tip shows."""
        x, y, width, height = browser.execute_script(
            """
            var cy = window.fitnessReport.cy, p = cy.$id("shop.domain.pricing").renderedPosition();
            return [p.x, p.y, cy.width(), cy.height()];
            """
        )
        # Selenium's offsets are from the element's centre.
        ActionChains(browser).move_to_element_with_offset(
            container, int(x - width / 2), int(y - height / 2)
        ).perform()
        return bool(tip.is_displayed())

    # The browser handles the pointer's move in its own time: waited for, not timed.
    WebDriverWait(browser, 20, poll_frequency=0.2).until(hovered)
    assert tip.text == "shop.domain.pricing: imports 3, imported by 1 (in this view)"


def test_a_rule_view_shows_only_the_modules_of_its_violations(browser: Any, report: Path) -> None:
    _load(browser, report)
    view = _open_rule_view(browser, "Adapters are independent")
    assert view["view"].startswith("rule:")
    assert view["nodes"] == ["shop.adapters.db.repository", "shop.adapters.web.handlers"]
    assert view["red"] == ["shop.adapters.web.handlers -> shop.adapters.db.repository"]
    assert _graph_labels_overlap(browser) == []
    assert _console(browser) == []


def test_a_page_too_large_to_draw_whole_says_so_instead_of_hanging(
    browser: Any, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By

    nodes = tuple(f"pkg.m{i:03}" for i in range(900))
    edges = tuple(Edge(a, b, 1) for a, b in itertools.pairwise(nodes))
    diagram = Diagram(depth=None, nodes=nodes, edges=edges, clusters=())
    page = tmp_path / "large.html"
    page.write_text(render_html(HtmlReport(title="large", results=[], diagram=diagram)))
    _load(browser, page)
    assert _matrix_rows(browser) == ["pkg"]  # 901 rows would not fit: the package, closed
    browser.find_element(By.CSS_SELECTOR, 'button[aria-label="expand pkg"]').click()
    assert _matrix_rows(browser) == ["pkg"]
    assert browser.find_element(By.ID, "dsm-status").text == (
        "that would show 901 rows (at most 400): expand fewer packages, or find a module"
    )
    assert browser.find_element(By.ID, "graph-status").text == (
        "900 boxes: too many to draw (at most 800); pick a rule's view, "
        "or write the report with a smaller --depth"
    )
    assert _console(browser) == []


# Django, as installed from PyPI (copied and read, never imported) --------------------------------

DJANGO_CONFIG = """\
[tool.fitness]
root_packages = ["django"]

[[tool.fitness.rules]]
name = "Views above http above the ORM"
type = "layers"
layers = ["django.views", "django.http", "django.db"]

[[tool.fitness.rules]]
name = "Contrib and test above the core"
type = "layers"
layers = [
    "django.contrib | django.test",
    "django.views | django.middleware",
    "django.urls : django.http",
    "django.core",
]

[[tool.fitness.rules]]
name = "The ORM does not know the web"
type = "forbidden"
source_modules = ["django.db"]
forbidden_modules = ["django.http", "django.views", "django.template"]
"""


@pytest.fixture(scope="module")
def django_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    spec = importlib.util.find_spec("django")  # located, not imported
    if spec is None or not spec.submodule_search_locations:
        pytest.skip("django is not installed (pip install -e '.[test]')")
    project = tmp_path_factory.mktemp("django-project")
    shutil.copytree(
        next(iter(spec.submodule_search_locations)),
        project / "django",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    (project / "pyproject.toml").write_text(DJANGO_CONFIG)
    target = project / "report.html"
    done = subprocess.run(
        [sys.executable, "-m", "fitness", "report", "-o", str(target)],
        cwd=project,
        capture_output=True,
        check=False,
    )
    assert done.returncode == 1, done.stderr.decode()
    return target


@pytest.mark.slow
def test_the_report_of_django_stays_compact(django_report: Path) -> None:
    # 0.65 MB when written (0.49 MB of it the vendored libraries): see docs/report.md.
    assert django_report.stat().st_size < 1_000_000


@pytest.mark.slow
def test_the_report_of_django_reads_at_its_size(browser: Any, django_report: Path) -> None:
    from selenium.webdriver.common.by import By

    _load(browser, django_report)
    rows = _matrix_rows(browser)
    assert rows.index("django.views") < rows.index("django.http") < rows.index("django.db")
    browser.find_element(By.CSS_SELECTOR, 'button[aria-label="expand django.db"]').click()
    expanded = _matrix_rows(browser)
    assert {"django.db.models", "django.db.backends", "django.db.migrations"} <= set(expanded)
    assert browser.find_elements(By.CSS_SELECTOR, "table.dsm td.cycle")  # Django has cycles

    assert _search_graph(browser, "django.db.models.query") == ["django.db"]
    assert _graph_labels_overlap(browser) == []
    assert _chart_labels_overlap(browser) == []

    view = _open_rule_view(browser, "The ORM does not know the web")
    # Chains from the ORM to the web: modules at both ends, nothing unrelated.
    assert view["red"]
    assert {m for edge in view["red"] for m in edge.split(" -> ")} == set(view["nodes"])
    assert any(node.startswith("django.db.") for node in view["nodes"])
    assert any(
        node.startswith(("django.http", "django.views", "django.template"))
        for node in view["nodes"]
    )
    assert _graph_labels_overlap(browser) == []
    assert _console(browser) == []
