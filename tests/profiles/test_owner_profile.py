"""The owner's summary, collaboration flag and shown affiliation."""

import pytest
from django.urls import reverse

from profiles.services.claims import claim_approve, claim_release, claim_request
from tests.factories import make_institution, make_work

pytestmark = pytest.mark.django_db


@pytest.fixture
def owned(record, claimant, staff):
    claim = claim_request(user=claimant, author=record)
    return claim_approve(claim=claim, moderator=staff, reason="")


def _edit(client, record, **data):
    url = reverse("profiles:owner-profile", args=[record.openalex_id])
    fields = {"summary": "", "open_to_collaborate": "", "shown_institution": ""} | data
    return client.post(url, fields)


def test_it_shows_the_owners_words_on_the_page_even_when_cached(client, record, owned, claimant):
    lab = make_institution(display_name="Allen Institute for AI")
    make_work(authors=[(record, [lab])])
    assert "Open to collaborate" not in client.get(record.get_absolute_url()).content.decode()
    client.force_login(claimant)
    response = _edit(
        client,
        record,
        summary="Robust fine-tuning of large models",
        open_to_collaborate="yes",
        shown_institution=str(lab.id),
    )
    assert response.status_code == 302
    client.logout()
    html = client.get(record.get_absolute_url()).content.decode()
    assert "Robust fine-tuning of large models" in html
    assert "Open to collaborate" in html
    assert 'class="badge"><a href="/institutions/' + lab.openalex_id in html.replace(
        "\n", ""
    ).replace("  ", "")


def test_it_drops_the_owners_words_when_the_claim_ends(client, record, owned, claimant):
    client.force_login(claimant)
    _edit(client, record, summary="My own words", open_to_collaborate="no")
    claim_release(claim=owned, user=claimant)
    client.logout()
    html = client.get(record.get_absolute_url()).content.decode()
    assert "My own words" not in html
    assert "Collaboration status: not set (unclaimed record)" in html


def test_it_refuses_an_institution_not_on_the_record(client, record, owned, claimant):
    client.force_login(claimant)
    stranger = make_institution(display_name="Elsewhere")
    response = _edit(client, record, shown_institution=str(stranger.id))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


@pytest.mark.parametrize(
    "persona,expected",
    [("anonymous", 302), ("logged-in", 403), ("pending", 403), ("another owner", 403),
     ("owner", 200), ("staff", 200)],
)  # fmt: skip
def test_it_lets_only_the_owner_and_staff_edit(
    client, record, persona, expected, claimant, outsider, other_owner, staff
):
    claim = claim_request(user=claimant, author=record)
    if persona == "owner":
        claim_approve(claim=claim, moderator=staff, reason="")
    user = {"anonymous": None, "logged-in": outsider, "pending": claimant,
            "another owner": other_owner, "owner": claimant, "staff": staff}[persona]  # fmt: skip
    if user:
        client.force_login(user)
    response = client.get(reverse("profiles:owner-profile", args=[record.openalex_id]))
    assert response.status_code == expected
    if expected == 200:
        assert _edit(client, record, summary="x").status_code == 302
    else:
        assert _edit(client, record, summary="x").status_code == expected


def test_it_keeps_profile_edits_for_staff_to_read_and_revert(
    client, record, owned, claimant, staff
):
    from profiles.models import OwnerProfileEdit

    client.force_login(claimant)
    _edit(client, record, summary="First words")
    _edit(client, record, summary="Vandalised")
    client.force_login(staff)
    url = reverse("admin:profiles_ownerprofileedit_changelist")
    assert "Vandalised" in client.get(url).content.decode()
    last = OwnerProfileEdit.objects.first()
    client.post(url, {"action": "revert", "_selected_action": [last.pk]})
    client.logout()
    html = client.get(record.get_absolute_url()).content.decode()
    assert "First words" in html and "Vandalised" not in html
    assert OwnerProfileEdit.objects.count() == 3
