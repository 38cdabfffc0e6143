"""Inputs past some parser's limits, and configuration files that are not what they seem:
a clear error naming the file (exit 2), never a crash or a traceback (issue 11 A, F)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from fitness.cli import main
from tests.robustness.corpus import FITNESS, LAYERS, Case, rule, write_case


def run(root: Path, *args: str) -> tuple[int, str, str]:
    process = subprocess.run(
        [*FITNESS, "check", *args], cwd=root, capture_output=True, text=True, timeout=300
    )
    return process.returncode, process.stdout, process.stderr


def test_a_deep_expression_is_refused_before_grimp_parses_it(tmp_path: Path) -> None:
    """grimp's Rust parser overflows its stack (a segmentation fault, exit 139) on a chain
    of some 40,000 operators: such a file is checked with Python's parser first."""
    deep = "import os\nx = " + "+".join(["1"] * 50_000) + "\n"
    write_case(tmp_path, Case("deep", "graph", "", files={"shop/domain/money.py": deep}))
    for _ in range(2):  # cold, then with the cache of the other files
        code, out, err = run(tmp_path)
        assert (code, out) == (2, "")
        assert err == (
            f"fitness: error: {tmp_path}/pyproject.toml: cannot parse shop/domain/money.py, "
            "line 2: too deeply nested (Python's parser gives up)\n"
        )
    assert run(tmp_path, "--no-cache")[2] == err


def test_a_deep_expression_in_a_class_under_a_metrics_rule_is_named(tmp_path: Path) -> None:
    """Shallow enough for grimp, too deep for Python's ast (which reads classes)."""
    source = "class Money:\n    x = " + "+".join(["1"] * 5_000) + "\n"
    config = LAYERS + '\n[[tool.fitness.rules]]\nname = "lcom"\ntype = "metrics"\nmax_lcom4 = 5\n'
    write_case(
        tmp_path, Case("deep", "graph", "", config=config, files={"shop/domain/money.py": source})
    )
    code, out, err = run(tmp_path)
    assert (code, out) == (2, "")
    assert err == (
        "fitness: error: cannot parse shop/domain/money.py: too deeply nested "
        "(Python's parser gives up)\n"
    )


@pytest.mark.slow
def test_packages_nested_a_thousand_deep_are_analysed(tmp_path: Path) -> None:
    write_case(tmp_path, Case("deep", "kept", ""))
    directories = [tmp_path / "shop/domain/p"]
    for _ in range(999):
        directories.append(directories[-1] / "p")
    for directory in directories:
        directory.mkdir()
        (directory / "__init__.py").write_text("", encoding="utf-8")
    (directories[-1] / "leaf.py").write_text("import shop.application\n", encoding="utf-8")
    try:
        code, out, err = run(tmp_path)
        assert (code, err) == (1, "")
        assert "  shop.domain" + ".p" * 1000 + ".leaf -> shop.application" in out.splitlines()
        assert run(tmp_path)[:2] == (1, out)  # warm
    finally:  # shutil.rmtree (pytest's clean-up) recurses: take the tree down here
        (directories[-1] / "leaf.py").unlink()
        for directory in reversed(directories):
            (directory / "__init__.py").unlink()
            directory.rmdir()


@pytest.mark.parametrize("depth", [500, 5000])
def test_toml_nested_hundreds_deep_is_invalid_toml(
    depth: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = LAYERS + "x = " + "[" * depth + "]" * depth + "\n"
    write_case(tmp_path, Case("deep", "config", "", config=config))
    code = main(["check", "--config", str(tmp_path / "pyproject.toml")])
    assert code == 2
    assert capsys.readouterr().err == (
        f"fitness: error: {tmp_path}/pyproject.toml: invalid TOML: nested too deeply\n"
    )


def test_a_setup_cfg_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    write_case(tmp_path, Case("bom", "kept", ""))
    (tmp_path / "pyproject.toml").unlink()
    (tmp_path / "setup.cfg").write_bytes(
        b"\xef\xbb\xbf[importlinter]\nroot_package = shop\n\n[importlinter:contract:1]\n"
        b"name = layered\ntype = layers\nlayers =\n    shop.application\n    shop.domain\n"
    )
    for args in [(), ("--config", "setup.cfg")]:
        code, out, err = run(tmp_path, *args)
        assert (code, err) == (0, "")
        assert "KEPT   layered" in out.splitlines()


def test_an_ini_file_with_a_line_before_any_section_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "setup.cfg").write_text("root_package = shop\n[importlinter]\n")
    assert main(["check", "--config", str(tmp_path / "setup.cfg")]) == 2
    assert capsys.readouterr().err == (
        f"fitness: error: {tmp_path}/setup.cfg:1: invalid INI: a line before the first "
        "[section] ('root_package = shop')\n"
    )


