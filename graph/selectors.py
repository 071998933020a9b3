"""Reads of what the worker computed about researchers."""

from graph.models import TrustScore


def trust_score_get_for_author(*, author_id: int) -> TrustScore | None:
    """The stored trust score, or None until the worker has computed one (never a guess)."""
    return TrustScore.objects.filter(author_id=author_id).first()
