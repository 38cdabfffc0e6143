"""Regenerate the screenshots of the HTML report in docs/ (docs/report.md shows them).

    .venv/bin/python scripts/report_screenshots.py [--out docs]

Writes the report of ``examples/shop`` with two violations (the same as the browser
tests) and of Django as installed from PyPI (``pip install django``; copied and read,
never imported), opens each in headless Chromium (``scripts/install-chromium.sh``)
and takes pictures of its parts. Prints each file's size, and each report's.
"""

from __future__ import annotations

import argparse
import importlib.util
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"

SHOP_CHANGES = {
    "shop/domain/pricing.py": "from shop.application.place_order import PlaceOrder  # up\n",
    "shop/adapters/web/handlers.py": "from shop.adapters.db import repository  # across\n",
}

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


def write_report(project: Path, *args: str) -> Path:
    target = project / "report.html"
    subprocess.run(
        [sys.executable, "-m", "fitness", "report", "-o", str(target), "--no-cache", *args],
        cwd=project,
        check=False,
        capture_output=True,
    )
    if not target.exists():
        raise SystemExit(f"no report written in {project}")
    print(f"{project.name}: report {target.stat().st_size:,} bytes")
    return target


def shop(workdir: Path) -> Path:
    project = workdir / "shop"
    shutil.copytree(REPO / "examples" / "shop", project)
    for relative, line in SHOP_CHANGES.items():
        with (project / relative).open("a", encoding="utf-8") as file:
            file.write(line)
    return write_report(project, "--depth", "3")


def django(workdir: Path) -> Path:
    spec = importlib.util.find_spec("django")  # located, not imported
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("django is not installed: pip install django")
    project = workdir / "django-project"
    project.mkdir()
    shutil.copytree(
        next(iter(spec.submodule_search_locations)),
        project / "django",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    (project / "pyproject.toml").write_text(DJANGO_CONFIG)
    return write_report(project)


def browser() -> Any:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--hide-scrollbars",
        "--window-size=1280,900",
    ):
        options.add_argument(argument)
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)


def shoot(driver: Any, selector: str, path: Path) -> None:
    element = driver.find_element("css selector", selector)
    driver.execute_script("arguments[0].scrollIntoView({block: 'start'})", element)
    element.screenshot(str(path))
    print(f"wrote {path.relative_to(REPO) if path.is_relative_to(REPO) else path}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs")
    args = parser.parse_args()
    out: Path = args.out.resolve()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        pages = {"shop": shop(workdir), "django": django(workdir)}
        driver = browser()
        try:
            driver.get(pages["shop"].as_uri())
            shoot(driver, "#rules", out / "report-shop-rules.png")
            shoot(driver, "#dsm", out / "report.png")
            shoot(driver, "#graph", out / "report-shop-graph.png")

            driver.get(pages["django"].as_uri())
            shoot(driver, "#dsm", out / "report-django-matrix.png")
            shoot(driver, "#graph", out / "report-django-graph.png")
            driver.execute_script(
                "var d = document.querySelector('#graph > details'); d.open = true;"
                "var b = document.querySelector('button.show-view[data-view=\"rule:2\"]');"
                "b.click();"
            )
            shoot(driver, "#graph", out / "report-django-rule.png")
            driver.execute_script(
                "document.querySelector('button[aria-label=\"expand django.db\"]').click()"
            )
            shoot(driver, "#dsm", out / "report-django-matrix-expanded.png")
            shoot(driver, "#main-sequence-chart", out / "report-django-main-sequence.png")
        finally:
            driver.quit()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
