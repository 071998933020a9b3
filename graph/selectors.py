"""Reads of what the worker computed about researchers, and of the inputs it computes from."""

import hashlib
import math
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Exists, Max, Min, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse

from graph.labels import labels_place
from graph.models import GraphSlice
from graph.slice import KIND_LABELS, slice_build
from graph.trust import BANDS, Band, TrustInputs
from profiles.models import Claim, ClaimEvent, Follow
from profiles.selectors.claims import author_verification_get
from works.models import Author, Authorship, CoAuthorship, Work, WorkTopic
from works.selectors import corpus_version_get, corpus_version_subquery


def trust_band_get(*, label: str) -> Band | None:
    return next((band for band in BANDS if band.label == label), None)


def _fingerprint(*parts: object) -> str:
    return hashlib.sha256(":".join(str(p) for p in parts).encode()).hexdigest()


def trust_fingerprint_get(*, author: Author) -> str:
    """What a stored trust score must have been computed from to be current, in one query:
    the corpus version (any import), the follower count, the record's live claim (its
    status, level and whether it is disputed) and how many of its co-authors hold a proven
    claim (trust_inputs_get's trusted collaborators: a co-author's claim moves the score)."""
    here = OuterRef("pk")
    live_claim = Claim.objects.live().filter(author=here)
    # Correlated twice: co-authorship rows of this author (the closest-collaborators index)
    # whose co-author has an active claim (the claims' author index), counted.
    claimed_coauthors = (
        CoAuthorship.objects.public()
        .filter(author=here)
        .filter(Exists(Claim.objects.active().filter(author=OuterRef("coauthor_id"))))
        .order_by()
        .values("author")
        .annotate(n=Count("id"))
        .values("n")
    )
    row = (
        Author.objects.filter(pk=author.pk)
        .annotate(
            version=corpus_version_subquery(),
            followers=Coalesce(
                Subquery(
                    Follow.objects.filter(author=here)
                    .order_by()
                    .values("author")
                    .annotate(n=Count("id"))
                    .values("n")
                ),
                0,
            ),
            claim_status=Subquery(live_claim.values("status")[:1]),
            claim_level=Subquery(live_claim.values("level")[:1]),
            disputed_at=Subquery(live_claim.values("disputed_at")[:1]),
            claimed_coauthors=Coalesce(Subquery(claimed_coauthors), 0),
        )
        .values_list(
            "version",
            "followers",
            "claim_status",
            "claim_level",
            "disputed_at",
            "claimed_coauthors",
        )  # fmt: skip
        .first()
    )
    return _fingerprint("trust", *(row or ()))


def graph_fingerprint_get(*, author: Author) -> str:
    # Only imports change a slice. The corpus version moves with any import, so an import
    # that did not touch this researcher still makes their slice stale (a cheap recompute).
    return _fingerprint("graph", corpus_version_get())


def claimed_author_ids_among(*, author_ids: list[int]) -> set[int]:
    """Which of these authors hold an active (proven) claim of their records: one query."""
    claimed = Claim.objects.active().filter(author_id__in=author_ids)
    return set(claimed.values_list("author_id", flat=True))


def _works_of(author: Author) -> QuerySet[Work]:
    # EXISTS, not a join on authorships: a work that gives them two places of its byline is
    # one row (its citations summed once).
    return Work.objects.filter(
        Exists(Authorship.objects.filter(work=OuterRef("pk"), author=author))
    )


