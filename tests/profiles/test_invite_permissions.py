"""Who may see and do what on every collaboration view: anonymous, the sender, the recipient,
a third party and staff (before any report). Guessing ids gets nothing."""

import pytest
from django.urls import reverse

from profiles.services.invites import invite_accept, message_send
from tests.factories import make_user
from tests.profiles.invite_helpers import make_owned_author, send_invite

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    author, recipient = make_owned_author()
    sender = make_user()
    pending = send_invite(sender=sender, author=author)
    # A second, accepted invite between the same two, with a conversation and a message.
    other_author, _ = make_owned_author(owner=None)
    accepted = send_invite(sender=recipient, author=other_author)
    conversation = invite_accept(invite=accepted, user=accepted.recipient)
    message = message_send(conversation=conversation, sender=accepted.recipient, body="Hi")
    return {
        "pending": pending,
        "conversation": conversation,
        "message": message,
        "sender": sender,
        "recipient": recipient,
        "third": make_user(),
        "staff": make_user(is_staff=True),
    }


def _login(client, world, who):
    if who != "anonymous":
        client.force_login(world[who])


# (method, url name, the object's id, {persona: expected status})
ANON = 302  # to the login page
VIEWS = [
    ("get", "profiles:invite", "pending",
     {"anonymous": ANON, "sender": 200, "recipient": 200, "third": 404, "staff": 404}),
    ("post", "profiles:invite-accept", "pending",
     {"anonymous": ANON, "sender": 403, "third": 404, "staff": 404, "recipient": 302}),
    ("post", "profiles:invite-decline", "pending",
     {"anonymous": ANON, "sender": 403, "third": 404, "staff": 404, "recipient": 302}),
    ("post", "profiles:invite-block", "pending",
     {"anonymous": ANON, "sender": 403, "third": 404, "staff": 404, "recipient": 302}),
    ("post", "profiles:invite-report", "pending",
     {"anonymous": ANON, "sender": 403, "third": 404, "staff": 404, "recipient": 302}),
    ("get", "profiles:conversation", "conversation",
     {"anonymous": ANON, "third": 404, "staff": 404, "recipient": 200}),
    ("post", "profiles:message-create", "conversation",
     {"anonymous": ANON, "third": 404, "staff": 404, "recipient": 302}),
    ("post", "profiles:message-report", "message",
     {"anonymous": ANON, "third": 404, "staff": 404, "recipient": 302}),
]  # fmt: skip
CASES = [
    pytest.param(method, name, obj, who, status, id=f"{name}-{who}")
    for method, name, obj, expected in VIEWS
    for who, status in expected.items()
]


@pytest.mark.parametrize(("method", "name", "obj", "who", "status"), CASES)
def test_it_answers_each_persona(client, world, method, name, obj, who, status):
    _login(client, world, who)
    url = reverse(name, args=[world[obj].pk])

    response = getattr(client, method)(url, {"body": "Hello"} if method == "post" else None)

    assert response.status_code == status
    if status == ANON and who == "anonymous":
        assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize(
    "name",
    [
        "profiles:invite-accept",
        "profiles:invite-decline",
        "profiles:invite-block",
        "profiles:invite-report",
        "profiles:message-create",
        "profiles:message-report",
    ],
)
def test_it_refuses_get_on_post_endpoints(client, world, name):
    client.force_login(world["recipient"])
    assert client.get(reverse(name, args=[1])).status_code == 405


@pytest.mark.parametrize(
    "name", ["profiles:invite", "profiles:conversation", "profiles:invite-accept"]
)
def test_it_404s_for_ids_that_do_not_exist(client, world, name):
    client.force_login(world["recipient"])
    method = client.get if name != "profiles:invite-accept" else client.post
    assert method(reverse(name, args=[999999])).status_code == 404


def test_it_sends_anonymous_visitors_from_the_inbox_and_form_to_log_in(client, world):
    author = world["pending"].author
    for url in [
        reverse("profiles:inbox"),
        reverse("profiles:invite-new", args=[author.openalex_id]),
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))


def test_it_404s_the_form_for_an_unknown_researcher(client, world):
    client.force_login(world["third"])
    assert client.get(reverse("profiles:invite-new", args=["A999999999"])).status_code == 404


def test_it_shows_the_inbox_of_the_viewer_only(client, world):
    client.force_login(world["third"])
    html = client.get(reverse("profiles:inbox")).content.decode()
    assert "No invitations yet." in html
    assert world["pending"].focus not in html
