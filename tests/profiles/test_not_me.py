"""The owner's "Not me" on a work: off their record at once, kept off through re-imports,
reversible, and nobody else may do it."""

import json

import pytest
from django.urls import reverse

from profiles.services.claims import claim_approve, claim_request
from works.importer import import_paths
from works.models import Author, Authorship, AuthorshipOverride, Work

pytestmark = pytest.mark.django_db

OWNER_ID, COAUTHOR_ID, WORK_ID = "ADEMO9100001", "ADEMO9100002", "WDEMO9100001"


def _work_line(updated: str, title: str = "A namesake's paper") -> str:
    def authorship(author_id: str, name: str, position: str) -> dict:
        return {
            "author_position": position,
            "author": {"id": f"https://openalex.org/{author_id}", "display_name": name},
            "raw_author_name": name,
            "institutions": [],
        }

    return json.dumps(
        {
            "id": f"https://openalex.org/{WORK_ID}",
            "title": title,
            "publication_year": 2024,
            "updated_date": updated,
            "authorships": [
                authorship(OWNER_ID, "Mitchell Wortsman", "first"),
                authorship(COAUTHOR_ID, "Cara Coauthor", "last"),
            ],
        }
    )


@pytest.fixture
def imported(tmp_path):
    path = tmp_path / "v1.jsonl"
    path.write_text(_work_line("2026-01-01") + "\n")
    import_paths([path])
    return Author.objects.get(openalex_id=OWNER_ID)


@pytest.fixture
def owner(imported, claimant, staff):
    claim = claim_request(user=claimant, author=imported)
    claim_approve(claim=claim, moderator=staff, reason="")
    return claimant


def _not_me(client, reason="A namesake in chemistry"):
    url = reverse("profiles:work-not-me", args=[OWNER_ID, WORK_ID])
    return client.post(url, {"reason": reason})


def _on_record() -> bool:
    return Authorship.objects.filter(
        author__openalex_id=OWNER_ID, work__openalex_id=WORK_ID
    ).exists()


def test_it_takes_a_work_off_the_owners_record_only(client, owner, imported):
    client.force_login(owner)
    html = client.get(imported.get_absolute_url()).content.decode()
    assert "Not me" in html
    response = _not_me(client)
    assert response.status_code == 302
    assert not _on_record()
    imported.refresh_from_db()
    assert imported.works_in_db == 0
    html = client.get(imported.get_absolute_url()).content.decode()
    assert "Your corrections" in html and "A namesake in chemistry" in html
    coauthor = Author.objects.get(openalex_id=COAUTHOR_ID)
    assert "A namesake&#x27;s paper" in client.get(coauthor.get_absolute_url()).content.decode()
    override = AuthorshipOverride.objects.get()
    assert (override.reason, override.created_by) == ("A namesake in chemistry", owner)


def test_it_keeps_the_work_off_through_re_imports(client, owner, imported, tmp_path):
    client.force_login(owner)
    _not_me(client)
    newer = tmp_path / "v2.jsonl"
    newer.write_text(_work_line("2026-06-01", title="A namesake's paper, revised") + "\n")
    import_paths([newer])
    import_paths([newer])
    assert Work.objects.get(openalex_id=WORK_ID).title == "A namesake's paper, revised"
    assert not _on_record()
    assert Authorship.objects.filter(author__openalex_id=COAUTHOR_ID).count() == 1


def test_it_puts_the_work_back_on_undo(client, owner, imported):
    client.force_login(owner)
    _not_me(client)
    override = AuthorshipOverride.objects.get()
    url = reverse("profiles:work-correction-undo", args=[OWNER_ID, override.pk])
    assert client.post(url).status_code == 302
    assert _on_record()
    override.refresh_from_db()
    assert override.reverted_at is not None  # the history keeps the row
    assert client.post(url).status_code == 302  # a second undo only says so
    assert Authorship.objects.filter(author__openalex_id=OWNER_ID).count() == 1


@pytest.mark.parametrize(
    "persona,expected",
    [
        ("anonymous", 302),
        ("logged-in", 403),
        ("pending claimant", 403),
        ("another owner", 403),
        ("owner", 302),
        ("staff", 302),
    ],
)
def test_it_lets_only_the_owner_and_staff_say_not_me(
    client, imported, persona, expected, log_in_as
):
    log_in_as(persona, author=imported)
    response = _not_me(client)
    assert response.status_code == expected
    if persona == "anonymous":
        assert response.url.startswith("/accounts/login/")
    assert _on_record() == (expected != 302 or persona == "anonymous")


def test_it_lets_only_the_owner_and_staff_undo(client, owner, imported, outsider, staff):
    client.force_login(owner)
    _not_me(client)
    url = reverse(
        "profiles:work-correction-undo", args=[OWNER_ID, AuthorshipOverride.objects.get().pk]
    )
    client.force_login(outsider)
    assert client.post(url).status_code == 403
    client.force_login(staff)
    assert client.post(url).status_code == 302
    assert _on_record()


def test_it_gives_404_for_a_missing_work_or_record(client, owner):
    client.force_login(owner)
    url = reverse("profiles:work-not-me", args=[OWNER_ID, "WDEMO404404"])
    assert client.post(url).status_code == 404
    url = reverse("profiles:work-not-me", args=["ADEMO404404", WORK_ID])
    assert client.post(url).status_code == 404
    url = reverse("profiles:work-correction-undo", args=[OWNER_ID, 987654])
    assert client.post(url).status_code == 404


def test_it_offers_not_me_in_the_show_more_fragment_to_the_owner_only(
    client, owner, imported, outsider
):
    url = reverse("profiles:works-more", args=[OWNER_ID])
    client.force_login(owner)
    html = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "Not me" in html and "<html" not in html
    client.force_login(outsider)
    assert "Not me" not in client.get(url, headers={"HX-Request": "true"}).content.decode()


def test_it_lets_staff_read_and_revert_corrections_in_the_admin(client, owner, imported, staff):
    client.force_login(owner)
    _not_me(client)
    override = AuthorshipOverride.objects.get()
    client.force_login(staff)
    url = reverse("admin:works_authorshipoverride_changelist")
    assert "A namesake in chemistry" in client.get(url).content.decode()
    client.post(url, {"action": "revert", "_selected_action": [override.pk]})
    override.refresh_from_db()
    assert override.reverted_at is not None and override.reverted_by == staff
    assert _on_record()
