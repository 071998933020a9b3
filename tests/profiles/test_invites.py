"""Collaboration invites: the researcher page's panel, the rules of who may invite whom, the
answers, the conversation, blocks and reports, through the test client and the services."""

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from notices.models import Notification
from profiles.models import Block, Conversation, Invite, Message, Report
from profiles.services.invites import (
    InviteError,
    block_create,
    invite_accept,
    invite_decline,
    message_send,
    report_create,
)
from tests.factories import make_author, make_user
from tests.profiles.invite_helpers import MESSAGE, make_owned_author, send_invite

pytestmark = pytest.mark.django_db


@pytest.fixture
def owned():
    return make_owned_author(display_name="Mitchell Wortsman")


@pytest.fixture
def sender():
    return make_user(email="sender@example.org")


def _new_url(author) -> str:
    return reverse("profiles:invite-new", args=[author.openalex_id])


# --- the researcher page's panel -------------------------------------------------------------


def test_it_asks_to_claim_an_unclaimed_record_first(client):
    html = client.get(make_author().get_absolute_url()).content.decode()
    assert "Claim this author entity first to unlock direct invitations." in html


def test_it_says_a_closed_researcher_takes_no_invitations(client):
    author, _ = make_owned_author(display_name="Closed Person", open_to_collaborate=False)
    html = client.get(author.get_absolute_url()).content.decode()
    assert "Closed Person is not taking invitations right now." in html
    assert "Claim this author entity first" not in html


def test_it_links_to_the_invite_form_for_an_open_researcher(client, owned, sender):
    author, _ = owned
    assert "Log in to invite" in client.get(author.get_absolute_url()).content.decode()
    client.force_login(sender)
    html = client.get(author.get_absolute_url()).content.decode()
    assert f'href="{_new_url(author)}">Invite to collaborate</a>' in html


def test_it_tells_the_owner_invitations_reach_their_inbox(client, owned):
    author, owner = owned
    client.force_login(owner)
    html = client.get(author.get_absolute_url()).content.decode()
    assert "You are open to invitations" in html


# --- sending -------------------------------------------------------------------------------


def test_it_sends_an_invite_through_the_form(
    client, owned, sender, django_capture_on_commit_callbacks
):
    author, owner = owned
    topic = author.authorships.get().work.work_topics.get().topic
    client.force_login(sender)

    form = client.get(_new_url(author)).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _new_url(author), {"focus_kind": "topic", "topic": topic.pk, "message": MESSAGE}
        )

    invite = Invite.objects.get()
    assert 'name="focus_kind"' in form
    assert response.status_code == 302
    assert response.url == invite.get_absolute_url()
    assert (invite.sender, invite.recipient, invite.focus) == (sender, owner, "Robustness")
    notice = Notification.objects.get(user=owner, kind=Notification.Kind.INVITE_RECEIVED)
    assert notice.url == invite.get_absolute_url()
    assert mail.outbox[-1].to == [owner.email]
    assert "invites you to collaborate" in mail.outbox[-1].body


def test_it_offers_and_accepts_one_of_their_works_as_focus(client, owned, sender):
    author, _ = owned
    work = author.authorships.get().work
    client.force_login(sender)
    client.post(_new_url(author), {"focus_kind": "work", "work": work.pk, "message": MESSAGE})
    assert Invite.objects.get().focus == "A paper"


def test_it_refuses_a_topic_that_is_not_theirs(client, owned, sender):
    author, _ = owned
    other, _ = make_owned_author()
    foreign_topic = other.authorships.get().work.work_topics.get().topic
    client.force_login(sender)
    response = client.post(
        _new_url(author), {"focus_kind": "topic", "topic": foreign_topic.pk, "message": MESSAGE}
    )
    assert response.status_code == 200
    assert not Invite.objects.exists()


@pytest.mark.parametrize(
    ("message", "subject"),
    [("too short", "A subject"), ("x" * 2001, "A subject"), (MESSAGE, ""), (MESSAGE, "s" * 121)],
)
def test_it_holds_the_length_limits(client, owned, sender, message, subject):
    author, _ = owned
    client.force_login(sender)
    response = client.post(
        _new_url(author), {"focus_kind": "subject", "subject": subject, "message": message}
    )
    assert response.status_code == 200
    assert not Invite.objects.exists()


def test_it_refuses_an_unclaimed_record(sender):
    with pytest.raises(InviteError, match="not taking invitations"):
        send_invite(sender=sender, author=make_author())


def test_it_refuses_a_closed_owner(sender):
    author, _ = make_owned_author(open_to_collaborate=False)
    with pytest.raises(InviteError, match="not taking invitations"):
        send_invite(sender=sender, author=author)


