"""Use cases: load the rule types, check rules against a graph. No I/O of its own."""
