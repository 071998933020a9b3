"""Personas for the claim tests: a record at the University of Washington, its would-be
owner, the owner of another record, an outsider and a moderator (all with verified email)."""

import pytest

from profiles.models import Claim
from profiles.services.claims import claim_approve, claim_request
from tests.factories import make_author, make_institution, make_user


@pytest.fixture
def uw():
    return make_institution(
        display_name="University of Washington", homepage_url="https://www.washington.edu/"
    )


@pytest.fixture
def record(uw):
    return make_author(display_name="Mitchell Wortsman", last_known_institutions=[uw])


@pytest.fixture
def claimant():
    return make_user(email="mitchell@gmail.com")


@pytest.fixture
def outsider():
    return make_user(email="outsider@example.org")


@pytest.fixture
def staff():
    return make_user(email="moderator@bzpeer.example", is_staff=True)


@pytest.fixture
def pending_claim(claimant, record) -> Claim:
    return claim_request(user=claimant, author=record)


@pytest.fixture
def other_owner() -> object:
    """The owner of a different record (a live claim of their own)."""
    user = make_user(email="other@example.org")
    claim_request(user=user, author=make_author(display_name="Someone Else"))
    return user


@pytest.fixture
def log_in_as(client, claimant, outsider, other_owner, staff):
    """Log the test client in as one persona of a permission matrix, for a claimant who has
    asked for `author` (and, as "owner", had the claim approved). "anonymous" stays out."""

    def log_in(persona: str, *, author) -> None:
        claim = claim_request(user=claimant, author=author)
        if persona == "owner":
            claim_approve(claim=claim, moderator=staff, reason="")
        user = {
            "anonymous": None,
            "logged-in": outsider,
            "pending claimant": claimant,
            "another owner": other_owner,
            "owner": claimant,
            "staff": staff,
        }[persona]
        if user:
            client.force_login(user)

    return log_in
