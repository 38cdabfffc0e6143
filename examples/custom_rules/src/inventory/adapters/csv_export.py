import csv
from pathlib import Path


def write_order(path: Path, order: dict[str, int]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["sku", "quantity"])
        writer.writerows(sorted(order.items()))