def trust_inputs_get(*, author: Author) -> TrustInputs:
    """Everything graph/trust.py counts about one author: eight queries."""
    verification = author_verification_get(author=author)
    stats = _works_of(author).aggregate(
        works_n=Count("id", distinct=True),
        with_doi=Count("id", filter=~Q(doi=""), distinct=True),
        years_n=Count("publication_year", distinct=True),
        first_year=Min("publication_year"),
        last_year=Max("publication_year"),
        venues_n=Count("primary_source", distinct=True),
        citations=Sum("cited_by_count"),
    )
    collaborator_ids = list(
        CoAuthorship.objects.filter(author=author).public().values_list("coauthor_id", flat=True)
    )
    claimed = claimed_author_ids_among(author_ids=collaborator_ids)
    # A dispute ("this is not them") counts while the claim it questions still holds.
    disputes = ClaimEvent.objects.filter(
        claim__in=Claim.objects.live().filter(author=author, disputed_at__isnull=False),
        kind=ClaimEvent.Kind.DISPUTED,
    ).count()
    return TrustInputs(
        is_claimed=verification.is_claimed,
        is_pending=verification.is_pending,
        verification_level=verification.level,
        verification_label=verification.level_label,
        orcid=author.orcid,
        has_affiliation=author.last_known_institutions.exists(),
        works_n=stats["works_n"],
        works_with_doi_n=stats["with_doi"],
        years_n=stats["years_n"],
        first_year=stats["first_year"],
        last_year=stats["last_year"],
        venues_n=stats["venues_n"],
        # OpenAlex's own count when it has one; else what the works in our index add up to.
        citations=max(author.cited_by_count, stats["citations"] or 0),
        followers_n=Follow.objects.filter(author=author).count(),
        collaborators_n=len(collaborator_ids),
        trusted_collaborators_n=len(claimed),
        disputes_n=disputes,
    )


# --- the graph slice ----------------------------------------------------------------------

# How much of a neighbourhood is read from the database before ranking: bounded, so the most
# prolific researcher costs a few indexed range scans, never the whole graph.
NEIGHBOURHOOD_WORKS = 200
NEIGHBOURHOOD_COAUTHORS = 60
SECOND_HOP_COAUTHORS = 5  # per first-hop co-author, at depth 2
SECOND_HOP_FROM = 15  # first-hop co-authors whose own collaborators are read


