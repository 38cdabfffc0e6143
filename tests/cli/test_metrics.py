"""``fitness metrics``: the table, JSON and CSV, on the shop example."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from fitness.cli import main
from tests.helpers import copy_example

SHOP_TABLE = [
    # package, modules, classes, abstract, Ca, Ce, I, A, D, H, LCOM4
    [
        "shop",
        "1",
        "0",
        "0",
        "0",
        "0",
        "undefined",
        "undefined",
        "undefined",
        "undefined",
        "undefined",
    ],
    ["shop.adapters", "8", "2", "0", "1", "2", "0.67", "0", "0.33", "0.5", "1"],
    ["shop.application", "3", "3", "2", "2", "1", "0.33", "0.67", "0", "1", "1"],
    ["shop.domain", "4", "3", "0", "2", "0", "0", "0", "1", "1", "1"],
    ["shop.main", "1", "0", "0", "0", "2", "1", "undefined", "undefined", "undefined", "undefined"],
]


@pytest.fixture
def shop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    target = copy_example("shop", tmp_path)
    monkeypatch.chdir(target)
    return target


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["metrics", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_text_table(shop: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys)
    assert code == 0
    assert err == ""  # not a terminal: no progress
    lines = out.splitlines()
    assert lines[0] == "Packages at depth 2 (external packages not counted in Ca and Ce)"
    header = lines.index(next(line for line in lines if line.startswith("package ")))
    assert lines[header].split() == [
        "package",
        "modules",
        "classes",
        "abstract",
        "Ca",
        "Ce",
        "I",
        "A",
        "D",
        "H",
        "LCOM4",
    ]
    assert [line.split() for line in lines[header + 1 : header + 6]] == SHOP_TABLE
    assert "System (17 modules, 5 packages)" in out
    assert "largest cycle group               0 modules" in out
    assert "propagation cost                  0.1 (10.0%; a module reaches itself only" in out


def test_json(shop: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--format", "json")
    data = json.loads(out)
    assert code == 0
    packages = {p["package"]: p for p in data["packages"]}
    assert packages["shop.main"]["instability"] == 1.0
    assert packages["shop.main"]["abstractness"] is None  # undefined, never 0
    assert packages["shop.application"]["abstract_classes"] == 2
    assert data["system"]["cumulative_component_dependency"] == 46
    assert data["system"]["propagation_cost_counts_self"] is False
    classes = {c["name"]: c for c in data["classes"]}
    assert classes["shop.application.ports.OrderRepository"]["abstract"] is True


def test_csv_is_one_row_per_value(shop: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0
    values = {(r["scope"], r["name"], r["metric"]): r["value"] for r in rows}
    assert values["package", "shop.adapters", "afferent"] == "1"
    assert values["package", "shop.main", "abstractness"] == ""  # undefined
    assert values["class", "shop.domain.money.Money", "lcom4"] == "1"
    assert values["system", "", "largest_cycle_group"] == "0"


def test_depth_and_count_self(shop: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "--depth", "3", "--count-self", "--format", "json")
    data = json.loads(out)
    names = [p["package"] for p in data["packages"]]
    assert "shop.adapters.db" in names and "shop.domain.model" in names
    assert data["system"]["propagation_cost_counts_self"] is True
    assert data["system"]["propagation_cost"] == pytest.approx(0.1003 + 1 / 17, abs=1e-3)


def test_include_external(shop: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "--include-external", "--format", "json")
    packages = {p["package"]: p for p in json.loads(out)["packages"]}
    # shop.main imports flask, sqlalchemy and os besides shop.adapters and
    # shop.application (``from __future__ import annotations`` is no dependency).
    assert packages["shop.main"]["efferent"] == 5
    assert packages["shop.domain"]["efferent"] == 3  # dataclasses, decimal, uuid


def test_class_facts_are_cached_with_the_code_model_unless_no_cache(
    shop: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "--no-cache")
    assert not (shop / ".fitness_cache" / "codemodel").exists()
    run(capsys)
    assert (shop / ".fitness_cache" / "codemodel" / "modules.marshal").is_file()
    assert not (shop / ".fitness_cache" / "classfacts").exists()  # one model, one cache


def test_bad_depth_is_a_usage_error(shop: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["metrics", "--depth", "0"])
    assert exit_info.value.code == 2
    assert "must be 1 or more" in capsys.readouterr().err


def test_a_depth_beyond_the_deepest_module_lists_every_module(
    shop: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "--depth", "9")
    assert code == 0 and "shop.domain.model" in out
    assert err == ""


def test_a_class_whose_public_methods_only_raise_not_implemented_error_is_abstract_unless_told(
    shop: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (shop / "shop" / "domain" / "policies.py").write_text(
        "class PricingPolicy:\n"
        "    def price(self, order):\n"
        '        """The price of an order."""\n'
        "        raise NotImplementedError\n"
    )

    def domain_row(*options: str) -> dict[str, object]:
        code, out, _ = run(capsys, "--format", "json", *options)
        assert code == 0
        rows = {p["package"]: p for p in json.loads(out)["packages"]}
        row: dict[str, object] = rows["shop.domain"]
        return row

    python_style = domain_row()
    assert (python_style["classes"], python_style["abstract_classes"]) == (4, 1)
    assert python_style["abstractness"] == 0.25
    declared_only = domain_row("--declared-abstract-only")
    assert (declared_only["classes"], declared_only["abstract_classes"]) == (4, 0)
    assert declared_only["abstractness"] == 0.0
