"""A marketplace built as a modular monolith: catalog, ordering, billing and shipping,
on a shared kernel. The modules talk through their interfaces and through events."""
