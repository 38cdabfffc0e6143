"""The analysed files, as a pull request's author could write them (issue 19): a link
out of the project is not read, a file too large (or full of null bytes, or of imports
on one line) is refused before anything reads it, and a file that cannot be read is one
line. What is printed never holds the content of a file outside the project."""

from __future__ import annotations

import os
import resource
import subprocess
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from fitness.adapters.source_files import PackageFiles
from fitness.cli import main
from tests.robustness.corpus import FITNESS, LAYERS, Case, snapshot, write_case

#: What a CI secret looks like (never a real one).
SECRET = "ghp_notARealToken0123456789abcdef"
NETRC = f"machine github.com login ci password {SECRET}\n"
OUTSIDE_FILE = "a symbolic link to a file outside the project"
OUTSIDE_DIRECTORY = "a symbolic link to a directory outside the project"


def project(tmp_path: Path, config: str = LAYERS, **files: str | bytes) -> Path:
    """The corpus's shop (application above domain: the layers hold) in ``tmp_path/project``,
    with ``files`` (``shop__domain__big_py`` is ``shop/domain/big.py``)."""
    named = {name.replace("__", "/").replace("_py", ".py"): text for name, text in files.items()}
    return write_case(tmp_path / "project", Case("x", "kept", "", config=config, files=named))


