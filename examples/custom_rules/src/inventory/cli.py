"""``python -m inventory.cli stock.json order.csv``: write the restock order."""

import sys
from pathlib import Path

from inventory.adapters.csv_export import write_order
from inventory.adapters.repository import load_levels
from inventory.services.reports import low_stock
from inventory.services.restock import restock_order


def main(argv: list[str]) -> int:
    levels = load_levels(Path(argv[0]))
    order = restock_order(levels)
    write_order(Path(argv[1]), order)
    print("low stock:", ", ".join(low_stock(levels)) or "none")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
