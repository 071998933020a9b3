"""graph/slice.py on tiny hand-built neighbourhoods: no database."""

import math

from graph.slice import neighbourhood_graph, rank, slice_build


def _node(kind: str, name: str) -> dict:
    return {"kind": kind, "openalex_id": name, "label": name.title()}


def _hood(nodes: dict, edges: list, center: str = "author:me") -> dict:
    return {"center": center, "nodes": nodes, "edges": edges}


def _small() -> dict:
    nodes = {
        "author:me": _node("author", "me"),
        "author:close": _node("author", "close"),
        "author:once": _node("author", "once"),
        "author:far": _node("author", "far"),
        "work:w1": _node("work", "w1"),
        "work:w2": _node("work", "w2"),
        "topic:t": _node("topic", "t"),
        "institution:i": _node("institution", "i"),
    }
    edges = [
        ("author:me", "work:w1", "authored", 1.0),
        ("author:me", "work:w2", "authored", 1.0),
        ("author:close", "work:w1", "authored", 1.0),
        ("author:close", "work:w2", "authored", 1.0),
        ("author:once", "work:w2", "authored", 1.0),
        ("author:me", "author:close", "co-authored", 2.0),
        ("author:me", "author:once", "co-authored", 1.0),
        ("author:once", "author:far", "co-authored", 1.0),
        ("work:w1", "topic:t", "about", 1.0),
        ("author:me", "institution:i", "affiliated", 1.0),
    ]
    return _hood(nodes, edges)


def test_rank_puts_the_centre_first_and_closer_people_before_farther_ones():
    hood = _small()
    scores = rank(neighbourhood_graph(hood), "author:me")

    assert max(scores, key=scores.get) == "author:me"
    assert scores["author:close"] > scores["author:once"] > scores["author:far"]
    assert math.isclose(sum(scores.values()), 1.0, rel_tol=1e-6)


def test_slice_keeps_the_centre_and_caps_each_kind_by_rank():
    built = slice_build(_small(), caps={"author": 1, "work": 2, "topic": 1, "institution": 0})

    keys = [n["key"] for n in built["nodes"]]
    assert keys[0] == "author:me"
    assert built["nodes"][0]["center"] is True
    assert "author:close" in keys
    assert "author:once" not in keys and "author:far" not in keys
    assert "institution:i" not in keys
    assert {"work:w1", "work:w2", "topic:t"} <= set(keys)


def test_slice_edges_only_join_kept_nodes():
    built = slice_build(_small(), caps={"author": 1, "work": 2, "topic": 1, "institution": 1})

    kept = {n["key"] for n in built["nodes"]}
    assert built["edges"]
    for edge in built["edges"]:
        assert edge["source"] in kept and edge["target"] in kept
    assert {
        "source": "author:close",
        "target": "author:me",
        "kind": "co-authored",
        "weight": 2.0,
    } in built["edges"] or any(
        {e["source"], e["target"]} == {"author:me", "author:close"} for e in built["edges"]
    )


def test_slice_is_the_same_every_time_and_lays_nodes_out_inside_the_unit_square():
    first, second = slice_build(_small()), slice_build(_small())

    assert first == second
    assert (first["nodes"][0]["x"], first["nodes"][0]["y"]) == (0.0, 0.0)
    for node in first["nodes"]:
        assert -1 <= node["x"] <= 1 and -1 <= node["y"] <= 1
    positions = {(n["x"], n["y"]) for n in first["nodes"]}
    assert len(positions) == len(first["nodes"])  # no two nodes on one spot


def test_a_researcher_alone_is_a_slice_of_one_node():
    built = slice_build(_hood({"author:me": _node("author", "me")}, []))

    assert [n["key"] for n in built["nodes"]] == ["author:me"]
    assert built["edges"] == []


def test_repeated_links_strengthen_one_edge():
    hood = _hood(
        {"author:me": _node("author", "me"), "institution:i": _node("institution", "i")},
        [
            ("author:me", "institution:i", "affiliated", 1.0),
            ("author:me", "institution:i", "affiliated", 1.0),
        ],
    )

    graph = neighbourhood_graph(hood)

    assert graph.number_of_edges() == 1
    assert graph["author:me"]["institution:i"]["weight"] == 2.0
