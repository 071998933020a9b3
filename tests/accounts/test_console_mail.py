"""The console email backend of local runs prints links whole: a verification link copied from
the terminal opens the confirmation page, and so does a claim's institutional-email link.
Django's own console backend prints the quoted-printable message, which breaks them."""

import re

import pytest
from django.urls import reverse

from profiles.services.claims import claim_request
from tests.factories import PASSWORD, make_author, make_institution, make_user

pytestmark = pytest.mark.django_db

CONSOLE = "bzpeer.console_mail.EmailBackend"
CONFIRM_LINK = re.compile(r"http://testserver(/accounts/confirm-email/\S+)")


@pytest.fixture
def console(settings):
    def use(backend: str) -> None:
        settings.MAILERS = {"default": {"BACKEND": backend}}

    return use


def _ask_for_verification(client) -> None:
    # Logging in before the address is verified sends allauth's verification mail.
    make_user(email="pending.researcher@example.org", verified=False)
    response = client.post(
        "/accounts/login/", {"login": "pending.researcher@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302


def test_it_prints_the_verification_link_whole(client, console, capsys):
    console(CONSOLE)
    _ask_for_verification(client)
    printed = capsys.readouterr().out
    assert "To: pending.researcher@example.org" in printed
    assert "Subject: [BZPEER] " in printed
    match = CONFIRM_LINK.search(printed)
    assert match, printed
    assert "=3D" not in printed and "=\n" not in printed  # no quoted-printable left
    # The link as copied from the terminal opens the confirmation page.
    page = client.get(match.group(1))
    assert page.status_code == 200
    assert 'type="submit"' in page.content.decode()


def test_djangos_own_console_backend_breaks_that_link(client, console, capsys):
    console("django.core.mail.backends.console.EmailBackend")
    _ask_for_verification(client)
    printed = capsys.readouterr().out
    match = CONFIRM_LINK.search(printed)
    assert match is None or client.get(match.group(1)).status_code != 200


def test_it_prints_a_claim_link_whole(client, console, capsys, django_capture_on_commit_callbacks):
    console(CONSOLE)
    uw = make_institution(homepage_url="https://www.washington.edu/")
    record = make_author(display_name="Mitchell Wortsman", last_known_institutions=[uw])
    claimant = make_user()
    claim = claim_request(user=claimant, author=record)
    client.force_login(claimant)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("profiles:claim-evidence", args=[claim.pk]),
            {"kind": "institutional_email", "email": "mitchell@cs.washington.edu"},
        )
    printed = capsys.readouterr().out
    match = re.search(r"https?://[^\s/]+(/claims/verify/\S+/)", printed)
    assert match, printed
    page = client.get(match.group(1))
    assert "Confirm my claim" in page.content.decode()