def check(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["check", "--config", str(root / "pyproject.toml"), *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def limited_run(root: Path, *args: str, memory: int = 4 << 30) -> subprocess.CompletedProcess[str]:
    """``fitness check`` in a process of its own that cannot take more than ``memory``
    bytes of address space (a memory bomb fails the test instead of the machine)."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    return subprocess.run(
        [*FITNESS, "check", *args],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=limit,
        env={**os.environ, "MALLOC_ARENA_MAX": "2", "RUST_BACKTRACE": "0"},
    )


def error(root: Path, message: str) -> str:
    return f"fitness: error: {root}/pyproject.toml: {message}\n"


# ---- symbolic links out of the project --------------------------------------------------


def test_a_link_to_a_file_outside_the_project_is_a_blind_spot_never_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    netrc = tmp_path / "home" / ".netrc"
    netrc.parent.mkdir()
    netrc.write_text(NETRC)  # not Python: a parse error quoted it, token and all
    root = project(tmp_path)
    (root / "shop/domain/env.py").symlink_to(netrc)
    before = snapshot(root)
    outputs = []
    for args in ((), ("--no-cache",), ()):  # cold, without the cache, warm
        code, out, err = check(root, capsys, *args)
        assert (code, err) == (0, "")
        assert SECRET not in out
        assert str(netrc.parent) not in out  # nor where the link points
        lines = out.splitlines()
        assert "KEPT   layered" in lines
        assert (
            f"Blind spots: 1 file the rules cannot see (not read): shop/domain/env.py "
            f"({OUTSIDE_FILE})"
        ) in lines
        # Every rule says its verdict could not see the file.
        assert "warning: cannot see the imports of a file that was not read" in out
        outputs.append(out)
    assert len(set(outputs)) == 1
    code, out, _ = check(root, capsys, "--blind-spots")
    assert f"  shop/domain/env.py  {OUTSIDE_FILE}" in out.splitlines()
    assert snapshot(root) == before


def test_a_link_to_the_environment_does_not_print_it(tmp_path: Path) -> None:
    root = project(tmp_path)
    (root / "shop/domain/env.py").symlink_to("/proc/self/environ")
    run = subprocess.run(
        [*FITNESS, "check"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "FITNESS_TEST_SECRET": SECRET},
    )
    assert run.returncode == 0, run.stderr
    assert SECRET not in run.stdout + run.stderr
    assert f"shop/domain/env.py ({OUTSIDE_FILE})" in run.stdout


def test_a_linked_directory_outside_the_project_is_not_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vendored = tmp_path / "elsewhere" / "vendored"
    vendored.mkdir(parents=True)
    (vendored / "__init__.py").write_text("")
    (vendored / "up.py").write_text("import shop.application.services\n")  # read: BROKEN
    (vendored / "netrc.py").write_text(NETRC)
    root = project(tmp_path)
    (root / "shop/domain/vendored").symlink_to(vendored, target_is_directory=True)
    code, out, err = check(root, capsys)
    assert (code, err) == (0, "")
    assert SECRET not in out
    assert (
        f"Blind spots: 1 file the rules cannot see (not read): shop/domain/vendored "
        f"({OUTSIDE_DIRECTORY})"
    ) in out.splitlines()


def test_a_package_whose_init_links_outside_keeps_its_modules(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    netrc = tmp_path / "netrc"
    netrc.write_text(NETRC)
    root = project(tmp_path, shop__domain__model_py="import shop.application.services\n")
    (root / "shop/domain/__init__.py").unlink()
    (root / "shop/domain/__init__.py").symlink_to(netrc)
    code, out, err = check(root, capsys)
    assert (code, err) == (1, "")  # shop.domain.model is still read, and breaks the layers
    assert SECRET not in out
    assert "  shop.domain.model -> shop.application.services" in out.splitlines()
    assert f"shop/domain/__init__.py ({OUTSIDE_FILE})" in out


def test_links_inside_the_project_are_followed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(tmp_path, tools__helper_py="import shop.application.services\n")
    (root / "shop/domain/helper.py").symlink_to("../../tools/helper.py")
    code, out, err = check(root, capsys)
    assert (code, err) == (1, "")
    assert "  shop.domain.helper -> shop.application.services" in out.splitlines()
    assert "Blind spots" not in out


@pytest.mark.parametrize(
    ("target", "why"),
    [
        # The runner's credentials inside the checkout: actions/checkout keeps its token
        # in .git/config; other steps write .env or credential files into the workspace.
        (".git/config", "a symbolic link into a hidden file or directory"),
        (".env", "a symbolic link into a hidden file or directory"),
        ("notes.txt", "a symbolic link to a file that is not Python source (.py)"),
    ],
)
def test_a_link_inside_the_project_to_what_is_not_a_module_is_not_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], target: str, why: str
) -> None:
    root = project(tmp_path)
    secret = root / target
    secret.parent.mkdir(parents=True, exist_ok=True)
    secret.write_text(f"[http]\n\textraheader = AUTHORIZATION: basic {SECRET}\n")
    (root / "shop/domain/env.py").symlink_to(secret)
    code, out, err = check(root, capsys)
    assert (code, err) == (0, "")
    assert SECRET not in out
    assert f"Blind spots: 1 file the rules cannot see (not read): shop/domain/env.py ({why})" in (
        out.splitlines()
    )


def test_a_root_package_that_links_outside_the_project_is_analysed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The root packages' real directories are the project's too (a package linked into
    the project, or found on sys.path), and so are the links inside them."""
    elsewhere = write_case(tmp_path / "elsewhere", Case("x", "kept", ""))
    (elsewhere / "shop/domain/again.py").symlink_to("../application/services.py")
    root = tmp_path / "project"
    root.mkdir()
    (root / "pyproject.toml").write_text(LAYERS)
    (root / "shop").symlink_to(elsewhere / "shop", target_is_directory=True)
    code, out, err = check(root, capsys)
    assert (code, err) == (0, "")
    assert "Blind spots" not in out and "warning" not in out


def test_the_code_model_and_the_source_scan_do_not_read_a_link_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = tmp_path / "outside.py"
    outside.write_text(
        'import importlib\n\ndef shout():\n    print("x")\n    '
        'importlib.import_module("shop.application")\n'
    )
    config = LAYERS + (
        '\n[[tool.fitness.rules]]\nname = "no print"\ntype = "functions"\n'
        'modules = ["shop"]\nshould_not_call = ["print"]\n'
    )
    root = project(tmp_path, config=config, shop__domain__total_py="def total():\n    pass\n")
    (root / "shop/domain/printer.py").symlink_to(outside)
    code, out, err = check(root, capsys)
    assert (code, err) == (0, "")
    assert "KEPT   no print" in out.splitlines()
    assert "dynamic import" not in out
    assert out.count("warning: cannot see the imports of a file that was not read") == 2


def test_under_pytest_a_link_out_is_a_blind_spot_and_a_warning(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    netrc = tmp_path / "netrc"
    netrc.write_text(NETRC)
    root = write_case(pytester.path, Case("x", "kept", ""))
    (root / "shop/domain/env.py").symlink_to(netrc)
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)
    assert SECRET not in result.stdout.str() + result.stderr.str()
    assert (
        "FitnessWarning: layered: cannot see the imports of a file that was not read: "
        f"shop/domain/env.py ({OUTSIDE_FILE})"
    ) in result.stdout.str()
    assert (
        f"Blind spots: 1 file the rules cannot see (not read): shop/domain/env.py ({OUTSIDE_FILE})"
    ) in result.stdout.lines


# ---- sizes, null bytes, long lines ----------------------------------------------------


def test_a_file_above_max_file_size_is_refused_naming_the_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = LAYERS.replace("[tool.fitness]\n", '[tool.fitness]\nmax_file_size = "1 KiB"\n')
    root = project(tmp_path, config=config, shop__domain__big_py="x = 1\n" * 400)
    code, out, err = check(root, capsys)
    assert (code, out) == (2, "")
    assert err == error(
        root,
        "cannot read shop/domain/big.py: 2,400 bytes, more than max_file_size (1 KiB); "
        "raise max_file_size in [tool.fitness] to analyse it",
    )
    (root / "pyproject.toml").write_text(config.replace('"1 KiB"', "2400"))
    assert check(root, capsys)[0] == 0


def test_a_sparse_file_of_a_gigabyte_is_refused_unread(tmp_path: Path) -> None:
    root = project(tmp_path)
    with open(root / "shop/domain/big.py", "wb") as stream:
        stream.truncate(1 << 30)  # 1 GiB of null bytes, on no disk (a 448 KB git object)
    run = limited_run(root)
    assert (run.returncode, run.stdout) == (2, "")
    assert run.stderr == error(
        root,
        "cannot read shop/domain/big.py: 1,073,741,824 bytes, more than max_file_size "
        "(5 MiB); raise max_file_size in [tool.fitness] to analyse it",
    )


def test_null_bytes_are_refused_before_grimp_reads_them(tmp_path: Path) -> None:
    """4 MB of null bytes took 600 MB and printed a 16 MB line; 40 MB aborted grimp."""
    root = project(tmp_path, shop__domain__big_py=b"\0" * 4_000_000)
    run = limited_run(root, memory=1 << 30)
    assert (run.returncode, run.stdout) == (2, "")
    assert run.stderr == error(root, "cannot parse shop/domain/big.py, line 1: \\x00")


def test_a_null_byte_is_quoted_with_its_line_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = b"import shop.domain.money\n" * 2000 + b"x = '" + b"a" * 500 + b"\x00b'\n"
    root = project(tmp_path, shop__domain__big_py=text)
    code, out, err = check(root, capsys)
    assert (code, out) == (2, "")
    assert err == error(root, f"cannot parse shop/domain/big.py, line 2001: x = '{'a' * 194}…")


def test_imports_on_one_long_line_are_refused(tmp_path: Path) -> None:
    """grimp keeps the line with each import: 40,000 of them on a line of 1 MB would
    take 40 GB."""
    root = project(tmp_path, shop__domain__big_py="import shop.domain.money;" * 40_000)
    run = limited_run(root)
    assert (run.returncode, run.stdout) == (2, "")
    assert run.stderr == error(
        root,
        "cannot analyse shop/domain/big.py, line 1: 40,000 imported names share this first "
        "line of 1,000,000 characters (grimp keeps a copy of it with each of them); split "
        "the line or the import",
    )


def test_many_names_under_a_long_first_line_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = "from shop.domain import (  # " + "x" * 20_000 + "\n" + "money,\n" * 10_000 + ")\n"
    root = project(tmp_path, shop__domain__big_py=text)
    code, out, err = check(root, capsys)
    assert (code, out) == (2, "")
    assert err.startswith(
        error(root, "cannot analyse shop/domain/big.py, line 1: 10,001 imported names")[:-1]
    )


def test_many_imports_on_lines_of_their_own_are_analysed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = "".join(f"from shop.domain import money as m{i}\n" for i in range(20_000))
    text += "from shop.domain import (\n" + "money,\n" * 20_000 + ")\n"
    root = project(tmp_path, shop__domain__big_py=text + "import shop.application\n")
    code, out, err = check(root, capsys)
    assert (code, err) == (1, "")
    assert "    shop/domain/big.py:40003  import shop.application" in out.splitlines()


def test_a_syntax_error_on_a_long_line_is_quoted_capped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A parse error quoted the whole line (800 KB of stderr)."""
    root = project(tmp_path, shop__domain__big_py="x = " + "a " * 150_000 + "\n")
    code, out, err = check(root, capsys)
    assert (code, out) == (2, "")
    assert err == error(root, f"cannot parse shop/domain/big.py, line 1: x = {'a ' * 97}a…")


def test_control_characters_in_a_quoted_line_are_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(tmp_path, shop__domain__big_py="x = ('\x1b[31m' 1)\n")
    code, out, err = check(root, capsys)
    assert (code, out) == (2, "")
    assert err == error(root, "cannot parse shop/domain/big.py, line 1: x = ('\\x1b[31m' 1)")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            '"5 MiBs"',
            "option 'max_file_size': unknown unit 'MiBs' in '5 MiBs' (one of B, KB, MB, GB, "
            "KiB, MiB, GiB); did you mean 'MiB'?",
        ),
        (
            '"lots"',
            "option 'max_file_size' must be a number of bytes or a size with a unit (B, KB, "
            "MB, GB, KiB, MiB, GiB: \"5 MiB\"), not 'lots'",
        ),
        ("0", "option 'max_file_size' must be at least 1 byte, not 0"),
        ("true", "option 'max_file_size' must be an integer or a string, not a boolean (True)"),
    ],
)
def test_max_file_size_is_validated(
    value: str, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = LAYERS.replace("[tool.fitness]\n", f"[tool.fitness]\nmax_file_size = {value}\n")
    root = project(tmp_path, config=config)
    code, out, err = check(root, capsys)
    assert (code, out) == (2, "")
    assert err == f"fitness: error: {root}/pyproject.toml:2: [tool.fitness]: {message}\n"


def test_a_misspelt_max_file_size_gets_a_did_you_mean(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = LAYERS.replace("[tool.fitness]\n", '[tool.fitness]\nmax_filesize = "10 MiB"\n')
    root = project(tmp_path, config=config)
    _, _, err = check(root, capsys)
    assert err.endswith("unknown key 'max_filesize'; did you mean 'max_file_size'?\n")


# ---- files that cannot be read ---------------------------------------------------------


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files without permission")
def test_an_unreadable_module_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(tmp_path)
    (root / "shop/domain/money.py").chmod(0)
    code, out, err = check(root, capsys)
    assert (code, out) == (2, "")
    assert err == error(root, "cannot read shop/domain/money.py: Permission denied")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files without permission")
def test_under_pytest_an_unreadable_module_is_one_failing_item(
    pytester: pytest.Pytester,
) -> None:
    root = write_case(pytester.path, Case("x", "kept", ""))
    (root / "shop/domain/money.py").chmod(0)
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    assert (
        f"pytest-fitness: {root}/pyproject.toml: cannot read shop/domain/money.py: "
        "Permission denied"
    ) in result.stdout.lines
    assert "Traceback" not in result.stdout.str()


def after_the_listing(
    monkeypatch: pytest.MonkeyPatch, change: Callable[[Path], None], *, grimp_reads: bool = False
) -> None:
    """Make ``change(path of shop/domain/money.py)`` right after the package files are
    listed (a file removed, or replaced, while fitness runs: this runs as root too).
    With ``grimp_reads``, fitness's own check before grimp is skipped: grimp meets it."""
    from fitness.adapters import graph_cache, packages

    listing = vars(packages)["scan_package"]

    def scan_then_change(name: str, directory: str, **options: object) -> PackageFiles:
        listed: PackageFiles = listing(name, directory, **options)
        change(Path(directory) / "domain" / "money.py")
        return listed

    monkeypatch.setattr(packages, "scan_package", scan_then_change)
    if grimp_reads:
        monkeypatch.setattr(graph_cache, "check_sources", lambda *args, **kwargs: None)


def replaced_by_a_directory(path: Path) -> None:
    path.unlink()
    path.mkdir()


def replaced_by_a_named_pipe(path: Path) -> None:
    path.unlink()
    os.mkfifo(path)


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (Path.unlink, "No such file or directory"),
        (replaced_by_a_directory, "a directory, not a file"),
        (replaced_by_a_named_pipe, "a named pipe, not a file"),  # opened without blocking
    ],
)
def test_a_module_that_changes_after_the_listing_is_one_line(
    change: Callable[[Path], None],
    reason: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    root = project(tmp_path)
    after_the_listing(monkeypatch, change)
    outcome: list[tuple[int, str, str]] = []
    worker = threading.Thread(target=lambda: outcome.append(check(root, capsys)), daemon=True)
    worker.start()
    worker.join(timeout=120)  # a named pipe opened for reading would block for ever
    assert outcome, "fitness check blocked"
    code, out, err = outcome[0]
    assert (code, out) == (2, "")
    assert err == error(root, f"cannot read shop/domain/money.py: {reason}")


def test_a_module_grimp_cannot_read_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """grimp panics on a file gone since it was listed ("Could not find module") and raises
    FileNotFoundError on one it may not read: which file, and why, is found again."""
    root = project(tmp_path)
    after_the_listing(monkeypatch, Path.unlink, grimp_reads=True)
    code, out, err = check(root, capsys, "--no-cache")
    assert (code, out) == (2, "")
    assert err == error(root, "cannot read shop/domain/money.py: No such file or directory")


def test_under_pytest_a_module_that_cannot_be_read_is_one_failing_item(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_case(pytester.path, Case("x", "kept", ""))
    after_the_listing(monkeypatch, Path.unlink)
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    assert (
        f"pytest-fitness: {root}/pyproject.toml: cannot read shop/domain/money.py: "
        "No such file or directory"
    ) in result.stdout.lines
    assert "Traceback" not in result.stdout.str()


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files without permission")
@pytest.mark.parametrize(
    ("mode", "reason"), [(0, "Permission denied"), (0o311, "Permission denied")]
)
def test_a_package_directory_that_cannot_be_listed_is_one_line(
    mode: int, reason: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Whether it is a package cannot be told (no permission at all), or its modules
    cannot be listed (no permission to read it): not a silent gap in the graph."""
    root = project(tmp_path)
    (root / "shop/domain").chmod(mode)
    try:
        code, out, err = check(root, capsys)
    finally:
        (root / "shop/domain").chmod(0o755)
    assert (code, out) == (2, "")
    assert err == error(root, f"cannot read shop/domain: {reason}")