def test_it_refuses_an_owner_who_said_nothing(sender):
    author, _ = make_owned_author(open_to_collaborate=None)
    with pytest.raises(InviteError, match="not taking invitations"):
        send_invite(sender=sender, author=author)


def test_it_refuses_an_unverified_sender(owned):
    with pytest.raises(InviteError, match="Verify your email"):
        send_invite(sender=make_user(verified=False), author=owned[0])


def test_it_refuses_an_invite_to_yourself(owned):
    author, owner = owned
    with pytest.raises(InviteError, match="your own record"):
        send_invite(sender=owner, author=author)


def test_it_keeps_one_pending_invite_per_sender_and_recipient(owned, sender):
    send_invite(sender=sender, author=owned[0])
    with pytest.raises(InviteError, match="already have an invitation waiting"):
        send_invite(sender=sender, author=owned[0], subject="Something else")
    assert Invite.objects.count() == 1


def test_it_allows_a_new_invite_once_the_last_was_answered(owned, sender):
    author, owner = owned
    invite_decline(invite=send_invite(sender=sender, author=author), user=owner)
    send_invite(sender=sender, author=author)
    assert Invite.objects.count() == 2


@override_settings(INVITES_PER_DAY=2)
def test_it_holds_the_daily_limit_per_sender(sender):
    authors = [make_owned_author()[0] for _ in range(3)]
    send_invite(sender=sender, author=authors[0])
    send_invite(sender=sender, author=authors[1])
    with pytest.raises(InviteError, match="as many invitations as allowed today"):
        send_invite(sender=sender, author=authors[2])


def test_it_refuses_invites_from_a_blocked_sender(owned, sender):
    author, owner = owned
    block_create(blocker=owner, blocked_id=sender.pk)
    with pytest.raises(InviteError, match="not taking invitations from you"):
        send_invite(sender=sender, author=author)


def test_it_shows_the_form_only_where_it_can_be_used(client, sender):
    closed, _ = make_owned_author(open_to_collaborate=False)
    client.force_login(sender)
    html = client.get(_new_url(closed)).content.decode()
    assert "is not taking invitations through BZPEER" in html
    assert 'name="message"' not in html


# --- answering, the conversation ----------------------------------------------------------


def test_it_opens_a_conversation_on_accept(client, owned, sender):
    author, owner = owned
    invite = send_invite(sender=sender, author=author)
    client.force_login(owner)

    response = client.post(reverse("profiles:invite-accept", args=[invite.pk]))

    conversation = Conversation.objects.get()
    assert response.url == conversation.get_absolute_url()
    invite.refresh_from_db()
    assert invite.status == Invite.Status.ACCEPTED
    assert Notification.objects.filter(user=sender, kind="invite_accepted").exists()


def test_it_never_shows_the_sender_the_researchers_account_email(
    client, owned, sender, django_capture_on_commit_callbacks
):
    author, owner = owned
    invite = send_invite(sender=sender, author=author)
    with django_capture_on_commit_callbacks(execute=True):
        conversation = invite_accept(invite=invite, user=owner)
    message_send(conversation=conversation, sender=owner, body="Happy to talk.")
    client.force_login(sender)

    pages = [
        client.get(conversation.get_absolute_url()).content.decode(),
        client.get(reverse("profiles:inbox")).content.decode(),
        client.get(reverse("notices:list")).content.decode(),
        *(message.body for message in mail.outbox if sender.email in message.to),
    ]

    for text in pages:
        assert owner.email not in text
    assert "Mitchell Wortsman accepted your invitation" in pages[2]
    assert "New message from Mitchell Wortsman" in pages[2]


def test_it_tells_the_sender_of_a_decline(client, owned, sender):
    author, owner = owned
    invite = send_invite(sender=sender, author=author)
    client.force_login(owner)

    client.post(reverse("profiles:invite-decline", args=[invite.pk]))

    invite.refresh_from_db()
    assert invite.status == Invite.Status.DECLINED
    assert not Conversation.objects.exists()
    notice = Notification.objects.get(user=sender, kind="invite_declined")
    assert "was declined" in notice.text
    client.force_login(sender)
    assert "This invitation was declined." in client.get(invite.get_absolute_url()).content.decode()


def test_it_answers_an_invite_only_once(owned, sender):
    author, owner = owned
    invite = send_invite(sender=sender, author=author)
    invite_accept(invite=invite, user=owner)
    with pytest.raises(InviteError, match="already been answered"):
        invite_decline(invite=invite, user=owner)


