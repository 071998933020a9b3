"""Nothing is claimed or moved in one click: "Claim this record" and "This is me" lead to a
page that says what will happen and what proof will be asked, and only its form acts (no
JavaScript needed). A record with no institution web address offers no institutional-email
form. The owner reads about their own collaboration status in words addressed to them."""

import pytest
from django.urls import reverse

from profiles.models import Claim, WorkTransfer
from profiles.services.claims import claim_approve, claim_request
from profiles.services.owner import owner_profile_update
from tests.factories import make_author, make_user, make_work
from works.models import Authorship

pytestmark = pytest.mark.django_db


def _html(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def _confirm_url(author) -> str:
    return reverse("profiles:claim-confirm", args=[author.openalex_id])


# --- "Claim this record" --------------------------------------------------------------------


def test_it_leads_claim_this_record_to_a_confirmation_page(client, record, claimant):
    client.force_login(claimant)
    page = _html(client.get(record.get_absolute_url()))
    assert f'href="{_confirm_url(record)}">Claim this record</a>' in page
    confirm = _html(client.get(_confirm_url(record)))
    assert not Claim.objects.exists()  # looking at the page claims nothing
    assert "Claim this record?" in confirm
    assert "washington.edu" in confirm  # the proof it will ask for
    assert "a moderator compares them" in confirm
    action = reverse("profiles:claim", args=[record.openalex_id])
    assert f'<form class="confirm-actions" method="post" action="{action}">' in confirm
    assert "Yes, claim this record</button>" in confirm


def test_it_claims_only_from_the_confirmation_form(client, record, claimant):
    client.force_login(claimant)
    response = client.post(reverse("profiles:claim", args=[record.openalex_id]))
    assert response.status_code == 302
    assert Claim.objects.get().user == claimant
    assert "Claim pending: yours" in _html(client.get(record.get_absolute_url()))


def test_it_says_on_the_confirmation_page_why_one_cannot_claim(
    client, record, pending_claim, outsider, other_owner
):
    client.force_login(outsider)
    assert "Another account already claims this record" in _html(client.get(_confirm_url(record)))
    free = make_author(display_name="Free Record")
    client.force_login(other_owner)
    html = _html(client.get(_confirm_url(free)))
    assert "already claims another record" in html
    assert "Yes, claim this record" not in html
    client.force_login(make_user(verified=False))
    html = _html(client.get(_confirm_url(free)))
    assert "Verify your email address</a> to claim" in html
    assert "Yes, claim this record" not in html


def test_it_asks_anonymous_visitors_to_log_in_and_404s_an_unknown_record(client, record):
    response = client.get(_confirm_url(record))
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    client.force_login(make_user())
    assert client.get(_confirm_url(record)).status_code == 200
    assert client.get(reverse("profiles:claim-confirm", args=["A0000000404"])).status_code == 404


# --- a record with no institution web address ----------------------------------------------


def test_it_offers_the_moderated_route_where_no_institution_has_a_web_address(client, claimant):
    bare = make_author(display_name="No Homepage")
    client.force_login(claimant)
    confirm = _html(client.get(_confirm_url(bare)))
    assert "no email address can prove this claim" in confirm
    assert "An address at" not in confirm
    claim_request(user=claimant, author=bare)
    page = _html(client.get(bare.get_absolute_url()))
    assert "No institutional email can prove this record" in page
    assert 'name="kind" value="institutional_email"' not in page  # that form would only fail
    assert "Your institutional email" not in page
    assert 'name="kind" value="link"' in page  # the moderated route
    assert "For a moderator:" in page


def test_it_keeps_the_institutional_email_form_where_there_is_a_domain(
    client, record, pending_claim, claimant
):
    client.force_login(claimant)
    page = _html(client.get(record.get_absolute_url()))
    assert 'name="kind" value="institutional_email"' in page
    assert "washington.edu" in page
    assert "No institutional email can prove" not in page


# --- "This is me" ---------------------------------------------------------------------------


@pytest.fixture
def curated(record, claimant, staff):
    claim_approve(claim=claim_request(user=claimant, author=record), moderator=staff, reason="")
    namesake = make_author(display_name="M. Wortsman")
    work = make_work(authors=[namesake], title="Split-record paper")
    return record, work.authorships.get()


def _confirm_work_url(record, authorship) -> str:
    return reverse("profiles:work-add-authorship-confirm", args=[record.openalex_id, authorship.pk])


def test_it_leads_this_is_me_to_a_confirmation_page(client, claimant, curated):
    record, authorship = curated
    client.force_login(claimant)
    found = _html(
        client.get(reverse("profiles:work-add", args=[record.openalex_id]), {"q": "Split"})
    )
    assert f'href="{_confirm_work_url(record, authorship)}?q=Split">This is me</a>' in found
    confirm = _html(client.get(_confirm_work_url(record, authorship), {"q": "Split"}))
    assert Authorship.objects.get(pk=authorship.pk).author_id == authorship.author_id  # unmoved
    assert "Is this you?" in confirm
    assert "Split-record paper" in confirm
    assert "The work moves from that record to yours" in confirm
    assert "Yes, this is me: move it to my record</button>" in confirm
    assert "?q=Split" in confirm  # Cancel leads back to the same results
    url = reverse("profiles:work-add-authorship", args=[record.openalex_id, authorship.pk])
    assert client.post(url).status_code == 302
    assert Authorship.objects.get(pk=authorship.pk).author_id == record.pk


def test_it_says_a_claimed_records_owner_will_be_asked(client, claimant, curated, other_owner):
    record, authorship = curated
    # The namesake's record is claimed (pending) by the other owner's account: they decide.
    Claim.objects.filter(user=other_owner).update(author=authorship.author)
    client.force_login(claimant)
    confirm = _html(client.get(_confirm_work_url(record, authorship)))
    assert "the work moves only if they agree" in confirm
    assert "Yes, this is me: ask its owner</button>" in confirm
    url = reverse("profiles:work-add-authorship", args=[record.openalex_id, authorship.pk])
    client.post(url)
    assert WorkTransfer.objects.count() == 1


def test_it_refuses_the_this_is_me_page_to_others(client, curated, outsider):
    record, authorship = curated
    client.force_login(outsider)
    assert client.get(_confirm_work_url(record, authorship)).status_code == 403
    client.force_login(make_user(is_staff=True))
    missing = reverse("profiles:work-add-authorship-confirm", args=[record.openalex_id, 99999999])
    assert client.get(missing).status_code == 404


# --- the owner's collaboration status -------------------------------------------------------


def test_it_tells_the_owner_to_set_a_collaboration_status(client, record, claimant, staff):
    claim_approve(claim=claim_request(user=claimant, author=record), moderator=staff, reason="")
    client.force_login(claimant)
    page = _html(client.get(record.get_absolute_url()))
    assert "You have not set a collaboration status" in page
    profile = reverse("profiles:owner-profile", args=[record.openalex_id])
    assert f'href="{profile}">Set your collaboration status</a>' in page
    assert "Mitchell Wortsman is not taking invitations right now" not in page
    client.force_login(make_user())
    assert "Mitchell Wortsman is not taking invitations right now" in _html(
        client.get(record.get_absolute_url())
    )


def test_it_tells_an_owner_who_said_no_what_visitors_read(client, record, claimant, staff):
    claim_approve(claim=claim_request(user=claimant, author=record), moderator=staff, reason="")
    owner_profile_update(
        author=record,
        user=claimant,
        summary="",
        open_to_collaborate=False,
        shown_institution_id=None,
    )
    client.force_login(claimant)
    page = _html(client.get(record.get_absolute_url()))
    assert "You said you are not taking invitations right now" in page
    assert "Change your collaboration status</a>" in page
    assert "You have not set a collaboration status" not in page
