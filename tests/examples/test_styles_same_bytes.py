"""Same input, same bytes: the bounded_contexts and cqrs reports of the broken examples
are the same under any hash seed, cold or warm."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import append, copy_example

BREAKS = {
    "bookstore": {
        "bookstore/ordering/checkout.py": "from bookstore.catalog.api import Catalog\n",
        "bookstore/shipping/handlers.py": "from bookstore.ordering import checkout, model\n",
        "bookstore/shipping/model.py": "from bookstore.catalog import model, repository\n",
        "bookstore/catalog/repository.py": "from bookstore.ordering.events import OrderPlaced\n",
        "bookstore/shared/money.py": "from bookstore.ordering import acl\n",
    },
    "helpdesk": {
        "helpdesk/queries/open_tickets.py": "from helpdesk.write_model import store, ticket\n",
        "helpdesk/queries/agent_workload.py": "from helpdesk.commands import close_ticket\n",
        "helpdesk/commands/close_ticket.py": "from helpdesk.queries import open_tickets\n",
        "helpdesk/commands/assign_ticket.py": "from helpdesk.read_model import views\n",
        "helpdesk/domain/values.py": "from helpdesk.read_model import projections\n",
    },
}


def check(project: Path, seed: int, *args: str) -> bytes:
    env = {**os.environ, "PYTHONHASHSEED": str(seed)}
    env.pop("GITHUB_STEP_SUMMARY", None)
    done = subprocess.run(
        [sys.executable, "-m", "fitness", "check", "--full", *args],
        cwd=project,
        env=env,
        capture_output=True,
        check=False,
    )
    assert done.returncode == 1, done.stderr.decode()
    return done.stdout


@pytest.mark.slow
@pytest.mark.parametrize("example", sorted(BREAKS))
def test_a_broken_style_reports_the_same_bytes_cold_and_warm_under_any_hash_seed(
    example: str, tmp_path: Path
) -> None:
    project = copy_example(example, tmp_path)
    for name, text in BREAKS[example].items():
        append(project / name, text)

    cold = {check(project, seed, "--no-cache", "--format", "json") for seed in (0, 1, 2)}
    check(project, 3)  # fills the cache
    warm = check(project, 4, "--format", "json")

    assert cold == {warm}
    assert b'"violations"' in warm