def test_it_exchanges_messages_through_htmx_and_without_javascript(client, owned, sender):
    author, owner = owned
    conversation = invite_accept(invite=send_invite(sender=sender, author=author), user=owner)
    url = reverse("profiles:message-create", args=[conversation.pk])

    client.force_login(owner)
    fragment = client.post(url, {"body": "Hello, glad to talk."}, headers={"HX-Request": "true"})
    client.force_login(sender)
    plain = client.post(url, {"body": "Likewise!"})

    html = fragment.content.decode()
    assert fragment.status_code == 200
    assert "<html" not in html
    assert html.lstrip().startswith('<div id="thread">')
    assert "Hello, glad to talk." in html
    assert plain.status_code == 302
    page = client.get(conversation.get_absolute_url()).content.decode()
    assert page.index("Hello, glad to talk.") < page.index("Likewise!")
    assert Notification.objects.filter(user=sender, kind="message").count() == 1
    assert Notification.objects.filter(user=owner, kind="message").count() == 1


def test_it_refuses_an_empty_message(client, owned, sender):
    author, owner = owned
    conversation = invite_accept(invite=send_invite(sender=sender, author=author), user=owner)
    client.force_login(owner)
    response = client.post(
        reverse("profiles:message-create", args=[conversation.pk]),
        {"body": ""},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 400
    assert not Message.objects.exists()


def test_it_stops_messages_from_a_blocked_party(owned, sender):
    author, owner = owned
    conversation = invite_accept(invite=send_invite(sender=sender, author=author), user=owner)
    block_create(blocker=owner, blocked_id=sender.pk)
    with pytest.raises(InviteError, match="no longer takes messages"):
        message_send(conversation=conversation, sender=sender, body="Hello?")


def test_it_blocks_through_the_invite_page_and_declines_the_invite(client, owned, sender):
    author, owner = owned
    invite = send_invite(sender=sender, author=author)
    client.force_login(owner)
    client.post(reverse("profiles:invite-block", args=[invite.pk]))
    assert Block.objects.filter(blocker=owner, blocked=sender).exists()
    invite.refresh_from_db()
    assert invite.status == Invite.Status.DECLINED


def test_it_reports_an_invite_to_staff(client, owned, sender, django_capture_on_commit_callbacks):
    author, owner = owned
    staff = make_user(email="mod@example.org", is_staff=True)
    invite = send_invite(sender=sender, author=author)
    client.force_login(owner)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("profiles:invite-report", args=[invite.pk]), {"reason": "Spam"})

    assert Report.objects.get().invite == invite
    assert staff.email in mail.outbox[-1].to
    client.force_login(staff)
    assert client.get(invite.get_absolute_url()).status_code == 200


def test_it_reports_a_message_and_lets_staff_read_that_thread_only(client, owned, sender):
    author, owner = owned
    staff = make_user(is_staff=True)
    conversation = invite_accept(invite=send_invite(sender=sender, author=author), user=owner)
    message = message_send(conversation=conversation, sender=sender, body="Rude words")
    client.force_login(staff)
    assert client.get(conversation.get_absolute_url()).status_code == 404

    client.force_login(owner)
    client.post(reverse("profiles:message-report", args=[message.pk]))

    client.force_login(staff)
    html = client.get(conversation.get_absolute_url()).content.decode()
    assert "Rude words" in html
    assert "read for a report" in html
    assert 'name="body"' not in html  # staff read, never write
    response = client.post(
        reverse("profiles:message-create", args=[conversation.pk]), {"body": "Staff here"}
    )
    assert response.status_code == 403


def test_it_lets_only_the_receiving_party_report_a_message(owned, sender):
    author, owner = owned
    conversation = invite_accept(invite=send_invite(sender=sender, author=author), user=owner)
    message = message_send(conversation=conversation, sender=sender, body="Hello")
    with pytest.raises(InviteError):
        report_create(reporter=sender, message=message, reason="")


def test_it_lists_the_inbox(client, owned, sender):
    author, owner = owned
    send_invite(sender=sender, author=author, subject="Distribution shift")
    client.force_login(owner)
    html = client.get(reverse("profiles:inbox")).content.decode()
    assert "Distribution shift" in html
    # Named, never by their email: they chose no name and own no record, so a member number.
    assert f"BZPEER member #{sender.pk}" in html
    assert "sender@example.org" not in html
    client.force_login(sender)
    html = client.get(reverse("profiles:inbox")).content.decode()
    assert "Mitchell Wortsman" in html
    assert owner.email not in html


def test_it_marks_the_notifications_of_a_page_read_when_it_is_opened(client, owned, sender):
    author, owner = owned
    invite = send_invite(sender=sender, author=author)
    client.force_login(owner)

    html = client.get(invite.get_absolute_url()).content.decode()

    unread = Notification.objects.filter(user=owner, read_at__isnull=True)
    # Only the claim decision (another page) is still unread.
    assert list(unread.values_list("kind", flat=True)) == ["claim_decided"]
    assert 'title="1 unread"' in html
