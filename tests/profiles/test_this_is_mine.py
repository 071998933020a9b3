"""The owner's "This is mine": a work OpenAlex gave to another record moves to theirs, found
by DOI or title, kept through re-imports, reversible, and nobody else may do it."""

import json

import pytest
from django.urls import reverse

from profiles.services.claims import claim_approve, claim_request
from works.importer import import_paths
from works.models import Author, Authorship, AuthorshipOverride

pytestmark = pytest.mark.django_db

OWNER_ID, NAMESAKE_ID, COAUTHOR_ID = "ADEMO9200001", "ADEMO9200002", "ADEMO9200003"
OWN_WORK, MISSING_WORK = "WDEMO9200001", "WDEMO9200002"


def _line(work_id: str, first_author: str, updated: str, title: str, doi: str = "") -> str:
    def authorship(author_id: str, name: str, position: str) -> dict:
        return {
            "author_position": position,
            "author": {"id": f"https://openalex.org/{author_id}", "display_name": name},
            "raw_author_name": name,
            "institutions": [],
        }

    return json.dumps(
        {
            "id": f"https://openalex.org/{work_id}",
            "doi": f"https://doi.org/{doi}" if doi else None,
            "title": title,
            "publication_year": 2023,
            "updated_date": updated,
            "authorships": [
                authorship(first_author, "M. Wortsman", "first"),
                authorship(COAUTHOR_ID, "Cara Coauthor", "last"),
            ],
        }
    )


def _missing(updated: str, title: str = "Split-record paper") -> str:
    return _line(MISSING_WORK, NAMESAKE_ID, updated, title, doi="10.1234/mine")


@pytest.fixture
def record(tmp_path):
    path = tmp_path / "v1.jsonl"
    path.write_text(
        _line(OWN_WORK, OWNER_ID, "2026-01-01", "Own paper") + "\n" + _missing("2026-01-01") + "\n"
    )
    import_paths([path])
    return Author.objects.get(openalex_id=OWNER_ID)


@pytest.fixture
def owner(record, claimant, staff):
    claim = claim_request(user=claimant, author=record)
    claim_approve(claim=claim, moderator=staff, reason="")
    return claimant


def _namesake_authorship() -> Authorship:
    return Authorship.objects.get(work__openalex_id=MISSING_WORK, order=0)


def _this_is_me(client):
    url = reverse("profiles:work-add-authorship", args=[OWNER_ID, _namesake_authorship().pk])
    return client.post(url)


def _holder() -> str:
    return _namesake_authorship().author.openalex_id


@pytest.mark.parametrize("query", ["10.1234/mine", "https://doi.org/10.1234/MINE", "split-rec"])
def test_it_finds_a_missing_work_by_doi_or_title(client, owner, query):
    client.force_login(owner)
    response = client.get(reverse("profiles:work-add", args=[OWNER_ID]), {"q": query})
    html = response.content.decode()
    assert "Split-record paper" in html
    assert "Own paper" not in html  # already on the record
    assert "This is me" in html


def test_it_moves_the_authorship_to_the_owner(client, owner, record):
    client.force_login(owner)
    assert _this_is_me(client).status_code == 302
    assert _holder() == OWNER_ID
    record.refresh_from_db()
    assert record.works_in_db == 2
    assert Author.objects.get(openalex_id=NAMESAKE_ID).works_in_db == 0
    assert AuthorshipOverride.objects.get().kind == "include"


def test_it_keeps_the_work_through_re_imports(client, owner, tmp_path):
    client.force_login(owner)
    _this_is_me(client)
    newer = tmp_path / "v2.jsonl"
    newer.write_text(_missing("2026-06-01", title="Split-record paper, v2") + "\n")
    import_paths([newer])
    assert _namesake_authorship().work.title == "Split-record paper, v2"
    assert _holder() == OWNER_ID


def test_it_gives_the_work_back_on_undo(client, owner):
    client.force_login(owner)
    _this_is_me(client)
    url = reverse(
        "profiles:work-correction-undo", args=[OWNER_ID, AuthorshipOverride.objects.get().pk]
    )
    client.post(url)
    assert _holder() == NAMESAKE_ID


@pytest.mark.parametrize(
    "persona,get_expected,post_expected",
    [
        ("anonymous", 302, 302),
        ("logged-in", 403, 403),
        ("pending claimant", 403, 403),
        ("another owner", 403, 403),
        ("owner", 200, 302),
        ("staff", 200, 302),
    ],
)
def test_it_lets_only_the_owner_and_staff_add_a_work(
    client, record, persona, get_expected, post_expected, log_in_as
):
    log_in_as(persona, author=record)
    page = client.get(reverse("profiles:work-add", args=[OWNER_ID]), {"q": "10.1234/mine"})
    assert page.status_code == get_expected
    assert _this_is_me(client).status_code == post_expected
    assert (_holder() == OWNER_ID) == (persona in ("owner", "staff"))


def test_it_explains_a_work_already_on_the_record(client, owner):
    client.force_login(owner)
    own = Authorship.objects.get(work__openalex_id=OWN_WORK, author__openalex_id=OWNER_ID)
    url = reverse("profiles:work-add-authorship", args=[OWNER_ID, own.pk])
    client.post(url)
    messages = [str(m) for m in client.get("/").context["messages"]]
    assert messages == ["This work is already on your record."]
    missing = reverse("profiles:work-add-authorship", args=[OWNER_ID, 987654])
    assert client.post(missing).status_code == 404


def test_it_tells_the_owner_why_each_work_is_on_their_record(client, owner, record):
    client.force_login(owner)
    _this_is_me(client)
    html = client.get(record.get_absolute_url()).content.decode()
    assert html.count("On your record because you added it.") == 1
    assert html.count("On your record from OpenAlex's authorship.") == 1
    fragment = client.get(
        reverse("profiles:works-more", args=[OWNER_ID]), headers={"HX-Request": "true"}
    ).content.decode()
    assert fragment.count("On your record because you added it.") == 1
