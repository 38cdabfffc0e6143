"""Mermaid flowchart: renders in GitHub markdown, in a ```mermaid block."""

from __future__ import annotations

from fitness.adapters.reporters.diagram import Diagram
from fitness.domain.rendering import printable_line


def label(text: str) -> str:
    """A quoted Mermaid label: quotes and angle brackets as entity codes, control
    characters written as escapes."""
    text = printable_line(text).replace("#", "#35;")
    return '"' + text.replace('"', "#quot;").replace("<", "#60;").replace(">", "#62;") + '"'


def render_mermaid(diagram: Diagram) -> str:
    ids = {node: f"n{index}" for index, node in enumerate(diagram.nodes)}
    lines = ["flowchart TB"]
    for index, cluster in enumerate(diagram.clusters):
        lines.append(f"  subgraph layer{index}[{label(cluster.label)}]")
        lines += [f"    {ids[node]}[{label(node)}]" for node in cluster.nodes]
        lines.append("  end")
    for node in diagram.nodes:
        if diagram.cluster_of(node) is None:
            lines.append(f"  {ids[node]}[{label(node)}]")
    violating = []
    for index, edge in enumerate(diagram.edges):
        lines.append(f"  {ids[edge.source]} --> {ids[edge.target]}")
        if edge.violating:
            violating.append(str(index))
    if violating:
        lines.append(f"  linkStyle {','.join(violating)} stroke:#d62728,stroke-width:3px")
    return "\n".join(lines) + "\n"
