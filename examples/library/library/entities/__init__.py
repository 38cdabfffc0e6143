"""The entities ring: the library's rules, in plain Python."""