def graph_neighbourhood_get(*, author: Author, depth: int = 1) -> dict:
    """The researcher's neighbourhood as plain data for graph/slice.py: nodes
    {key: {kind, openalex_id, label}} and edges [(a, b, kind, weight)]. Six queries at
    depth 1, seven at depth 2, whatever the size of the record."""
    center = f"author:{author.id}"
    nodes = {
        center: {"kind": "author", "openalex_id": author.openalex_id, "label": author.display_name}
    }
    edges: list[tuple[str, str, str, float]] = []

    # Their works, most cited first, then newest.
    works = list(
        _works_of(author)
        .order_by("-cited_by_count", "-publication_year", "id")
        .values("id", "openalex_id", "title", "publication_year")[:NEIGHBOURHOOD_WORKS]
    )
    work_ids = [w["id"] for w in works]
    for w in works:
        key = f"work:{w['id']}"
        year = f" ({w['publication_year']})" if w["publication_year"] else ""
        nodes[key] = {
            "kind": "work",
            "openalex_id": w["openalex_id"],
            "label": (w["title"] or w["openalex_id"]) + year,
        }
        edges.append((center, key, "authored", 1.0))

    # Their closest co-authors (one range scan of the closest-collaborators index).
    coauthors = list(
        CoAuthorship.objects.filter(author=author)
        .public()
        .order_by("-shared_works_count", "coauthor_id")
        .values(
            "coauthor_id", "coauthor__openalex_id", "coauthor__display_name", "shared_works_count"
        )[:NEIGHBOURHOOD_COAUTHORS]
    )
    coauthor_ids = [c["coauthor_id"] for c in coauthors]
    for c in coauthors:
        key = f"author:{c['coauthor_id']}"
        nodes[key] = {
            "kind": "author",
            "openalex_id": c["coauthor__openalex_id"],
            "label": c["coauthor__display_name"],
        }
        edges.append((center, key, "co-authored", float(c["shared_works_count"])))

    # Which of those co-authors wrote which of those works (once, whatever their places).
    for work_id, coauthor_id in (
        Authorship.objects.filter(work_id__in=work_ids, author_id__in=coauthor_ids)
        .values_list("work_id", "author_id")
        .distinct()
    ):
        edges.append((f"author:{coauthor_id}", f"work:{work_id}", "authored", 1.0))

    # Topics of those works.
    for work_id, topic_id, openalex_id, name, score in WorkTopic.objects.filter(
        work_id__in=work_ids
    ).values_list("work_id", "topic_id", "topic__openalex_id", "topic__display_name", "score"):
        key = f"topic:{topic_id}"
        nodes[key] = {"kind": "topic", "openalex_id": openalex_id, "label": name}
        edges.append((f"work:{work_id}", key, "about", score if score is not None else 0.5))

    # Institutions named on their authorships (once per work, whatever their places), and
    # their last known ones.
    institutions = [
        row[1:]
        for row in Authorship.institutions.through.objects.filter(
            authorship__author=author, authorship__work_id__in=work_ids
        )
        .values_list(
            "authorship__work_id",
            "institution_id",
            "institution__openalex_id",
            "institution__display_name",
        )
        .distinct()
    ]
    last_known = author.last_known_institutions.through.objects.filter(author=author).values_list(
        "institution_id", "institution__openalex_id", "institution__display_name"
    )
    for inst_id, openalex_id, name in [*institutions, *last_known]:
        key = f"institution:{inst_id}"
        nodes[key] = {"kind": "institution", "openalex_id": openalex_id, "label": name}
        edges.append((center, key, "affiliated", 1.0))

    if depth >= 2 and coauthor_ids:
        # Second hop: the closest collaborators of the closest co-authors, a few each.
        first = coauthor_ids[:SECOND_HOP_FROM]
        rows = (
            CoAuthorship.objects.filter(author_id__in=first)
            .exclude(coauthor=author)
            .public()
            .order_by("author_id", "-shared_works_count", "coauthor_id")
            .values_list(
                "author_id",
                "coauthor_id",
                "coauthor__openalex_id",
                "coauthor__display_name",
                "shared_works_count",
            )
        )
        taken: dict[int, int] = {}
        for src, dst, openalex_id, name, shared in rows:
            if taken.get(src, 0) >= SECOND_HOP_COAUTHORS:
                continue
            taken[src] = taken.get(src, 0) + 1
            key = f"author:{dst}"
            nodes.setdefault(key, {"kind": "author", "openalex_id": openalex_id, "label": name})
            edges.append((f"author:{src}", key, "co-authored", float(shared)))
    return {"center": center, "nodes": nodes, "edges": edges}


_URL_NAMES = {
    "author": "profiles:detail",
    "work": "works:detail",
    "topic": "works:topic",
    "institution": "works:institution",
}


@dataclass
class SlicePicture:
    nodes: list[dict]
    edges: list[dict]
    lists: list[tuple[str, str, list[dict]]]  # (kind, heading, nodes) without the centre
    size: int
    fonts: dict[str, float]  # label font size of each label set, in SVG units
    computed_at: datetime | None = None


# Label sizes (SVG units) of each picture size: "wide" reads at about 12 px where the picture
# is drawn at its own size (a desktop), "narrow" where a 390 px phone shrinks it to ~330 px.
LABEL_FONTS = {640: {"wide": 12, "narrow": 22}, 900: {"wide": 15, "narrow": 30}}
_EDGE_TITLES = {
    "co-authored": "{a} and {b}: {n} shared work{s}",
    "authored": "{a} is an author of {b}",
    "about": "{a} is about {b} (score {w:.2f})",
    "affiliated": "{a} at {b}: named {n} time{s}",
}


def _edge_width(weight: float) -> float:
    # One shared work draws a hairline; each doubling adds about a pixel, up to 6.
    return round(min(1 + 1.3 * math.log2(max(weight, 1.0)), 6.0), 2)


