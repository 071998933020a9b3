"""The staff reports queue (/staff/reports/): open reports of invites and messages, oldest
first, with what was sent and who is involved; dismiss, block the sender for the reporter, or
mark handled, each once; staff only; a fixed number of queries."""

import pytest
from django.contrib.admin.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from profiles.models import Block, Invite, Report
from profiles.services.invites import (
    InviteError,
    invite_accept,
    message_send,
    report_create,
)
from tests.factories import make_user
from tests.profiles.invite_helpers import MESSAGE, make_owned_author, send_invite

pytestmark = pytest.mark.django_db

QUEUE = "/staff/reports/"


def _reported_invite(reason: str = "spam") -> Report:
    """A fresh owner who reports an invite from a fresh sender (the daily limits are per
    account)."""
    author, owner = make_owned_author(display_name="Rita Recipient")
    invite = send_invite(
        sender=make_user(email=f"sender{Invite.objects.count()}@example.org"), author=author
    )
    return report_create(reporter=owner, reason=reason, invite=invite)


def _reported_message() -> Report:
    author, owner = make_owned_author(display_name="Mo Messaged")
    sender = make_user(email="rude@example.org")
    conversation = invite_accept(invite=send_invite(sender=sender, author=author), user=owner)
    message = message_send(conversation=conversation, sender=sender, body="A rude reply, really.")
    return report_create(reporter=owner, reason="rude", message=message)


def _resolve(client, report: Report, action: str):
    return client.post(reverse("profiles:report-resolve", args=[report.pk]), {"action": action})


@pytest.fixture
def staff_client(client):
    client.force_login(make_user(email="moderator@bzpeer.example", is_staff=True))
    return client


def test_the_url_name_is_profiles_reports():
    assert reverse("profiles:reports") == QUEUE


def test_it_lists_open_reports_oldest_first_with_what_was_sent(staff_client):
    first = _reported_invite("an advert, not an invitation")
    second = _reported_message()
    done = _reported_invite("old news")
    Report.objects.filter(pk=done.pk).update(resolved_at=done.created_at)
    html = staff_client.get(QUEUE).content.decode()
    assert html.index("an advert, not an invitation") < html.index("A rude reply, really.")
    assert MESSAGE in html  # the invite's own text
    assert "old news" not in html  # resolved
    # People as the site names them (the reporter's proven record), and staff see addresses.
    assert "Rita Recipient" in html and "Mo Messaged" in html
    assert first.invite.sender.email in html and "rude@example.org" in html
    assert f'href="{first.invite.get_absolute_url()}"' in html
    assert f'href="{second.message.conversation.get_absolute_url()}"' in html


def test_it_dismisses_a_report(staff_client):
    report = _reported_invite()
    response = _resolve(staff_client, report, "dismiss")
    assert response.status_code == 302 and response.url == QUEUE
    report.refresh_from_db()
    assert report.resolved_at is not None
    assert not Block.objects.exists()
    assert LogEntry.objects.get().change_message.startswith("Dismissed")
    html = staff_client.get(QUEUE).content.decode()
    assert "Report dismissed." in html and "No open reports." in html


def test_it_marks_a_report_handled(staff_client):
    report = _reported_message()
    _resolve(staff_client, report, "handled")
    report.refresh_from_db()
    assert report.resolved_at is not None
    assert LogEntry.objects.get().change_message.startswith("Marked handled")


def test_it_blocks_the_sender_from_inviting_the_reporter(staff_client):
    report = _reported_invite()
    invite = report.invite
    _resolve(staff_client, report, "block")
    assert Block.objects.filter(blocker=report.reporter, blocked=invite.sender).exists()
    invite.refresh_from_db()
    assert invite.status == Invite.Status.DECLINED  # the pending invite goes with it
    with pytest.raises(InviteError, match="not taking invitations from you"):
        send_invite(sender=invite.sender, author=invite.author)


def test_it_resolves_a_report_once(staff_client):
    report = _reported_invite()
    _resolve(staff_client, report, "dismiss")
    response = _resolve(staff_client, report, "block")
    assert response.status_code == 302
    assert not Block.objects.exists()
    assert "already resolved" in staff_client.get(QUEUE).content.decode()


def test_it_refuses_an_unknown_action_and_report(staff_client):
    report = _reported_invite()
    assert _resolve(staff_client, report, "delete-everything").status_code == 302
    report.refresh_from_db()
    assert report.resolved_at is None
    assert "Choose dismiss, block or mark handled" in staff_client.get(QUEUE).content.decode()
    url = reverse("profiles:report-resolve", args=[99999999])
    assert staff_client.post(url, {"action": "dismiss"}).status_code == 404


def test_only_staff_see_or_resolve_reports(client):
    report = _reported_invite()
    response = client.get(QUEUE)
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    client.force_login(report.reporter)
    assert client.get(QUEUE).status_code == 403
    assert _resolve(client, report, "dismiss").status_code == 403
    report.refresh_from_db()
    assert report.resolved_at is None


def _queries_for_queue(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(QUEUE).status_code == 200
    return len(queries)


def test_its_queries_do_not_grow_with_the_reports(staff_client, django_assert_max_num_queries):
    _reported_invite(), _reported_message()
    few = _queries_for_queue(staff_client)
    for _ in range(4):
        _reported_invite()
    # The queue's own: the open count, the reports with their invite or message and people,
    # the people's chosen names, their proven records, the blocks between them; the rest is
    # the session, the account and the header's.
    with django_assert_max_num_queries(few):
        html = staff_client.get(QUEUE).content.decode()
    assert html.count('class="card review-item report-item"') == 6
