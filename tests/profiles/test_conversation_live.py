"""A conversation stays current without a page load: the open thread polls for messages newer
than its last one, each party's last-read marker says whether the other saw their message,
and the inbox marks what is unread."""

import pytest
from django.urls import reverse

from profiles.models import Conversation
from profiles.services.accounts import person_set_display_name
from profiles.services.invites import invite_accept, message_send, report_create
from tests.factories import make_user
from tests.profiles.invite_helpers import make_owned_author, send_invite

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def parties():
    author, owner = make_owned_author(display_name="Mitchell Wortsman")
    sender = make_user()
    person_set_display_name(user=sender, display_name="Sam Sender")
    conversation = invite_accept(invite=send_invite(sender=sender, author=author), user=owner)
    return conversation, sender, owner, author


def _poll(client, conversation, after: object, **headers: str):
    url = reverse("profiles:conversation-new", args=[conversation.pk])
    return client.get(f"{url}?after={after}", **(HTMX | headers))


def test_the_poll_brings_only_the_messages_after_the_last_one_shown(client, parties):
    conversation, sender, owner, _ = parties
    first = message_send(conversation=conversation, sender=sender, body="First")
    client.force_login(owner)
    message_send(conversation=conversation, sender=sender, body="Second")

    html = _poll(client, conversation, first.pk).content.decode()

    assert "<html" not in html
    assert "Second" in html and "First" not in html
    assert 'hx-swap-oob="beforeend:#thread-messages"' in html
    # The next poll asks for what is newer than "Second".
    second = conversation.messages.get(body="Second")
    assert f"?after={second.pk}" in html
    assert 'hx-trigger="every 2s"' in html


def test_a_poll_with_nothing_new_sends_no_messages(client, parties):
    conversation, sender, owner, _ = parties
    last = message_send(conversation=conversation, sender=sender, body="Only")
    client.force_login(owner)
    html = _poll(client, conversation, last.pk).content.decode()
    assert "Only" not in html
    assert 'hx-swap-oob="beforeend' not in html
    assert f"?after={last.pk}" in html


@pytest.mark.parametrize("after", ["x", "-1", "1.5", "٣", "9" * 40])
def test_a_bad_after_is_a_400(client, parties, after):
    conversation, _, owner, _ = parties
    client.force_login(owner)
    assert _poll(client, conversation, after).status_code == 400


def test_the_poll_without_htmx_leads_to_the_thread(client, parties):
    conversation, _, owner, _ = parties
    client.force_login(owner)
    url = reverse("profiles:conversation-new", args=[conversation.pk])
    response = client.get(f"{url}?after=0")
    assert response.status_code == 302
    assert response.url == f"{conversation.get_absolute_url()}#thread"


def test_nobody_else_can_poll_a_thread(client, parties):
    conversation, *_ = parties
    client.force_login(make_user())
    assert _poll(client, conversation, 0).status_code == 404


def test_the_sender_sees_when_their_message_was_seen(client, parties):
    conversation, sender, owner, _ = parties
    message = message_send(conversation=conversation, sender=sender, body="Are you there?")
    client.force_login(sender)
    assert (
        "Mitchell Wortsman has not seen your last message yet"
        in client.get(conversation.get_absolute_url()).content.decode()
    )

    client.force_login(owner)
    client.get(conversation.get_absolute_url())
    conversation.refresh_from_db()
    assert conversation.user_b_read_id == message.pk

    client.force_login(sender)
    # The open page learns it through its poll, out of band.
    html = _poll(client, conversation, message.pk).content.decode()
    assert 'id="read-state"' in html and 'hx-swap-oob="true"' in html
    assert "Mitchell Wortsman has seen your last message" in html


def test_a_read_marker_never_moves_back(client, parties):
    conversation, sender, owner, _ = parties
    first = message_send(conversation=conversation, sender=sender, body="One")
    second = message_send(conversation=conversation, sender=sender, body="Two")
    client.force_login(owner)
    client.get(conversation.get_absolute_url())
    _poll(client, conversation, first.pk - 1)  # an older page polling late
    conversation.refresh_from_db()
    assert conversation.user_b_read_id == second.pk


def test_the_inbox_marks_unread_conversations(client, parties):
    conversation, sender, owner, _ = parties
    message_send(conversation=conversation, sender=sender, body="Hello")
    client.force_login(owner)
    assert ">unread</span>" in client.get(reverse("profiles:inbox")).content.decode()
    client.get(conversation.get_absolute_url())
    assert ">unread</span>" not in client.get(reverse("profiles:inbox")).content.decode()
    # Their own message is never unread for the sender.
    client.force_login(sender)
    assert ">unread</span>" not in client.get(reverse("profiles:inbox")).content.decode()


def test_the_thread_links_back_and_is_not_a_numbered_list(client, parties):
    conversation, sender, owner, author = parties
    message_send(conversation=conversation, sender=owner, body="Hi")
    client.force_login(sender)
    html = client.get(conversation.get_absolute_url()).content.decode()
    assert f'<a href="{reverse("profiles:inbox")}">← Inbox</a>' in html
    assert f'<a href="{author.get_absolute_url()}">Mitchell Wortsman\'s researcher page</a>' in (
        html.replace("&#x27;", "'")
    )
    assert '<ul id="thread-messages" class="message-list">' in html
    assert "<ol" not in html
    assert f'hx-get="{reverse("profiles:conversation-new", args=[conversation.pk])}?after=' in html


def test_staff_reading_a_report_do_not_poll_or_mark_read(client, parties):
    conversation, sender, owner, _ = parties
    message = message_send(conversation=conversation, sender=sender, body="Rude words")
    report_create(reporter=owner, message=message, reason="")
    client.force_login(make_user(is_staff=True))
    html = client.get(conversation.get_absolute_url()).content.decode()
    assert "Conversation between Sam Sender and Mitchell Wortsman" in html
    assert "thread-poll" not in html
    assert Conversation.objects.get().user_b_read_id == 0


@pytest.mark.parametrize("n", [1, 25])
def test_the_poll_runs_a_fixed_number_of_queries(client, parties, django_assert_max_num_queries, n):
    conversation, sender, owner, _ = parties
    before = message_send(conversation=conversation, sender=owner, body="start")
    for i in range(n):
        message_send(conversation=conversation, sender=(sender, owner)[i % 2], body=f"m{i}")
    client.force_login(owner)

    with django_assert_max_num_queries(11):
        # 1 the session, 2 the user
        # 3 the conversation with its invite and parties, and whether it was reported
        # 4 the messages after ?after= with their senders
        # 5 the parties' chosen names, 6 their proven records
        # 7 the viewer's newest message (is it seen?), 8 moving the viewer's read marker
        # 9-11 marking the thread's notifications read (a savepoint: the test's transaction)
        response = _poll(client, conversation, before.pk)

    assert response.content.decode().count('id="message-') == n
