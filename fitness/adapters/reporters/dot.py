"""Graphviz DOT: ``fitness graph --format dot | dot -Tsvg > graph.svg``."""

from __future__ import annotations

from fitness.adapters.reporters.diagram import Diagram
from fitness.domain.rendering import printable_line

VIOLATION = "#d62728"


def quote(text: str) -> str:
    """A DOT string: quotes and backslashes escaped, control characters written as escapes
    (their backslash escaped too, so DOT shows them rather than reading them)."""
    text = printable_line(text)
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render_dot(diagram: Diagram) -> str:
    lines = [
        "digraph fitness {",
        "  rankdir=TB;",
        '  node [shape=box, style="rounded,filled", fillcolor="#f7f7f7", fontname="Helvetica"];',
        '  edge [color="#555555"];',
    ]
    for index, cluster in enumerate(diagram.clusters):
        lines += [
            f"  subgraph cluster_{index} {{",
            f"    label={quote(cluster.label)};",
            f"    tooltip={quote(f'{cluster.rule}: layer {cluster.level + 1}')};",
            '    style="rounded,filled"; fillcolor="#eef4fb"; color="#8aa9cc";',
        ]
        lines += [f"    {quote(node)};" for node in cluster.nodes]
        lines.append("  }")
    for node in diagram.nodes:
        if diagram.cluster_of(node) is None:
            external = node in diagram.external
            extra = ', fillcolor="#ffffff", style="rounded,dashed"' if external else ""
            lines.append(f"  {quote(node)} [label={quote(node)}{extra}];")
    for edge in diagram.edges:
        attributes = [f"tooltip={quote(f'{edge.source} -> {edge.target} ({edge.count} imports)')}"]
        if edge.violating:
            attributes += [f'color="{VIOLATION}"', "penwidth=2.5", f'fontcolor="{VIOLATION}"']
        lines.append(f"  {quote(edge.source)} -> {quote(edge.target)} [{', '.join(attributes)}];")
    lines.append("}")
    return "\n".join(lines) + "\n"
