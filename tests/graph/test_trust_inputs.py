"""The trust score of records set up through the real services: claims, disputes, follows."""

import pytest
from django.urls import reverse

from graph.models import TrustScore
from graph.selectors import trust_fingerprint_get
from graph.services import trust_score_compute
from profiles.models import Follow
from profiles.services.claims import (
    claim_approve,
    claim_dispute,
    claim_release,
    claim_request,
)
from tests.factories import make_author, make_user, make_work

pytestmark = pytest.mark.django_db


def _component(score: TrustScore, key: str) -> dict:
    return next(c for c in score.components if c["key"] == key)


def _record(**overrides):
    author = make_author(display_name="Ada Example", **overrides)
    make_work(authors=[author, make_author()], doi="10.1/a")
    return author


def test_an_unclaimed_record_without_orcid_gets_nothing_for_identity():
    author = _record()

    score = trust_score_compute(author_id=author.id)

    identity = _component(score, "identity")
    assert identity["points"] == 0
    assert identity["evidence"] == [
        "Nobody has claimed this record (Public record, unclaimed): 0",
        "No ORCID iD: 0",
    ]
    assert score.label == "Unverified"


def test_an_orcid_on_the_record_counts_for_identity_and_completeness():
    without = trust_score_compute(author_id=_record().id)
    with_orcid = trust_score_compute(author_id=_record(orcid="0000-0002-1825-0097").id)

    assert _component(with_orcid, "identity")["points"] == 10
    assert with_orcid.score == without.score + 15


def test_a_pending_claim_counts_nothing_and_a_confirmed_one_counts_twenty():
    author = _record()
    claim = claim_request(user=make_user(), author=author)

    pending = trust_score_compute(author_id=author.id)
    assert _component(pending, "identity")["points"] == 0
    assert _component(pending, "identity")["evidence"][0].startswith("A claim is pending")

    claim_approve(claim=claim, moderator=make_user(is_staff=True), reason="")
    confirmed = trust_score_compute(author_id=author.id)

    assert _component(confirmed, "identity")["points"] == 20
    assert confirmed.score == pending.score + 20


def test_a_dispute_takes_points_off_while_the_claim_holds():
    author = _record()
    claim = claim_request(user=make_user(), author=author)
    claim_approve(claim=claim, moderator=make_user(is_staff=True), reason="")
    before = trust_score_compute(author_id=author.id)

    claim_dispute(claim=claim, user=make_user(), reason="Not the same person.")
    after = trust_score_compute(author_id=author.id)

    negatives = _component(after, "negatives")
    assert negatives["points"] == -15
    assert "1 open dispute (−15 each): −15" in negatives["evidence"]
    assert after.score == before.score - 15


def test_co_authors_with_confirmed_claims_count_for_community():
    author = _record()
    coauthor = make_author()
    make_work(authors=[author, coauthor])
    claim = claim_request(user=make_user(), author=coauthor)
    claim_approve(claim=claim, moderator=make_user(is_staff=True), reason="")

    score = trust_score_compute(author_id=author.id)

    assert any(
        line.startswith("1 co-author who claimed or verified")
        for line in _component(score, "community")["evidence"]
    )


def test_claims_disputes_and_follows_change_the_fingerprint():
    author = _record()
    seen = {trust_fingerprint_get(author=author)}

    claim = claim_request(user=make_user(), author=author)
    seen.add(trust_fingerprint_get(author=author))
    claim_approve(claim=claim, moderator=make_user(is_staff=True), reason="")
    seen.add(trust_fingerprint_get(author=author))
    claim_dispute(claim=claim, user=make_user(), reason="No.")
    seen.add(trust_fingerprint_get(author=author))
    Follow.objects.create(user=make_user(), author=author)
    seen.add(trust_fingerprint_get(author=author))

    assert len(seen) == 5


def test_a_co_authors_proven_claim_changes_the_fingerprint():
    author = _record()
    coauthor = make_author()
    make_work(authors=[author, coauthor])
    before = trust_fingerprint_get(author=author)

    claim = claim_request(user=make_user(), author=coauthor)
    assert trust_fingerprint_get(author=author) == before  # pending counts for nothing
    claim_approve(claim=claim, moderator=make_user(is_staff=True), reason="")
    proven = trust_fingerprint_get(author=author)
    assert proven != before
    claim_release(claim=claim, user=claim.user)
    assert trust_fingerprint_get(author=author) == before


def test_the_fingerprint_stays_one_query(django_assert_num_queries):
    author = _record()
    coauthor = make_author()
    make_work(authors=[author, coauthor])
    claim = claim_request(user=make_user(), author=coauthor)
    claim_approve(claim=claim, moderator=make_user(is_staff=True), reason="")

    with django_assert_num_queries(1):
        # 1 the author with the corpus version, followers, live claim and claimed co-authors
        trust_fingerprint_get(author=author)


@pytest.mark.django_db(transaction=True)
def test_a_co_authors_proven_claim_refreshes_the_stored_score_on_the_page(client):
    author = _record()
    coauthor = make_author()
    make_work(authors=[author, coauthor])
    trust_score_compute(author_id=author.id)
    url = reverse("graph:trust-panel", args=[author.openalex_id])
    assert "co-author who claimed or verified" not in client.get(url).content.decode()

    claim = claim_request(user=make_user(), author=coauthor)
    claim_approve(claim=claim, moderator=make_user(is_staff=True), reason="")

    # No broker in the tests' zero-setup settings: a stale score is recomputed in-process.
    html = client.get(url).content.decode()
    assert "1 co-author who claimed or verified" in html
