"""The owner merges a duplicate record of theirs: suggestions, a preview of the counts, the
works moved, the old page leading to theirs, and imports following the merge."""

import json

import pytest
from django.urls import reverse

from profiles.models import RecordMerge
from profiles.services.claims import claim_approve, claim_request
from tests.factories import make_author, make_work
from works.importer import import_paths
from works.models import Author, Authorship

pytestmark = pytest.mark.django_db

DUPLICATE_ID = "ADEMO9300002"


@pytest.fixture
def split(record):
    """`record` and a duplicate under a name variant sharing three co-authors, a namesake
    sharing one, and a work on both."""
    coauthors = [make_author(display_name=f"Co Author{i}") for i in range(3)]
    duplicate = make_author(openalex_id=DUPLICATE_ID, display_name="M. Wortsman")
    namesake = make_author(display_name="Mike Wortsman")
    for c in coauthors:
        make_work(authors=[record, c], title=f"Own with {c.display_name}")
        make_work(authors=[duplicate, c], title=f"Split with {c.display_name}")
    make_work(authors=[namesake, coauthors[0]], title="Namesake's")
    make_work(authors=[record, duplicate], title="On both")
    return duplicate, namesake


@pytest.fixture
def owner(record, claimant, staff):
    claim = claim_request(user=claimant, author=record)
    claim_approve(claim=claim, moderator=staff, reason="")
    return claimant


def _url(record) -> str:
    return reverse("profiles:record-merge", args=[record.openalex_id])


def test_it_suggests_likely_duplicates_and_previews_the_counts(client, record, split, owner):
    duplicate, namesake = split
    client.force_login(owner)
    html = client.get(_url(record)).content.decode()
    assert DUPLICATE_ID in html and "3 co-authors in common" in html
    assert namesake.openalex_id not in html
    html = client.get(_url(record), {"with": DUPLICATE_ID}).content.decode()
    assert "Your record has 4 works now; after the merge it will have <strong>7</strong>" in html


def test_it_merges_the_duplicate_and_leads_its_page_to_the_record(client, record, split, owner):
    client.force_login(owner)
    response = client.post(_url(record), {"duplicate": DUPLICATE_ID})
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.works_in_db == 7
    assert not Author.objects.filter(openalex_id=DUPLICATE_ID).exists()
    merge = RecordMerge.objects.get()
    assert (merge.duplicate_openalex_id, merge.works_moved, merge.merged_by) == (
        DUPLICATE_ID,
        3,
        owner,
    )
    client.logout()
    response = client.get(f"/researchers/{DUPLICATE_ID}/")
    assert response.status_code == 301
    assert response.url == record.get_absolute_url()


def test_it_keeps_the_merge_through_imports(client, record, split, owner, tmp_path):
    client.force_login(owner)
    client.post(_url(record), {"duplicate": DUPLICATE_ID})
    line = {
        "id": "https://openalex.org/WDEMO9300009",
        "title": "Newly imported",
        "publication_year": 2025,
        "updated_date": "2026-02-01",
        "authorships": [
            {
                "author_position": "first",
                "author": {"id": f"https://openalex.org/{DUPLICATE_ID}", "display_name": "M. W."},
                "raw_author_name": "M. W.",
                "institutions": [],
            }
        ],
    }
    path = tmp_path / "new.jsonl"
    path.write_text(json.dumps(line) + "\n")
    import_paths([path])
    assert Authorship.objects.get(work__openalex_id="WDEMO9300009").author == record
    assert not Author.objects.filter(openalex_id=DUPLICATE_ID).exists()


def test_it_refuses_to_merge_a_record_someone_else_claimed(client, record, split, owner, outsider):
    duplicate, _ = split
    claim_request(user=outsider, author=duplicate)
    client.force_login(owner)
    assert (
        "claimed by someone else"
        in client.get(_url(record), {"with": DUPLICATE_ID}).content.decode()
    )
    client.post(_url(record), {"duplicate": DUPLICATE_ID})
    assert Author.objects.filter(openalex_id=DUPLICATE_ID).exists()


def test_it_explains_an_unknown_record(client, record, owner):
    client.force_login(owner)
    response = client.get(_url(record), {"with": "A404404404"}, follow=True)
    assert "No other record A404404404" in response.content.decode()


@pytest.mark.parametrize(
    "persona,expected",
    [("anonymous", 302), ("logged-in", 403), ("pending", 403), ("another owner", 403),
     ("owner", 200), ("staff", 200)],
)  # fmt: skip
def test_it_lets_only_the_owner_and_staff_merge(
    client, record, split, persona, expected, claimant, outsider, other_owner, staff
):
    claim = claim_request(user=claimant, author=record)
    if persona == "owner":
        claim_approve(claim=claim, moderator=staff, reason="")
    user = {"anonymous": None, "logged-in": outsider, "pending": claimant,
            "another owner": other_owner, "owner": claimant, "staff": staff}[persona]  # fmt: skip
    if user:
        client.force_login(user)
    assert client.get(_url(record)).status_code == expected
    response = client.post(_url(record), {"duplicate": DUPLICATE_ID})
    assert response.status_code == (302 if expected == 200 else expected)
    merged = not Author.objects.filter(openalex_id=DUPLICATE_ID).exists()
    assert merged == (expected == 200)


def test_it_keeps_merges_in_a_history_staff_read(client, record, split, owner, staff):
    client.force_login(owner)
    client.post(_url(record), {"duplicate": DUPLICATE_ID})
    client.force_login(staff)
    html = client.get(reverse("admin:profiles_recordmerge_changelist")).content.decode()
    assert DUPLICATE_ID in html
