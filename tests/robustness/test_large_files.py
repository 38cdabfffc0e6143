"""A 20 MB module with 100,000 imports, generated here (never committed): refused with
the default ``max_file_size`` (5 MiB), and with the limit raised analysed, cached, and
reported with the right line, without a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from fitness.cli import main
from tests.robustness.corpus import LAYERS, Case, snapshot, write_case

IMPORTS = 100_000
PADDING = "#" * 160


def big_module() -> str:
    lines = [f"from shop.domain import money as alias_{i}  {PADDING}\n" for i in range(IMPORTS)]
    lines.append("import shop.application.services\n")  # the one violation, on the last line
    return "".join(lines)


@pytest.mark.slow
def test_a_20_mb_module_with_100k_imports(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = big_module()
    assert len(text) > 20_000_000
    root = write_case(
        tmp_path, Case("big", "broken", "", config=LAYERS, files={"shop/domain/big.py": text})
    )
    before = snapshot(root)
    assert main(["check", "--config", str(root / "pyproject.toml")]) == 2
    assert capsys.readouterr().err == (
        f"fitness: error: {root}/pyproject.toml: cannot read shop/domain/big.py: "
        f"{len(text):,} bytes, more than max_file_size (5 MiB); raise max_file_size in "
        "[tool.fitness] to analyse it\n"
    )
    raised = LAYERS.replace("[tool.fitness]\n", '[tool.fitness]\nmax_file_size = "32 MiB"\n')
    (root / "pyproject.toml").write_text(raised)
    before["pyproject.toml"] = raised.encode()
    reports = []
    for _ in range(2):  # cold, then warm from the cache
        code = main(["check", "--config", str(root / "pyproject.toml")])
        captured = capsys.readouterr()
        assert (code, captured.err) == (1, "")
        assert "Traceback" not in captured.out
        reports.append(captured.out)
    assert reports[0] == reports[1]
    lines = reports[0].splitlines()
    assert "  shop.domain.big -> shop.application.services" in lines
    assert f"    shop/domain/big.py:{IMPORTS + 1}  import shop.application.services" in lines
    assert snapshot(root) == before
