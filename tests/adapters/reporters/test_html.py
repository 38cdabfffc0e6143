"""`fitness report -o FILE`: one self-contained file, loaded in a real headless Chromium."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from fitness.cli import main
from tests.helpers import REPO, append

UP = "from shop.application.place_order import PlaceOrder  # reaching up\n"
ACROSS = "from shop.adapters.db import repository  # across adapters\n"
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"


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


def test_the_report_without_a_metrics_rule_still_measures(report: Path) -> None:
    text = report.read_text(encoding="utf-8")
    assert 'id="metrics-table"' in text and 'id="main-sequence"' in text


def _ensure_chromium() -> None:
    if Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists():
        return
    script = REPO / "scripts" / "install-chromium.sh"
    if shutil.which("apt-get"):
        subprocess.run(["sh", str(script)], check=False, capture_output=True, timeout=900)
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        pytest.skip(
            "chromium and chromedriver are not installed and could not be installed "
            "(run scripts/install-chromium.sh as root)"
        )


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")
    from selenium.webdriver.chrome.service import Service

    _ensure_chromium()
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--window-size=1280,2000",
    ):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def test_the_report_loads_in_chromium_with_the_expected_content(browser: Any, report: Path) -> None:
    from selenium.webdriver.common.by import By

    browser.get(report.as_uri())

    severe = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
    assert severe == []
    assert browser.find_element(By.TAG_NAME, "body").get_attribute("data-ready") == "true"

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

    # The dependency structure matrix: pricing's upward import is a red cell.
    pricing = browser.find_element(
        By.CSS_SELECTOR, 'table.dsm tr[data-package="shop.domain.pricing"]'
    )
    bad = pricing.find_elements(By.CSS_SELECTOR, "td.bad")
    assert [cell.text for cell in bad] == ["1"]
    assert "shop.domain.pricing imports shop.application.place_order" in (
        bad[0].get_attribute("title") or ""
    )
    assert len(browser.find_elements(By.CSS_SELECTOR, "table.dsm tbody tr")) == 9

    # The layered graph: one box per package, the violating imports in red.
    nodes = {n.get_attribute("data-node") for n in browser.find_elements(By.CSS_SELECTOR, "g.node")}
    assert {"shop.main", "shop.adapters.web", "shop.domain.pricing"} <= nodes
    red = {
        (p.get_attribute("data-source"), p.get_attribute("data-target"))
        for p in browser.find_elements(By.CSS_SELECTOR, "path.edge.violating")
    }
    assert red == {
        ("shop.domain.pricing", "shop.application.place_order"),
        ("shop.adapters.web", "shop.adapters.db"),
    }
    layers = browser.find_elements(By.CSS_SELECTOR, "#layered-graph rect.layer")
    assert len(layers) == 4

    # The main sequence and the metrics table.
    assert browser.find_elements(By.CSS_SELECTOR, "#main-sequence g.point")
    metric_rows = browser.find_elements(By.CSS_SELECTOR, "#metrics-table tbody tr")
    packages = [r.get_attribute("data-package") for r in metric_rows]
    assert "shop.domain.model" in packages and "shop.adapters.db" in packages
    model = browser.find_element(
        By.CSS_SELECTOR, '#metrics-table tr[data-package="shop.domain.model"]'
    )
    cells = [c.text for c in model.find_elements(By.TAG_NAME, "td")]
    assert cells[0] == "shop.domain.model" and cells[4] == "5"  # Ca: five packages use it

    # Sorting by a heading works (the inline script runs).
    browser.find_element(By.XPATH, "//table[@id='metrics-table']//th[text()='Ca']").click()
    first = browser.find_element(By.CSS_SELECTOR, "#metrics-table tbody tr")
    assert first.find_elements(By.TAG_NAME, "td")[4].text == "0"
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []
