"""The core of fitness: the import graph model, rules and their results.

Nothing in here touches the file system, the terminal or pytest. The graph is
handed in already built; results are handed back as plain data.
"""
