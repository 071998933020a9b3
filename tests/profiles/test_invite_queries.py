"""The inbox and a thread run a fixed number of queries at two sizes of data."""

import pytest
from django.urls import reverse

from profiles.services.invites import invite_accept, message_send
from tests.factories import make_user
from tests.profiles.invite_helpers import make_owned_author, send_invite

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("n", [1, 6])
def test_it_runs_a_fixed_number_of_queries_for_the_inbox(
    client, django_assert_max_num_queries, settings, n
):
    settings.INVITES_PER_DAY = 100
    author, owner = make_owned_author()
    for i in range(n):
        sender = make_user()
        invite = send_invite(sender=sender, author=author, subject=f"Subject {i}")
        if i % 2:
            invite_accept(invite=invite, user=owner)
        other, _ = make_owned_author()
        send_invite(sender=owner, author=other)
    client.force_login(owner)

    with django_assert_max_num_queries(8):
        # 1 the session, 2 the user
        # 3 invites received, with sender, recipient, record and conversation joined
        # 4 invites sent, the same
        # 5 conversations, with the invite and whether each party has unread messages
        # 6 the chosen names of everyone shown, 7 their proven records
        # 8 the header: name, claim, inbox and notification counts
        response = client.get(reverse("profiles:inbox"))

    assert response.status_code == 200


@pytest.mark.parametrize("n", [1, 30])
def test_it_runs_a_fixed_number_of_queries_for_a_thread(client, django_assert_max_num_queries, n):
    author, owner = make_owned_author()
    sender = make_user()
    conversation = invite_accept(invite=send_invite(sender=sender, author=author), user=owner)
    for i in range(n):
        message_send(conversation=conversation, sender=(owner, sender)[i % 2], body=f"m{i}")
    client.force_login(owner)

    with django_assert_max_num_queries(12):
        # 1 the session, 2 the user
        # 3 the conversation with its invite and parties, and whether it was reported
        # 4-6 marking this thread's notifications read (in a savepoint: the test's transaction)
        # 7 the latest messages with their senders
        # 8 the parties' chosen names, 9 their proven records
        # 10 the viewer's newest message (is it seen?), 11 moving the viewer's read marker
        # 12 the header: name, claim, inbox and notification counts
        response = client.get(conversation.get_absolute_url())

    assert response.status_code == 200
    assert response.content.decode().count('id="message-') == n
