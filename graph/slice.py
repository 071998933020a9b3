"""The research-graph slice: pure networkx, plain data in, plain data out, no ORM.

graph/selectors.py reads a researcher's neighbourhood with a few SQL range scans (never the
whole graph) into {"center", "nodes", "edges"}; slice_build ranks it by personalized
PageRank from the researcher, keeps the best few of each kind and lays them out.
"""

import math

import networkx as nx

# The kinds of node, in the order they are listed, with the heading people read for each.
KIND_LABELS = {
    "author": "People",
    "work": "Papers",
    "topic": "Topics",
    "institution": "Institutions",
}
KINDS = tuple(KIND_LABELS)
DEFAULT_CAPS = {"author": 12, "work": 10, "topic": 8, "institution": 5}


def neighbourhood_graph(neighbourhood: dict) -> nx.Graph:
    graph = nx.Graph()
    for key, data in neighbourhood["nodes"].items():
        graph.add_node(key, **data)
    for a, b, kind, weight in neighbourhood["edges"]:
        if a == b or a not in graph or b not in graph:
            continue
        if graph.has_edge(a, b):
            # Repeated links (two authorships naming one institution) strengthen one edge.
            graph[a][b]["weight"] += weight
        else:
            graph.add_edge(a, b, kind=kind, weight=weight)
    return graph


def rank(graph: nx.Graph, center: str, *, alpha: float = 0.85, tol: float = 1e-9) -> dict:
    """Personalized PageRank: the stationary chance of standing on each node for a walker
    who follows weighted edges and, with chance 1 - alpha at each step (or at a dead end),
    jumps back to the researcher, so nearness and many paths both count.

    The power iteration is written out here because nx.pagerank needs numpy and scipy (some
    80 MB of wheels) for what is, on a slice of a few hundred nodes, a millisecond of Python.
    """
    strength = {n: sum(d.get("weight", 1.0) for d in graph[n].values()) for n in graph}
    scores = dict.fromkeys(graph, 0.0)
    scores[center] = 1.0
    for _ in range(100):
        spread = dict.fromkeys(graph, 0.0)
        dangling = 0.0
        for node, score in scores.items():
            if not score:
                continue
            if strength[node] == 0:
                dangling += score
                continue
            share = alpha * score / strength[node]
            for neighbour, data in graph[node].items():
                spread[neighbour] += share * data.get("weight", 1.0)
        # Teleport and dead ends both return to the researcher.
        spread[center] += (1 - alpha) * sum(scores.values()) + alpha * dangling
        change = sum(abs(spread[n] - scores[n]) for n in graph)
        scores = spread
        if change < tol:
            break
    return scores


def select(
    graph: nx.Graph, scores: dict[str, float], center: str, caps: dict[str, int]
) -> list[str]:
    """The centre, then the best-ranked nodes of each kind up to its cap. Ties break on the
    node key, so the same data always gives the same slice."""
    ordered = sorted((n for n in graph if n != center), key=lambda n: (-scores[n], n))
    kept, counts = [center], dict.fromkeys(KINDS, 0)
    for node in ordered:
        kind = graph.nodes[node]["kind"]
        if counts.get(kind, 0) < caps.get(kind, 0):
            counts[kind] += 1
            kept.append(node)
    return kept


def radial_layout(kinds: list[str]) -> list[tuple[float, float]]:
    """Positions in [-1, 1]² for the centre (first) and the kept nodes (grouped by kind, in
    rank order within each): spaced evenly round the circle, so each kind gets an arc as
    long as it has nodes, on two alternating rings so neighbouring labels do not collide.
    Deterministic, unlike a force layout, so a recomputed slice does not jump around."""
    positions = [(0.0, 0.0)]
    others = kinds[1:]
    step = 2 * math.pi / max(len(others), 1)
    for i in range(len(others)):
        # Start at the top, clockwise; half a step in, so no node sits straight above.
        angle = -math.pi / 2 + step * (i + 0.5)
        radius = 0.8 if i % 2 == 0 else 0.97
        positions.append((round(radius * math.cos(angle), 4), round(radius * math.sin(angle), 4)))
    return positions


def slice_build(neighbourhood: dict, caps: dict[str, int] | None = None) -> dict:
    """{"nodes": [{key, kind, openalex_id, label, rank, x, y, center}], "edges": [{source,
    target, kind, weight}]} for the kept nodes, the centre first, then by kind and rank."""
    caps = DEFAULT_CAPS if caps is None else caps
    center = neighbourhood["center"]
    graph = neighbourhood_graph(neighbourhood)
    scores = rank(graph, center)
    kept = select(graph, scores, center, caps)
    kept = [center] + sorted(
        kept[1:], key=lambda n: (KINDS.index(graph.nodes[n]["kind"]), -scores[n], n)
    )
    positions = radial_layout([graph.nodes[n]["kind"] for n in kept])
    nodes = [
        {
            "key": node,
            "kind": graph.nodes[node]["kind"],
            "openalex_id": graph.nodes[node]["openalex_id"],
            "label": graph.nodes[node]["label"],
            "rank": round(scores[node], 6),
            "x": x,
            "y": y,
            "center": node == center,
        }
        for node, (x, y) in zip(kept, positions, strict=True)
    ]
    sub = graph.subgraph(kept)
    edges = [
        {"source": a, "target": b, "kind": data["kind"], "weight": data["weight"]}
        for a, b, data in sorted(sub.edges(data=True), key=lambda e: (e[0], e[1]))
    ]
    return {"nodes": nodes, "edges": edges}
