"""Actions that reach other people are limited per account and day: reports (each one mails
every staff member) and disputes (each one flags a claim for moderators)."""

import pytest
from django.core import mail
from django.urls import reverse

from profiles.models import Claim, ClaimEvent, Report
from profiles.services.claims import claim_request
from profiles.services.invites import invite_accept, message_send
from tests.factories import make_author, make_user
from tests.profiles.invite_helpers import make_owned_author, send_invite

pytestmark = pytest.mark.django_db


def test_an_account_reports_at_most_reports_per_day(
    client, settings, django_capture_on_commit_callbacks
):
    settings.REPORTS_PER_DAY = 3
    make_user(is_staff=True)
    author, owner = make_owned_author()
    sender = make_user()
    conversation = invite_accept(invite=send_invite(sender=sender, author=author), user=owner)
    messages = [
        message_send(conversation=conversation, sender=sender, body=f"Message {n}")
        for n in range(5)
    ]
    client.force_login(owner)
    mail.outbox.clear()
    for message in messages:
        url = reverse("profiles:message-report", args=[message.pk])
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, {"reason": "rude"}, follow=True)
        assert response.status_code == 200
    assert Report.objects.filter(reporter=owner).count() == 3
    assert len(mail.outbox) == 3  # the staff were mailed three times, not five
    assert "as many reports as allowed today" in response.content.decode()


def test_an_account_disputes_at_most_disputes_per_day(client, settings):
    settings.DISPUTES_PER_DAY = 2
    claims = [
        claim_request(user=make_user(), author=make_author(display_name=f"Someone {n}"))
        for n in range(3)
    ]
    client.force_login(make_user())
    for claim in claims:
        url = reverse("profiles:claim-dispute", args=[claim.pk])
        response = client.post(url, {"reason": "not them"}, follow=True)
        assert response.status_code == 200
    assert ClaimEvent.objects.filter(kind=ClaimEvent.Kind.DISPUTED).count() == 2
    assert Claim.objects.filter(disputed_at__isnull=False).count() == 2
    assert "as many disputes as allowed today" in response.content.decode()
