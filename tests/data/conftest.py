"""The projects under tests/data are inputs of the tests, never collected themselves
(their pyproject.toml files declare rules that break on purpose)."""

collect_ignore_glob = ["*"]
