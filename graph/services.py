"""Writes of what the worker computes (graph.tasks calls these): one researcher's trust score
and graph slice, each stored with the fingerprint of the inputs it was computed from."""

from django.db import transaction
from django.utils import timezone

from graph import slice as graph_slice
from graph.models import Computed, GraphSlice, TrustScore
from graph.selectors import (
    graph_fingerprint_get,
    graph_neighbourhood_get,
    trust_fingerprint_get,
    trust_inputs_get,
)
from graph.trust import trust_score
from works.models import Author


def _store[M: Computed](model: type[M], *, author: Author, fingerprint: str, **result) -> M:
    """Write a computed result on the author's row, with the fingerprint of its inputs, and
    end its queued state."""
    with transaction.atomic():
        row, _ = model.objects.select_for_update().get_or_create(author=author)
        fields = {
            **result,
            "input_fingerprint": fingerprint,
            "computed_at": timezone.now(),
            "queued_at": None,
            "is_stale": False,
        }
        for name, value in fields.items():
            setattr(row, name, value)
        row.save(update_fields=list(fields))
    return row


def trust_score_compute(*, author_id: int) -> TrustScore | None:
    """Compute and store one author's trust score. Idempotent: the same inputs give the same
    row. None if the author is gone (a task for a deleted record is simply done)."""
    author = Author.objects.filter(id=author_id).first()
    if author is None:
        return None
    # The fingerprint is read before the inputs: a change landing in between makes the
    # stored result look stale at the next view, never a stale result look current.
    fingerprint = trust_fingerprint_get(author=author)
    result = trust_score(trust_inputs_get(author=author))
    return _store(
        TrustScore,
        author=author,
        fingerprint=fingerprint,
        score=result.score,
        label=result.band.label,
        components=result.components_json(),
    )


def graph_slice_compute(*, author_id: int, depth: int = 1) -> GraphSlice | None:
    """Read the neighbourhood (a few range scans), rank and lay it out, store it."""
    author = Author.objects.filter(id=author_id).first()
    if author is None:
        return None
    fingerprint = graph_fingerprint_get(author=author)
    built = graph_slice.slice_build(graph_neighbourhood_get(author=author, depth=depth))
    return _store(
        GraphSlice,
        author=author,
        fingerprint=fingerprint,
        nodes=built["nodes"],
        edges=built["edges"],
    )
