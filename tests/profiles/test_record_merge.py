"""The owner merges a duplicate record of theirs: suggestions, a preview of the counts, the
works moved, the old page leading to theirs, and imports following the merge. Only a likely
duplicate (the suggestions' test, checked again by the service) unless staff merge it; staff
undo a merge from the site."""

import json

import pytest
from django.urls import reverse

from notices.models import Notification
from profiles.models import Follow, RecordMerge
from profiles.services.claims import claim_approve, claim_request
from profiles.services.merges import MergeError, author_merge_duplicate
from tests.factories import make_author, make_institution, make_user, make_work
from works.importer import import_paths
from works.models import Author, Authorship, MergedId
from works.selectors import corpus_version_get

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


def _import_work_by_the_duplicate(tmp_path, work_id: str, title: str) -> None:
    """A newer OpenAlex work line whose first author is the duplicate's old id."""
    line = {
        "id": f"https://openalex.org/{work_id}",
        "title": title,
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
    path = tmp_path / f"{work_id}.jsonl"
    path.write_text(json.dumps(line) + "\n")
    import_paths([path])


def test_it_keeps_the_merge_through_imports(client, record, split, owner, tmp_path):
    client.force_login(owner)
    client.post(_url(record), {"duplicate": DUPLICATE_ID})
    _import_work_by_the_duplicate(tmp_path, "WDEMO9300009", "Newly imported")
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


# --- only a likely duplicate, unless staff merge it ---------------------------------------

STRANGER_ID = "ADEMO9300003"


@pytest.fixture
def stranger():
    """Someone else's unclaimed record: another name, no co-author in common."""
    stranger = make_author(openalex_id=STRANGER_ID, display_name="Vera Victim")
    make_work(authors=[stranger, make_author(display_name="Her Coauthor")], title="Hers")
    return stranger


@pytest.mark.parametrize("which", ["namesake", "stranger"])
def test_it_refuses_to_merge_a_record_that_is_not_a_likely_duplicate(
    client, record, split, stranger, owner, which
):
    other = {"namesake": split[1], "stranger": stranger}[which]
    client.force_login(owner)

    response = client.post(_url(record), {"duplicate": other.openalex_id}, follow=True)

    assert "ask a moderator" in response.content.decode()
    assert Author.objects.filter(pk=other.pk).exists()
    assert not MergedId.objects.exists() and not RecordMerge.objects.exists()
    client.logout()
    assert client.get(other.get_absolute_url()).status_code == 200


def test_the_preview_of_a_record_that_is_not_a_likely_duplicate_offers_no_merge(
    client, record, stranger, owner
):
    client.force_login(owner)
    html = client.get(_url(record), {"with": STRANGER_ID}).content.decode()
    assert "Merge into my record" not in html
    assert "ask a moderator" in html


def test_the_service_itself_checks_the_pair(record, split, stranger, owner):
    with pytest.raises(MergeError, match="ask a moderator"):
        author_merge_duplicate(into=record, duplicate=stranger, user=owner)
    assert Author.objects.filter(pk=stranger.pk).exists()


def test_staff_may_merge_any_pair(client, record, stranger, owner, staff):
    client.force_login(staff)
    response = client.post(_url(record), {"duplicate": STRANGER_ID})
    assert response.status_code == 302
    assert not Author.objects.filter(openalex_id=STRANGER_ID).exists()
    assert RecordMerge.objects.get().merged_by == staff


# --- staff undo a merge from the site -------------------------------------------------------


def _undo_url(merge: RecordMerge) -> str:
    return reverse("profiles:record-merge-undo", args=[merge.pk])


@pytest.fixture
def merged(client, record, split, owner, uw):
    """The owner merged the duplicate (followed by a reader, last known at UW like the record
    and at an institute of its own) into their record."""
    duplicate, _ = split
    Follow.objects.create(user=make_user(), author=duplicate)
    duplicate.last_known_institutions.set([uw, make_institution(display_name="Split Home")])
    on_both = Authorship.objects.get(work__title="On both", author=duplicate)
    on_both.institutions.set([make_institution(display_name="Split Institute")])
    client.force_login(owner)
    client.post(_url(record), {"duplicate": DUPLICATE_ID})
    client.logout()
    assert not Author.objects.filter(openalex_id=DUPLICATE_ID).exists()
    return RecordMerge.objects.get()


def test_staff_see_merges_with_an_undo_button_on_the_review_page(client, merged, staff):
    client.force_login(staff)
    html = client.get(reverse("profiles:claim-review")).content.decode()
    assert DUPLICATE_ID in html
    assert f'action="{_undo_url(merged)}"' in html


def test_staff_undo_a_merge_and_everything_comes_back(client, record, merged, owner, staff):
    version = corpus_version_get()
    client.force_login(staff)

    response = client.post(_undo_url(merged), follow=True)

    assert "is a record of its own again" in response.content.decode()
    duplicate = Author.objects.get(openalex_id=DUPLICATE_ID)
    assert duplicate.display_name == "M. Wortsman"
    titles = set(Authorship.objects.filter(author=duplicate).values_list("work__title", flat=True))
    assert titles == {"Split with Co Author0", "Split with Co Author1", "Split with Co Author2",
                      "On both"}  # fmt: skip
    on_both = Authorship.objects.get(work__title="On both", author=duplicate)
    assert on_both.order == 1
    assert list(on_both.institutions.values_list("display_name", flat=True)) == ["Split Institute"]
    assert Follow.objects.filter(author=duplicate).count() == 1
    homes = set(duplicate.last_known_institutions.values_list("display_name", flat=True))
    assert homes == {"University of Washington", "Split Home"}
    assert list(record.last_known_institutions.values_list("display_name", flat=True)) == [
        "University of Washington"
    ]
    record.refresh_from_db()
    duplicate.refresh_from_db()
    assert (record.works_in_db, duplicate.works_in_db) == (4, 4)
    assert not MergedId.objects.exists()
    assert corpus_version_get() > version
    merged.refresh_from_db()
    assert merged.reverted_by == staff and merged.reverted_at is not None  # the history stays
    client.logout()
    assert client.get(f"/researchers/{DUPLICATE_ID}/").status_code == 200
    # The owner is told, and the record is a likely duplicate again.
    assert Notification.objects.filter(user=owner, text__contains="undid").exists()
    client.force_login(owner)
    assert DUPLICATE_ID in client.get(_url(record)).content.decode()


def test_after_an_undo_imports_of_the_old_id_land_on_it_again(client, merged, staff, tmp_path):
    client.force_login(staff)
    client.post(_undo_url(merged))
    _import_work_by_the_duplicate(tmp_path, "WDEMO9300010", "Imported after the undo")
    assert Authorship.objects.get(work__openalex_id="WDEMO9300010").author.openalex_id == (
        DUPLICATE_ID
    )


def test_a_merge_is_undone_once(client, merged, staff):
    client.force_login(staff)
    client.post(_undo_url(merged))
    response = client.post(_undo_url(merged), follow=True)
    assert "already undone" in response.content.decode()
    assert Author.objects.filter(openalex_id=DUPLICATE_ID).count() == 1


@pytest.mark.parametrize(
    "persona,expected",
    [("anonymous", 302), ("logged-in", 403), ("owner", 403), ("another owner", 403),
     ("staff", 302)],
)  # fmt: skip
def test_it_lets_only_staff_undo_a_merge(
    client, merged, persona, expected, claimant, outsider, other_owner, staff
):
    user = {"anonymous": None, "logged-in": outsider, "owner": claimant,
            "another owner": other_owner, "staff": staff}[persona]  # fmt: skip
    if user:
        client.force_login(user)
    response = client.post(_undo_url(merged))
    assert response.status_code == expected
    if persona == "anonymous":
        assert response.url.startswith(reverse("account_login"))
    restored = Author.objects.filter(openalex_id=DUPLICATE_ID).exists()
    assert restored == (persona == "staff")


def test_undoing_an_unknown_merge_is_404(client, staff):
    client.force_login(staff)
    assert client.post(reverse("profiles:record-merge-undo", args=[987654])).status_code == 404
    assert client.get(reverse("profiles:record-merge-undo", args=[987654])).status_code == 405
