"""Claiming a record through the test client: request, prove by institutional email or by a
page for a moderator, decisions, disputes, release; bad input; the page's level."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse

from profiles.models import Claim, ClaimEvent
from profiles.selectors.researcher import researcher_page_stamp
from profiles.services.claims import claim_evidence_send
from tests.factories import make_author, make_institution, make_user

# Real commits: the emails leave on commit (transaction.on_commit), as in production.
pytestmark = pytest.mark.django_db(transaction=True)

VERIFY_LINK = re.compile(r"http://testserver(/claims/verify/[^\s]+/)")


def _page(client, record) -> str:
    return client.get(record.get_absolute_url()).content.decode()


def _claim(client, record):
    return client.post(reverse("profiles:claim", args=[record.openalex_id]))


def _send_email(client, claim, email):
    url = reverse("profiles:claim-evidence", args=[claim.pk])
    return client.post(url, {"kind": "institutional_email", "email": email})


def _verify_link() -> str:
    match = VERIFY_LINK.search(mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(1)


def _events(claim) -> list[str]:
    return list(claim.events.values_list("kind", flat=True))


# --- the page before and while claiming ----------------------------------------------------


def test_it_explains_claiming_and_offers_log_in_to_claim(client, record):
    html = _page(client, record)
    assert "Claiming links this public author record to a researcher profile" in html
    login = f"/accounts/login/?next=%2Fresearchers%2F{record.openalex_id}%2F"
    assert f'href="{login}">Log in to claim</a>' in html
    assert "L1 · Public record, unclaimed" in html


def test_it_offers_a_verified_user_the_claim_button(client, record, claimant):
    client.force_login(claimant)
    assert "Claim this record</a>" in _page(client, record)


def test_it_asks_an_unverified_user_to_verify_first(client, record):
    client.force_login(make_user(verified=False))
    html = _page(client, record)
    assert "Claim this record</a>" not in html
    assert "Verify your email address</a> to claim" in html
    _claim(client, record)
    assert not Claim.objects.exists()


def test_it_shows_claim_pending_to_everyone(client, record, claimant):
    client.force_login(claimant)
    response = _claim(client, record)
    assert response.status_code == 302
    assert response.url == f"{record.get_absolute_url()}#claim"
    claim = Claim.objects.get()
    assert (claim.status, claim.level, _events(claim)) == ("pending", 2, ["requested"])
    client.logout()
    html = _page(client, record)
    assert "Claim pending" in html
    assert "L2 · Claimed by a verified account, awaiting evidence or review" in html


# --- institutional email: L3 at once ---------------------------------------------------------


def test_it_proves_a_claim_by_institutional_email(client, record, claimant):
    client.force_login(claimant)
    _claim(client, record)
    claim = Claim.objects.get()
    html = _page(client, record)
    assert "washington.edu" in html  # the domains that qualify are named

    response = _send_email(client, claim, "mitchell@cs.washington.edu")
    assert response.status_code == 302
    assert mail.outbox[-1].to == ["mitchell@cs.washington.edu"]
    link = _verify_link()
    assert "Confirm my claim" in client.get(link).content.decode()  # GET changes nothing
    assert Claim.objects.get().status == "pending"
    response = client.post(link)
    assert response.status_code == 302

    claim.refresh_from_db()
    assert (claim.status, claim.level) == ("active", 3)
    assert _events(claim) == ["requested", "evidence_sent", "verified"]
    html = _page(client, record)
    assert "You own this record" in html
    assert "L3 · Claim proven by institutional email or ORCID" in html
    assert "Next, to reach L4" in html  # how to reach the next level
    client.logout()
    assert "Claimed by the researcher · L3" in _page(client, record)


def test_it_refuses_an_address_outside_the_institutions(client, record, pending_claim, claimant):
    client.force_login(claimant)
    _send_email(client, pending_claim, "mitchell@washington.edu.evil.example")
    _send_email(client, pending_claim, "mitchell@notwashington.edu")
    assert mail.outbox == []
    assert "not at a domain of this record" in _page(client, record)


def test_it_refuses_an_address_elsewhere_under_the_institutions_public_suffix(client, claimant):
    # The homepage www.example.com.au names example.com.au, not every address under com.au.
    melbourne = make_institution(
        display_name="Example University", homepage_url="https://www.example.com.au/"
    )
    record = make_author(display_name="Ada Example", last_known_institutions=[melbourne])
    client.force_login(claimant)
    _claim(client, record)
    claim = Claim.objects.get()
    assert "example.com.au" in _page(client, record)

    _send_email(client, claim, "anyone@attacker.com.au")

    assert mail.outbox == []
    html = _page(client, record)
    assert "not at a domain of this record" in html and "institutions (example.com.au)." in html
    claim.refresh_from_db()
    assert (claim.status, claim.evidence_email, claim.email_nonce) == ("pending", "", "")
    _send_email(client, claim, "ada@dept.example.com.au")
    assert mail.outbox[-1].to == ["ada@dept.example.com.au"]
    client.post(_verify_link())
    claim.refresh_from_db()
    assert (claim.status, claim.level) == ("active", 3)


def test_it_refuses_a_reused_link(client, record, pending_claim, claimant):
    client.force_login(claimant)
    _send_email(client, pending_claim, "m@washington.edu")
    link = _verify_link()
    client.post(link)
    response = client.post(link)
    assert response.status_code == 400
    assert "already been used" in response.content.decode()


def test_it_refuses_a_replaced_link(client, record, pending_claim, claimant):
    client.force_login(claimant)
    _send_email(client, pending_claim, "m@washington.edu")
    first = _verify_link()
    _send_email(client, pending_claim, "m@washington.edu")
    assert client.post(first).status_code == 400
    assert client.post(_verify_link()).status_code == 302


def test_it_refuses_an_expired_link(client, record, pending_claim, claimant, settings):
    client.force_login(claimant)
    _send_email(client, pending_claim, "m@washington.edu")
    link = _verify_link()
    settings.CLAIM_EMAIL_LINK_MAX_AGE = -1
    response = client.post(link)
    assert response.status_code == 400
    assert "expired" in response.content.decode()
    assert Claim.objects.get().status == "pending"


def test_it_refuses_a_forged_link(client, pending_claim, claimant):
    client.force_login(claimant)
    response = client.post(reverse("profiles:claim-verify", args=["eyJjIjoxfQ:forged:sig"]))
    assert response.status_code == 400
    assert "not valid" in response.content.decode()


def test_it_refuses_the_link_to_another_account(client, record, pending_claim, claimant, outsider):
    client.force_login(claimant)
    _send_email(client, pending_claim, "m@washington.edu")
    client.force_login(outsider)
    response = client.post(_verify_link())
    assert response.status_code == 400
    assert Claim.objects.get().status == "pending"


# --- a page for a moderator: L4 ----------------------------------------------------------------


def test_it_sends_a_page_to_moderators_who_approve_it(
    client, record, pending_claim, claimant, staff
):
    client.force_login(claimant)
    url = reverse("profiles:claim-evidence", args=[pending_claim.pk])
    client.post(url, {"kind": "link", "url": "https://homes.cs.washington.edu/~mitchell/"})
    assert "Claim pending" in _page(client, record)

    client.force_login(staff)
    review = client.get(reverse("profiles:claim-review")).content.decode()
    assert "https://homes.cs.washington.edu/~mitchell/" in review
    decide = reverse("profiles:claim-decide", args=[pending_claim.pk])
    client.post(decide, {"action": "approve", "reason": "Homepage lists the address"})

    pending_claim.refresh_from_db()
    assert (pending_claim.status, pending_claim.level) == ("active", 4)
    assert mail.outbox[-1].to == [claimant.email]
    assert "confirmed" in mail.outbox[-1].subject
    client.logout()
    assert "L4 · Reviewed and confirmed by a moderator" in _page(client, record)


def test_it_tells_the_claimant_why_a_claim_was_rejected(
    client, record, pending_claim, claimant, staff
):
    client.force_login(staff)
    decide = reverse("profiles:claim-decide", args=[pending_claim.pk])
    client.post(decide, {"action": "reject", "reason": ""})  # a reason is required
    assert Claim.objects.get().status == "pending"
    client.post(decide, {"action": "reject", "reason": "The page does not name you"})
    assert Claim.objects.get().status == "rejected"
    assert "The page does not name you" in mail.outbox[-1].body

    client.force_login(claimant)
    html = _page(client, record)
    assert "Your claim of this record was rejected: The page does not name you" in html
    assert "L1 · Public record, unclaimed" in html


def test_it_lets_staff_revoke_and_keeps_every_event(client, record, pending_claim, claimant, staff):
    claim_evidence_send(claim=pending_claim, user=claimant, kind="link", url="https://x.example/")
    client.force_login(staff)
    decide = reverse("profiles:claim-decide", args=[pending_claim.pk])
    client.post(decide, {"action": "approve", "reason": ""})
    client.post(decide, {"action": "revoke", "reason": "Impersonation reported"})
    pending_claim.refresh_from_db()
    assert pending_claim.status == "revoked"
    assert _events(pending_claim) == ["requested", "evidence_sent", "approved", "revoked"]
    assert "revoked" in mail.outbox[-1].subject
    admin = client.get(reverse("admin:profiles_claimevent_changelist")).content.decode()
    assert "Impersonation reported" in admin


def test_it_lets_anyone_logged_in_dispute_a_claim(client, record, pending_claim, outsider, staff):
    client.force_login(outsider)
    html = _page(client, record)
    assert "This is not them" in html
    url = reverse("profiles:claim-dispute", args=[pending_claim.pk])
    client.post(url, {"reason": "I know him; this account is not his"})
    pending_claim.refresh_from_db()
    assert pending_claim.disputed_at is not None
    assert _events(pending_claim)[-1] == ClaimEvent.Kind.DISPUTED
    client.force_login(staff)
    assert "disputed" in client.get(reverse("profiles:claim-review")).content.decode()


def test_it_lets_the_owner_release_the_claim(client, record, pending_claim, claimant, outsider):
    client.force_login(claimant)
    client.post(reverse("profiles:claim-release", args=[pending_claim.pk]))
    assert Claim.objects.get().status == "released"
    client.force_login(outsider)  # the record is open again
    _claim(client, record)
    assert Claim.objects.live().get().user == outsider


# --- one owner per record, one record per account ------------------------------------------


def test_it_tells_a_second_claimant_the_record_is_taken(client, record, pending_claim, outsider):
    client.force_login(outsider)
    _claim(client, record)
    assert Claim.objects.count() == 1
    messages = [str(m) for m in client.get("/").context["messages"]]
    assert messages == ["This record has already been claimed."]


def test_it_lets_an_account_own_one_record(client, record, other_owner):
    client.force_login(other_owner)
    assert "already claims another record" in _page(client, record)
    _claim(client, record)
    assert not Claim.objects.filter(author=record).exists()


def test_it_holds_one_live_claim_per_record_in_the_database(record, pending_claim, outsider):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        Claim.objects.create(user=outsider, author=record)


# --- bad input ------------------------------------------------------------------------------


def test_it_gives_404_for_a_claim_on_a_missing_record(client, claimant):
    client.force_login(claimant)
    assert _claim(client, type("R", (), {"openalex_id": "A404404404"})).status_code == 404
    assert client.post(reverse("profiles:claim-release", args=[999999])).status_code == 404


def test_it_explains_a_forged_evidence_form(client, record, pending_claim, claimant):
    client.force_login(claimant)
    url = reverse("profiles:claim-evidence", args=[pending_claim.pk])
    response = client.post(url, {"kind": "telepathy", "email": "x"})
    assert response.status_code == 302
    html = _page(client, record)
    assert "Select a valid choice" in html
    assert _events(Claim.objects.get()) == ["requested"]


def test_it_refuses_get_on_a_claim_action(client, record, claimant):
    client.force_login(claimant)
    response = client.get(reverse("profiles:claim", args=[record.openalex_id]))
    assert response.status_code == 405


# --- the cached anonymous page follows the claim ---------------------------------------------


def test_it_changes_the_page_stamp_with_every_claim_change(record, pending_claim, claimant):
    before = researcher_page_stamp(openalex_id=record.openalex_id)
    Claim.objects.filter(pk=pending_claim.pk).update(
        updated_at=pending_claim.updated_at + timedelta(seconds=1)
    )
    assert researcher_page_stamp(openalex_id=record.openalex_id) != before


def test_it_shows_a_fresh_claim_on_a_cached_page(client, record, claimant):
    assert "Claim pending" not in _page(client, record)  # now cached
    client.force_login(claimant)
    _claim(client, record)
    client.logout()
    assert "Claim pending" in _page(client, record)
