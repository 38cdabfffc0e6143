"""The shared kernel: the few value types every context agrees on."""
