"""Simultaneous sends, each in its own thread and PostgreSQL connection: one pending invite per
sender and recipient, and the daily limit, hold."""

import threading

import pytest
from django.db import connection, connections
from django.test import override_settings

from profiles.models import Invite
from profiles.services.invites import InviteError
from tests.factories import make_user
from tests.profiles.invite_helpers import make_owned_author, send_invite

pytestmark = pytest.mark.django_db(transaction=True)


def _at_once(calls: list) -> list[str]:
    start = threading.Barrier(len(calls))
    outcomes: list[str] = []

    def run(call) -> None:
        try:
            start.wait(timeout=10)
            call()
            outcomes.append("sent")
        except InviteError as exc:
            outcomes.append(str(exc))
        finally:
            connections.close_all()  # this thread's own connection

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def test_it_lets_one_of_several_simultaneous_invites_to_the_same_person_through():
    if connection.vendor != "postgresql":
        pytest.fail("needs real connections to PostgreSQL: the suite runs on it (set DATABASE_URL)")
    author, _ = make_owned_author()
    sender = make_user()

    outcomes = _at_once([lambda: send_invite(sender=sender, author=author)] * 4)

    assert outcomes.count("sent") == 1
    assert Invite.objects.count() == 1


@override_settings(INVITES_PER_DAY=2)
def test_it_holds_the_daily_limit_against_simultaneous_sends():
    if connection.vendor != "postgresql":
        pytest.fail("needs real connections to PostgreSQL: the suite runs on it (set DATABASE_URL)")
    authors = [make_owned_author()[0] for _ in range(5)]
    sender = make_user()

    outcomes = _at_once([lambda a=a: send_invite(sender=sender, author=a) for a in authors])

    assert outcomes.count("sent") == 2
    assert Invite.objects.filter(sender=sender).count() == 2
