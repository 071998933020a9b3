"""Two people claim the same record at the same moment, each in a real transaction on its own
PostgreSQL connection: the partial unique index lets exactly one claim through."""

import threading
import time

import pytest
from django.db import connection, connections, transaction

from profiles.models import Claim
from profiles.services.claims import ClaimError, claim_request
from tests.factories import make_author, make_user

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_lets_exactly_one_of_two_simultaneous_claims_through():
    if connection.vendor != "postgresql":
        pytest.fail("needs two real PostgreSQL connections: the suite runs on it (DATABASE_URL)")
    record = make_author()
    users = [make_user(email="first@example.org"), make_user(email="second@example.org")]
    start = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def claim(user) -> None:
        try:
            start.wait(timeout=10)
            with transaction.atomic():
                claim_request(user=user, author=record)
                # Hold the transaction open so the other one's INSERT meets an uncommitted
                # row: it waits on the index, then fails when this one commits.
                time.sleep(0.5)
            outcomes[user.email] = "claimed"
        except ClaimError as exc:
            outcomes[user.email] = str(exc)
        finally:
            connections.close_all()  # this thread's own connection

    threads = [threading.Thread(target=claim, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes.values()) == [
        "Someone else claimed this record a moment ago; it is no longer open to claims.",
        "claimed",
    ]
    assert Claim.objects.count() == 1
    winner = next(email for email, outcome in outcomes.items() if outcome == "claimed")
    assert Claim.objects.get().user.email == winner
