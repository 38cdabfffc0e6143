"""examples/invoicing: a codebase mid-migration, its old billing code strangled by the new.

Its fitness-baseline.json records today's importers of invoicing.legacy; a copy with a
new importer fails, one with an importer migrated reports the progress, one whose
replacement imports the legacy code fails whatever the baseline says.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from fitness.cli import main
from tests.helpers import copy_example

NEW_IMPORTER = (
    '"""Refunds: a new page, written against the old tax code."""\n\n'
    "from invoicing.legacy.tax import vat\n"
)
MIGRATED_REMINDERS = (
    '"""Payment reminders: now on the new billing code."""\n\n'
    "from invoicing.billing.documents import render_invoice\n"
)
REPLACEMENT_REACHES_BACK = "from invoicing.legacy.tax import VAT_RATES  # reaching back\n"
LEFT_TODAY = "  progress: 3 importers, 4 imports of invoicing.legacy left"


@pytest.fixture
def invoicing(pytester: pytest.Pytester) -> Path:
    """A fresh copy of examples/invoicing, as the working directory."""
    target = copy_example("invoicing", pytester.path)
    os.chdir(target)
    return target


def check(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    """``fitness check`` in the copy: its exit code and what it printed."""
    capsys.readouterr()  # not what pytester's runs printed
    code = main(["check", *args])
    return code, capsys.readouterr().out


def test_the_example_keeps_its_strangler_fig_and_shows_what_is_left(
    pytester: pytest.Pytester, invoicing: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(
        [
            "*- pytest-fitness -*",
            "Billing strangler fig: progress: 3 importers, 4 imports of invoicing.legacy left "
            "(none fixed since the baseline)",
        ]
    )
    code, out = check(capsys)
    assert code == 0
    assert out.splitlines()[:2] == [
        "KEPT   Billing strangler fig (3 known violations in the baseline)",
        f"{LEFT_TODAY} (none fixed since the baseline)",
    ]


def test_a_new_importer_of_the_legacy_code_fails(
    pytester: pytest.Pytester, invoicing: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (invoicing / "invoicing/web/refunds.py").write_text(NEW_IMPORTER, encoding="utf-8")
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "invoicing.web.refunds imports the legacy code invoicing.legacy; new code must use "
            "invoicing.billing instead:",
            "  invoicing.web.refunds -> invoicing.legacy.tax",
            "    invoicing/web/refunds.py:3  from invoicing.legacy.tax import vat",
            "How to fix: New code must use invoicing.billing instead of invoicing.legacy: the "
            "strangler fig only shrinks the legacy code's reach.*",
            "(not shown: 3 known violations in the baseline)",
        ]
    )
    code, out = check(capsys)
    assert code == 1
    assert out.splitlines()[1:3] == [
        "  progress: 4 importers, 5 imports of invoicing.legacy left (none fixed since the "
        "baseline; 1 new",
        "    importer, 1 new import)",
    ]


def test_a_new_import_by_a_known_importer_fails(pytester: pytest.Pytester, invoicing: Path) -> None:
    customers = invoicing / "invoicing/web/customers.py"
    customers.write_text(
        customers.read_text(encoding="utf-8")
        + "from invoicing.legacy.db import overdue_invoices\n",
        encoding="utf-8",
    )
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "invoicing.web.customers imports the legacy code invoicing.legacy; *",
            "  invoicing.web.customers -> invoicing.legacy.db",
            "(not shown: 2 known violations, 1 known chain in the baseline)",
        ]
    )
    assert "invoicing.web.customers -> invoicing.legacy.pdf" not in result.stdout.str()


def test_a_migrated_importer_is_reported_as_progress(
    pytester: pytest.Pytester, invoicing: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    reminders = invoicing / "invoicing/jobs/reminders.py"
    reminders.write_text(MIGRATED_REMINDERS, encoding="utf-8")
    code, out = check(capsys)
    assert code == 0
    assert out.splitlines()[:5] == [
        "KEPT   Billing strangler fig (2 known violations in the baseline)",
        "  progress: 2 importers, 3 imports of invoicing.legacy left (1 importer, 1 import fixed "
        "since the",
        "    baseline)",
        "  warning: fixed: invoicing.jobs.reminders -> invoicing.legacy.db "
        "(invoicing.jobs.reminders ->",
        "    invoicing.legacy) is no longer a violation but is still in the baseline; update the "
        "baseline to",
    ]
    code, out = check(capsys, "--format", "json")
    progress = json.loads(out)["rules"][0]["details"]["progress"]
    assert progress["fixed_importers"] == progress["fixed_imports"] == 1
    # pytest passes, and says the baseline can shrink.
    result = pytester.runpytest("-p", "no:cacheprovider")
    assert result.parseoutcomes()["passed"] == 1
    result.stdout.fnmatch_lines(["*FitnessWarning: Billing strangler fig: fixed: *"])
    # Once the baseline is updated, the migrated importer may not come back.
    result.stdout.fnmatch_lines(
        [
            "Billing strangler fig: progress: 2 importers, 3 imports of invoicing.legacy left "
            "(1 importer, 1 import fixed since the baseline)"
        ]
    )
    assert main(["baseline"]) == 0
    reminders.write_text(
        MIGRATED_REMINDERS + "from invoicing.legacy.db import overdue_invoices\n", encoding="utf-8"
    )
    code, out = check(capsys)
    assert code == 1
    assert "invoicing.jobs.reminders imports the legacy code invoicing.legacy" in out


def test_the_replacement_importing_the_legacy_code_fails_whatever_the_baseline(
    pytester: pytest.Pytester, invoicing: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tax = invoicing / "invoicing/billing/tax.py"
    tax.write_text(tax.read_text(encoding="utf-8") + REPLACEMENT_REACHES_BACK, encoding="utf-8")
    assert main(["baseline"]) == 0
    capsys.readouterr()
    recorded = json.loads((invoicing / "fitness-baseline.json").read_text(encoding="utf-8"))
    importers = [v["importer"] for v in recorded["rules"]["Billing strangler fig"]["violations"]]
    assert importers == [
        "invoicing.jobs.reminders",
        "invoicing.reports.monthly",
        "invoicing.web.customers",
    ]
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "the replacement invoicing.billing.tax imports the legacy code invoicing.legacy; "
            "invoicing.billing must never depend on what it replaces:",
            "  invoicing.billing.tax -> invoicing.legacy.tax",
            "    invoicing/billing/tax.py:26  from invoicing.legacy.tax import VAT_RATES  "
            "# reaching back",
        ]
    )
    code, out = check(capsys)
    assert code == 1
    assert f"{LEFT_TODAY} (none fixed since the baseline)" in out


def test_the_progress_is_the_same_bytes_whatever_the_hash_seed(invoicing: Path) -> None:
    (invoicing / "invoicing/web/refunds.py").write_text(NEW_IMPORTER, encoding="utf-8")
    outputs = set()
    for seed in (0, 1, 2):
        env = {**os.environ, "PYTHONHASHSEED": str(seed)}
        env.pop("GITHUB_STEP_SUMMARY", None)
        done = subprocess.run(
            [sys.executable, "-m", "fitness", "check", "--no-cache", "--format", "json"],
            cwd=invoicing,
            env=env,
            capture_output=True,
            check=False,
        )
        assert done.returncode == 1, done.stderr
        outputs.add(done.stdout)
    [output] = outputs
    assert b'"new_importers": 1' in output


def test_the_baseline_says_which_violations_it_leaves_out(
    invoicing: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Right after `fitness baseline`, `fitness check` still fails on the replacement
    importing the legacy code: the baseline says so instead of leaving it a surprise."""
    tax = invoicing / "invoicing/billing/tax.py"
    tax.write_text(tax.read_text(encoding="utf-8") + REPLACEMENT_REACHES_BACK, encoding="utf-8")
    capsys.readouterr()
    assert main(["baseline"]) == 0
    captured = capsys.readouterr()
    assert captured.out == "fitness: wrote fitness-baseline.json (3 violations of 1 rule)\n"
    assert captured.err == (
        "fitness: warning: Billing strangler fig: 1 violation not recorded: no baseline "
        "forgives it, so `fitness check` fails until it is fixed "
        "(invoicing.billing.tax -> invoicing.legacy)\n"
    )
    assert main(["baseline", "-q"]) == 0
    assert capsys.readouterr().err == captured.err
