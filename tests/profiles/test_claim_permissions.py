"""Who may use each claim view: anonymous, a logged-in outsider, the claim's owner, the owner
of another record, and staff. Anonymous visitors are sent to log in; everyone else who may
not act gets 403."""

import pytest
from django.urls import reverse

from profiles.models import Claim

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def _personas(claimant, outsider, other_owner, staff) -> dict:
    return {
        "anonymous": None,
        "logged-in": outsider,
        "owner": claimant,
        "another owner": other_owner,
        "staff": staff,
    }


# view name -> (method, data, {persona: expected status})
MATRIX = {
    "claim-evidence": (
        "post",
        {"kind": "link", "url": "https://x.example/"},
        {"logged-in": 403, "owner": 302, "another owner": 403, "staff": 403},
    ),
    "claim-release": (
        "post",
        {},
        {"logged-in": 403, "owner": 302, "another owner": 403, "staff": 403},
    ),
    "claim-dispute": (
        "post",
        {"reason": "not them"},
        {"logged-in": 302, "owner": 403, "another owner": 302, "staff": 302},
    ),
    "claim-decide": (
        "post",
        {"action": "approve", "reason": "ok"},
        {"logged-in": 403, "owner": 403, "another owner": 403, "staff": 302},
    ),
}


@pytest.mark.parametrize("name", MATRIX)
@pytest.mark.parametrize("persona", ["anonymous", "logged-in", "owner", "another owner", "staff"])
def test_it_lets_only_who_may_act_use_a_claim_view(
    client, name, persona, pending_claim, claimant, outsider, other_owner, staff
):
    user = _personas(claimant, outsider, other_owner, staff)[persona]
    if user:
        client.force_login(user)
    method, data, expected = MATRIX[name]
    before = list(pending_claim.events.values_list("kind", flat=True))
    response = getattr(client, method)(reverse(f"profiles:{name}", args=[pending_claim.pk]), data)
    after = list(pending_claim.events.values_list("kind", flat=True))
    if persona == "anonymous":
        assert response.status_code == 302
        assert response.url.startswith(LOGIN)
    else:
        assert response.status_code == expected[persona]
    # Only an allowed action leaves a trace in the audit log.
    assert (after != before) == (response.status_code == 302 and persona != "anonymous")


@pytest.mark.parametrize(
    "persona,expected",
    [("logged-in", 302), ("owner", 302), ("another owner", 302), ("staff", 302)],
)
def test_it_lets_any_verified_account_ask_to_claim(
    client, persona, expected, record, claimant, outsider, other_owner, staff
):
    # The request itself is open to all logged-in users; the service then says who may hold
    # the record (one per record, one per account).
    client.force_login(_personas(claimant, outsider, other_owner, staff)[persona])
    response = client.post(reverse("profiles:claim", args=[record.openalex_id]))
    assert response.status_code == expected
    holds = Claim.objects.live().filter(author=record).values_list("user__email", flat=True)
    assert list(holds) == ([] if persona == "another owner" else [response.wsgi_request.user.email])


def test_it_sends_anonymous_claimers_to_log_in(client, record):
    response = client.post(reverse("profiles:claim", args=[record.openalex_id]))
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)


@pytest.mark.parametrize(
    "persona,expected",
    [("logged-in", 403), ("owner", 403), ("another owner", 403), ("staff", 200)],
)
def test_it_shows_the_review_page_to_staff_only(
    client, persona, expected, pending_claim, claimant, outsider, other_owner, staff
):
    client.force_login(_personas(claimant, outsider, other_owner, staff)[persona])
    assert client.get(reverse("profiles:claim-review")).status_code == expected


def test_it_sends_anonymous_reviewers_to_log_in(client):
    response = client.get(reverse("profiles:claim-review"))
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)


@pytest.mark.parametrize("persona", ["logged-in", "owner", "another owner"])
def test_it_hides_the_audit_log_from_non_staff(
    client, persona, pending_claim, claimant, outsider, other_owner, staff
):
    client.force_login(_personas(claimant, outsider, other_owner, staff)[persona])
    response = client.get(reverse("admin:profiles_claimevent_changelist"))
    assert response.status_code == 302  # the admin sends non-staff to its login


def test_it_does_not_let_staff_decide_their_own_claim(client, record, staff):
    from profiles.services.claims import claim_request

    claim = claim_request(user=staff, author=record)
    client.force_login(staff)
    url = reverse("profiles:claim-decide", args=[claim.pk])
    assert client.post(url, {"action": "approve"}).status_code == 403


def test_it_gives_404_for_a_missing_claim_to_everyone_logged_in(client, outsider):
    client.force_login(outsider)
    for name in MATRIX:
        assert client.post(reverse(f"profiles:{name}", args=[987654])).status_code == 404
