"""Recognising a layered web service (FastAPI, Flask, ...), for ``fitness init``.

The layout of most web services, FastAPI's templates among them: ``api`` (or
``routers``, ``routes``, ``endpoints``) on top, then ``services``, then
``repositories`` (or ``crud``), then ``models`` and ``schemas``, with ``core``
(configuration, security) at the bottom and ``main`` above them all
(:data:`.vocabulary.WEB_LAYERS`). A package with the web side and two of the
other levels or more is recognised; its rule is a ``layers`` rule in that order
(parts on one level are independent siblings where neither reaches the other
today, else siblings that may import each other).

Pure: names and imports of the graph in, a recognition out.
"""

from __future__ import annotations

from fitness.domain.graph import ProjectGraph
from fitness.domain.inference import vocabulary as names
from fitness.domain.inference.candidates import (
    Candidate,
    Recognition,
    children,
    imports_any,
    listing,
    short,
)
from fitness.domain.inference.layering import layer_children, reach_graph

#: What each level of :data:`.vocabulary.WEB_LAYERS` is, for the reasons printed.
_ROLES = ("the entry point", "the web side", "", "the data access", "", "")


def recognise_web(graph: ProjectGraph, package: str) -> Recognition | None:
    """A web service laid out in layers in ``package``."""
    found = children(graph, package)
    levels = [
        [found[name] for name in level_names if name in found and names.is_layer(name)]
        for level_names in names.WEB_LAYERS
    ]
    web = levels[1]
    if not web or sum(bool(level) for level in levels[2:]) < 2:
        return None
    # Which children reach which today, to tell independent siblings from the others.
    reaches = reach_graph(graph, package, layer_children(graph, package))
    layers = []
    ranks: dict[str, int] = {}
    said: list[str] = []
    for rank, (level, role) in enumerate(zip(levels, _ROLES, strict=True)):
        if not level:
            continue
        joined = any(reaches.has_edge(a, b) for a in level for b in level if a != b)
        layers.append((" : " if joined else " | ").join(level))
        ranks |= {module: rank for module in level}
        said += [f"{short(m, package)} ({role})" if role else short(m, package) for m in level]
    frameworks = imports_any(graph, web[0], names.WEB_FRAMEWORKS) if web else []
    because = f"it has {listing(said)}"
    if frameworks:
        because += f"; {short(web[0], package)} imports {listing(frameworks)}"
    order = " > ".join("/".join(short(m, package) for m in level) for level in levels if level)
    return Recognition(
        "a layered web service",
        package,
        because,
        (
            Candidate(
                f"{package} is a layered web service ({order})",
                "layers",
                {"layers": layers},
                layers=(package,),
            ),
        ),
        ranks={package: ranks},
    )
