"""import-linter's verdicts on configuration files, as ``lint-imports`` reaches them.

Run in a process of its own (``python importlinter_runner.py SPEC``), so that the
packages analysed come first on its ``sys.path``: grimp finds root packages with
``importlib``, which prefers a module imported already, and import-linter itself
imports rich (one of the packages analysed). ``SPEC`` is a JSON file::

    {"sys_path": ["/site", ...], "configs": ["/project/pyproject.toml", ...]}

The answer, on stdout, is JSON: for each configuration either
``{"error": "..."}`` (import-linter refuses the configuration as a whole: its
reader, its root packages, its graph) or ``{"contracts": {id: outcome}}``, an
outcome being ``{"verdict": "kept" | "broken" | "error", "pairs": [[importer,
imported], ...], "detail": "..."}``. A contract's id is its ``id`` option, or its
position (``#1``...).
"""

from __future__ import annotations

import copy
import importlib
import json
import sys
from typing import Any


def importlinter_pairs(type_name: str, metadata: dict[str, Any]) -> set[tuple[str, str]]:
    """The illegal (importer, imported) pairs, read from import-linter's own metadata."""
    pairs: set[tuple[str, str]] = set()
    if type_name in ("forbidden", "independence"):
        for data in metadata["invalid_chains"]:
            pairs.add((data["downstream_module"], data["upstream_module"]))
    elif type_name == "layers":
        for data in metadata["invalid_dependencies"]:
            pairs.add((data["importer"], data["imported"]))
        pairs |= {(str(module), "") for module in metadata["undeclared_modules"]}
    elif type_name == "protected":
        for data in metadata["illegal_imports"]:
            pairs |= {(link["importer"], link["imported"]) for link in data.illegal_links}
    elif type_name == "private_modules":
        pairs |= {(link["importer"], link["imported"]) for link in metadata["illegal_imports"]}
    elif type_name == "acyclic_siblings":
        for summary in metadata["summaries"]:
            pairs |= {(d.downstream, d.upstream) for d in summary.dependencies}
    else:
        raise AssertionError(f"no pair reader for {type_name}")
    return pairs


def contract_id(options: dict[str, Any], index: int) -> str:
    return str(options.get("id") or f"#{index + 1}")


def run(config: str) -> dict[str, Any]:
    from importlinter.application import use_cases
    from importlinter.domain.contract import registry

    try:
        options = use_cases.read_user_options(config_filename=config)
        session = options.session_options
        graph = use_cases._build_graph(
            root_package_names=session["root_packages"],
            include_external_packages=use_cases._get_include_external_packages(options),
            exclude_type_checking_imports=use_cases._get_exclude_type_checking_imports(options),
            verbose=False,
            cache_dir=None,
        )
    except Exception as error:
        return {"error": f"{type(error).__name__}: {error}"}
    outcomes: dict[str, Any] = {}
    for index, contract_options in enumerate(options.contracts_options):
        key = contract_id(contract_options, index)
        try:
            contract_class = registry.get_contract_class(contract_options["type"])
            contract = contract_class(
                name=contract_options["name"],
                session_options=session,
                contract_options=contract_options,
            )
            check = contract.check(copy.deepcopy(graph), verbose=False)
        except Exception as error:
            outcomes[key] = {"verdict": "error", "pairs": [], "detail": f"{error!r}"}
            continue
        pairs = (
            importlinter_pairs(contract_options["type"], check.metadata) if check.metadata else []
        )
        outcomes[key] = {
            "verdict": "kept" if check.kept else "broken",
            "pairs": sorted(pairs),
            "detail": "; ".join(str(w) for w in check.warnings or ()),
        }
    return {"contracts": outcomes}


def main() -> None:
    with open(sys.argv[1], encoding="utf-8") as stream:
        spec = json.load(stream)
    sys.path[:0] = spec["sys_path"]
    importlib.invalidate_caches()
    from importlinter.application.use_cases import _get_built_in_contract_types
    from importlinter.configuration import configure
    from importlinter.domain.contract import registry

    configure()
    for name, contract_class in _get_built_in_contract_types():
        registry.register(contract_class, name)
    json.dump({config: run(config) for config in spec["configs"]}, sys.stdout)


if __name__ == "__main__":
    main()