def slice_picture(
    *, nodes: list[dict], edges: list[dict], size: int = 640, recentre: str | None = None
) -> SlicePicture:
    """A slice in SVG coordinates with each node's URL, its labels placed so that none overlap
    (graph/labels.py: one set for wide screens, one of larger type for phones), edges with
    their weight, and per-kind lists: no queries (the URLs are reversed, not fetched). With
    `recentre` (a query string), people link to their own explorer with the same filters
    instead of to their pages."""
    half = size / 2
    fonts = LABEL_FONTS.get(size) or {"wide": size / 53, "narrow": size / 29}
    margin = 24  # labels are placed inside the picture, beside or above their node
    shown_nodes = []
    by_key = {}
    for node in nodes:
        shown = dict(node)
        shown["url"] = reverse(_URL_NAMES[node["kind"]], args=[node["openalex_id"]])
        if recentre is not None and node["kind"] == "author":
            shown["page_url"] = shown["url"]
            shown["url"] = reverse("graph:explorer", args=[node["openalex_id"]]) + recentre
        shown["cx"] = round(half + node["x"] * (half - margin), 1)
        shown["cy"] = round(half + node["y"] * (half - margin), 1)
        shown["r"] = 13 if node.get("center") else 7
        shown_nodes.append(shown)
        by_key[node["key"]] = shown
    # The centre's label first, then by rank: the nearest nodes get the room.
    by_importance = sorted(shown_nodes, key=lambda n: (not n.get("center"), -n.get("rank", 0)))
    for name, font_size in fonts.items():
        placed = labels_place(by_importance, size=size, font_size=font_size)
        for node, label in zip(by_importance, placed, strict=True):
            node[f"label_{name}"] = label
    shown_edges = []
    for e in edges:
        if e["source"] not in by_key or e["target"] not in by_key:
            continue
        a, b = by_key[e["source"]], by_key[e["target"]]
        weight = float(e.get("weight", 1.0))
        n = round(weight)
        title = _EDGE_TITLES.get(e["kind"], "{a} and {b}").format(
            a=a["label"], b=b["label"], n=n, s="" if n == 1 else "s", w=weight
        )
        shown_edges.append(
            {
                "source": e["source"],
                "target": e["target"],
                "x1": a["cx"],
                "y1": a["cy"],
                "x2": b["cx"],
                "y2": b["cy"],
                "kind": e["kind"],
                "weight": weight,
                "width": _edge_width(weight),
                "title": title,
            }
        )
    lists = [
        (kind, heading, [n for n in shown_nodes if n["kind"] == kind and not n.get("center")])
        for kind, heading in KIND_LABELS.items()
    ]
    return SlicePicture(nodes=shown_nodes, edges=shown_edges, lists=lists, size=size, fonts=fonts)


def slice_picture_data(picture: SlicePicture) -> dict:
    """What the interactive explorer (static/js/graph-explorer.js) draws, for json_script:
    the same positions and placed labels as the SVG, so its labels do not overlap either."""
    keep = ("key", "kind", "label", "url", "cx", "cy", "r", "center", "label_wide", "label_narrow")
    return {
        "size": picture.size,
        "fonts": picture.fonts,
        "nodes": [{k: n.get(k) for k in keep} for n in picture.nodes],
        "edges": [
            {k: e[k] for k in ("source", "target", "kind", "weight", "width", "title")}
            for e in picture.edges
        ],
    }


def graph_slice_picture(*, graph_slice: GraphSlice, size: int = 640) -> SlicePicture:
    picture = slice_picture(nodes=graph_slice.nodes, edges=graph_slice.edges, size=size)
    picture.computed_at = graph_slice.computed_at
    return picture


EXPLORER_CAPS = {"author": 30, "work": 25, "topic": 15, "institution": 10}


def graph_explore(
    *, author: Author, depth: int, kinds: list[str], recentre: str, size: int = 900
) -> SlicePicture:
    """The explorer's larger slice, built in the request: its reads are the same bounded
    range scans as the worker's (bench/graph_slice.py: about 0.25 s for the most prolific
    researcher of a million authorships), and a picture per choice of filters is not worth
    storing. Six queries at depth 1, seven at depth 2."""
    caps = {kind: cap if kind in kinds else 0 for kind, cap in EXPLORER_CAPS.items()}
    built = slice_build(graph_neighbourhood_get(author=author, depth=depth), caps)
    return slice_picture(nodes=built["nodes"], edges=built["edges"], size=size, recentre=recentre)
