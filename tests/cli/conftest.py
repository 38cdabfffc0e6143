"""The projects under ``layouts/`` are code to analyse, with test packages of their own:
pytest must not collect (or import) them."""

collect_ignore = ["layouts"]
