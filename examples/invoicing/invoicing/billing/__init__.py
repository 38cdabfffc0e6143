"""The new billing code: typed, tested, no database access. Replaces invoicing.legacy."""