@pytest.mark.parametrize("name", ["notes.txt", "shop/domain/model.py"])
def test_config_pointing_at_a_file_that_is_not_a_configuration(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_case(tmp_path, Case("c", "kept", ""))
    (tmp_path / "notes.txt").write_text("hello\n")
    assert main(["check", "--config", str(tmp_path / name)]) == 2
    assert capsys.readouterr().err == (
        f"fitness: error: {tmp_path / name}: not a configuration: no [importlinter] section "
        "(an INI file such as setup.cfg or .importlinter), and not a .toml file with "
        "[tool.fitness] or [tool.importlinter]\n"
    )


def test_an_unreadable_pyproject_is_reported_not_skipped_for_the_parents(tmp_path: Path) -> None:
    write_case(tmp_path, Case("parent", "kept", ""))
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub/pyproject.toml").write_bytes(b'x = "\xff"\n')
    code, out, err = run(tmp_path / "sub")
    assert (code, out) == (2, "")
    assert err == f"fitness: error: {tmp_path}/sub/pyproject.toml: not valid UTF-8 (byte 5)\n"


def test_a_pyproject_without_permission_to_read_is_reported(tmp_path: Path) -> None:
    write_case(tmp_path, Case("parent", "kept", ""))
    (tmp_path / "sub").mkdir()
    unreadable = tmp_path / "sub/pyproject.toml"
    unreadable.write_text(rule(""))
    unreadable.chmod(0)
    try:
        if unreadable.read_bytes() is not None:
            pytest.skip("this user reads any file (root)")
    except PermissionError:
        pass
    code, out, err = run(tmp_path / "sub")
    assert (code, out) == (2, "")
    assert err == f"fitness: error: {unreadable}: cannot read: Permission denied\n"


def test_the_configuration_is_scanned_once_whatever_the_number_of_rules(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each rule's line (for reports and pytest items) was found by rescanning the file:
    time grew with the square of the number of rules (1,000 rules: 5.9 s)."""
    from fitness.adapters.config import toml_keys
    from fitness.adapters.config.source import load_config
    from fitness.adapters.reporters.files import context_for

    body = 'type = "independence"\nmodules = ["shop.domain", "shop.application"]\n'
    config = rule("".join(f'[[tool.fitness.rules]]\nname = "r{i}"\n{body}\n' for i in range(300)))
    write_case(tmp_path, Case("many", "broken", "", config=config))
    loaded = load_config(tmp_path / "pyproject.toml")
    scans: list[str] = []
    original = toml_keys._HEADER.match

    def match(line: str) -> object:
        scans.append(line)
        return original(line)

    monkeypatch.setattr(
        toml_keys,
        "_HEADER",
        type(
            "Counting",
            (),
            {"match": staticmethod(match)},
        ),
    )
    toml_keys._toml_index.cache_clear()
    context = context_for(loaded)
    lines = config.splitlines()
    assert context.rule_lines == {f"r{i}": lines.index(f'name = "r{i}"') for i in range(300)}
    assert len(scans) == sum("[" in line for line in lines)  # each line looked at once


# The estimate that decides which files the slow check (Python's parser) reads -------


def test_a_long_chain_is_counted_whatever_brackets_and_commas_it_holds() -> None:
    from fitness.adapters.source_limits import _longest_chain

    assert _longest_chain(b"x = " + b"+".join([b"1"] * 30_000)) == 29_999
    assert _longest_chain(b"x = a" + b".b" * 30_000) == 30_000
    assert _longest_chain(b"x = f" + b"(1, 2)" * 30_000) == 30_000  # chained calls
    assert _longest_chain(b'x = "a,b"' + b' + "a,b"' * 30_000) == 30_000  # commas in strings
    assert _longest_chain(b"x = " + b"(" * 100_000) > 20_000  # deeper than Python allows


def test_a_long_list_of_short_expressions_is_no_chain() -> None:
    from fitness.adapters.source_limits import _longest_chain

    table = b"x = [" + b", ".join([b"(a*b + c) - d"] * 30_000) + b"]\n"
    assert _longest_chain(table) < 10


def test_a_large_files_operators_and_separators_are_counted_in_one_pass() -> None:
    """What the nesting check and the line-copies check each counted, from one pass."""
    from fitness.adapters.source_limits import _NOT_OPERATORS, _counts

    data = b"import a, b; from c import (d, e)\nx = f(a.b[1] + 2 * 3 - 4 / 5 % 6 @ m) | 7 & 8\n"
    data = data * 2_000 + bytes(range(256))
    operators = len(data.translate(None, _NOT_OPERATORS))
    assert _counts(data) == (operators, data.count(b",") + data.count(b";"))
    assert operators > 20_000  # (a file the nesting check counts)
