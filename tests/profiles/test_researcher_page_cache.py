"""Anonymous researcher pages come from the cache until something they show changes."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from graph.models import TrustScore
from profiles.models import Follow
from works.importer import import_paths
from works.models import Author

pytestmark = pytest.mark.django_db


def _work_line(title: str, updated: str) -> str:
    return json.dumps(
        {
            "id": "https://openalex.org/WDEMO9000001",
            "title": title,
            "publication_year": 2024,
            "updated_date": updated,
            "authorships": [
                {
                    "author_position": "first",
                    "author": {
                        "id": "https://openalex.org/ADEMO9000001",
                        "display_name": "Ines Cache",
                    },
                    "raw_author_name": "Ines Cache",
                    "institutions": [],
                }
            ],
        }
    )


@pytest.fixture
def imported(tmp_path):
    path = tmp_path / "works.jsonl"
    path.write_text(_work_line("A first title", "2026-01-01") + "\n")
    import_paths([path])
    return path


def test_it_shows_a_reimported_title_on_a_cached_page(client, imported, tmp_path):
    url = "/researchers/ADEMO9000001/"
    assert "A first title" in client.get(url).content.decode()
    assert "A first title" in client.get(url).content.decode()  # now cached

    newer = tmp_path / "newer.jsonl"
    newer.write_text(_work_line("A corrected title", "2026-02-01") + "\n")
    import_paths([newer])

    html = client.get(url).content.decode()
    assert "A corrected title" in html
    assert "A first title" not in html


def test_it_keeps_the_cached_page_when_an_import_changes_nothing(
    client, imported, django_assert_max_num_queries
):
    url = "/researchers/ADEMO9000001/"
    client.get(url)
    import_paths([imported])  # the same file again: all unchanged, no new corpus version

    with django_assert_max_num_queries(1):
        # 1 the cache stamp, unchanged
        client.get(url)


def test_it_counts_a_new_follower_on_a_cached_page(client, imported):
    url = "/researchers/ADEMO9000001/"
    assert "<strong>0</strong> followers<" in client.get(url).content.decode()

    fan = get_user_model().objects.create_user("fan", password="pw-not-checked-here")
    Follow.objects.create(user=fan, author=Author.objects.get(openalex_id="ADEMO9000001"))

    assert "<strong>1</strong> follower<" in client.get(url).content.decode()


def test_it_never_caches_a_trust_score_in_the_page(client, imported):
    # The score loads through graph's own fragment, so a cached page cannot show a stale one.
    url = "/researchers/ADEMO9000001/"
    TrustScore.objects.create(
        author=Author.objects.get(openalex_id="ADEMO9000001"),
        score=37,
        label="Emerging",
        input_fingerprint="test",
        computed_at=timezone.now(),
    )

    html = client.get(url).content.decode()
    assert ">37<" not in html
    assert 'hx-get="/researchers/ADEMO9000001/trust/" hx-trigger="load"' in html


def test_it_never_serves_the_anonymous_page_to_a_logged_in_visitor(client, imported):
    url = "/researchers/ADEMO9000001/"
    assert "Log in to follow" in client.get(url).content.decode()

    client.force_login(get_user_model().objects.create_user("reader"))

    html = client.get(url).content.decode()
    assert "Log in to follow" not in html
    assert "reader" in html
