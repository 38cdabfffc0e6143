"""One rule type per module."""
