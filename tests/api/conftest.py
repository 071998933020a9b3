"""The API's worlds: real OpenAlex records through the real importer, and a record its owner
curated through the real services."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from profiles.services.claims import claim_approve, claim_request
from profiles.services.follows import follow_create
from profiles.services.owner import owner_work_exclude, owner_work_include
from tests.factories import make_author, make_institution, make_topic, make_user, make_work

SHARED = Path(__file__).resolve().parent.parent / "data" / "openalex" / "shared"
RECORDED_WORK = SHARED / "academic-explorer/works/W2741809807.json"
RECORDED_AUTHOR = SHARED / "academic-explorer/authors/A5048491430.json"


def recorded(path: Path) -> dict:
    return json.loads(path.read_text())


@pytest.fixture
def imported():
    """The work "The state of OA" and its first author, as OpenAlex answered for them in 2025,
    imported by the importer."""
    call_command(
        "import_openalex",
        str(RECORDED_WORK),
        str(RECORDED_AUTHOR),
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )


@pytest.fixture
def curated():
    """A record whose owner proved the claim, took one work off it ("Not me") and added one
    from a namesake's record; one follower."""
    uw = make_institution(display_name="University of Washington")
    topic = make_topic(display_name="Robustness")
    owner = make_user(email="owner@example.edu")
    author = make_author(
        display_name="Mitchell Wortsman", orcid="0000-0002-1825-0097", last_known_institutions=[uw]
    )
    namesake = make_author(display_name="M. Wortsman")
    kept = make_work(
        authors=[(author, [uw]), namesake], topics=[topic], title="Model soups", doi="10.1/soups",
        publication_year=2022, cited_by_count=50, abstract="Model soups average the weights.",
    )  # fmt: skip
    mistaken = make_work(authors=[author], title="Not theirs", publication_year=2019)
    theirs = make_work(authors=[namesake], title="Added by the owner", publication_year=2021)
    claim_approve(
        claim=claim_request(user=owner, author=author),
        moderator=make_user(is_staff=True),
        reason="",
    )
    owner_work_exclude(author=author, work=mistaken, user=owner, reason="not me")
    owner_work_include(author=author, authorship=theirs.authorships.get(), user=owner)
    follow_create(user=make_user(), author=author)
    return {
        "author": author,
        "owner": owner,
        "namesake": namesake,
        "kept": kept,
        "mistaken": mistaken,
        "added": theirs,
        "institution": uw,
        "topic": topic,
    }
