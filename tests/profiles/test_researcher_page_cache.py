"""Anonymous researcher pages come from the cache until something they show changes."""

import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from graph.models import TrustScore
from notices.models import Notification
from profiles.models import Follow
from profiles.services.accounts import person_set_display_name
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

    user = get_user_model().objects.create_user("reader")
    client.force_login(user)

    html = client.get(url).content.decode()
    assert "Log in to follow" not in html
    # Named in the header by a name they chose; with none yet, by a member number.
    assert f"BZPEER member #{user.pk}" in html


def _csrf_token(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


@pytest.fixture
def reader(client):
    user = get_user_model().objects.create_user("reader", email="reader@example.org")
    person_set_display_name(user=user, display_name="Ada Reader")
    client.force_login(user)
    client.get("/researchers/ADEMO9000001/")  # the CSRF cookie, as a first visit sets it
    return user


def test_a_logged_in_visitor_gets_their_own_copy_again(
    client, imported, reader, django_assert_max_num_queries
):
    url = "/researchers/ADEMO9000001/"
    first = client.get(url).content
    with django_assert_max_num_queries(4):
        # the session, the user, their viewer stamp, the page's stamp
        again = client.get(url).content
    assert again == first
    assert b"Ada Reader" in again


def test_a_visitor_never_gets_another_visitors_copy(client, imported, reader):
    url = "/researchers/ADEMO9000001/"
    client.get(url)
    other = get_user_model().objects.create_user("writer", email="writer@example.org")
    person_set_display_name(user=other, display_name="Wanda Writer")
    client.force_login(other)
    html = client.get(url).content.decode()
    assert "Wanda Writer" in html
    assert "Ada Reader" not in html


def test_the_forms_of_a_kept_copy_still_pass_the_csrf_check(imported, reader, client):
    url = "/researchers/ADEMO9000001/"
    client.get(url)
    kept = client.get(url).content.decode()  # from the cache
    strict = Client(enforce_csrf_checks=True)
    strict.cookies = client.cookies
    response = strict.post(
        "/researchers/ADEMO9000001/follow/", {"csrfmiddlewaretoken": _csrf_token(kept)}
    )
    assert response.status_code == 302
    assert Follow.objects.filter(user=reader, author__openalex_id="ADEMO9000001").exists()


def test_a_new_notification_shows_on_the_next_view(client, imported, reader):
    url = "/researchers/ADEMO9000001/"
    client.get(url)
    assert 'class="unread-count"' not in client.get(url).content.decode()
    Notification.objects.create(user=reader, kind=Notification.Kind.MESSAGE, text="Hello")
    assert 'title="1 unread"' in client.get(url).content.decode()


def test_it_answers_304_to_a_browser_that_has_the_page_until_it_changes(client, imported):
    url = "/researchers/ADEMO9000001/"
    first = client.get(url)
    etag = first.headers["ETag"]

    again = client.get(url, headers={"if-none-match": etag})
    assert again.status_code == 304
    assert again.content == b""

    fan = get_user_model().objects.create_user("fan", password="pw-not-checked-here")
    Follow.objects.create(user=fan, author=Author.objects.get(openalex_id="ADEMO9000001"))
    changed = client.get(url, headers={"if-none-match": etag})
    assert changed.status_code == 200
    assert "<strong>1</strong> follower<" in changed.content.decode()
    assert changed.headers["ETag"] != etag


def test_it_gives_each_page_of_works_and_each_viewer_its_own_etag(client, imported):
    url = "/researchers/ADEMO9000001/"
    anonymous = client.get(url).headers["ETag"]
    assert client.get(f"{url}?page=2").headers["ETag"] != anonymous

    client.force_login(get_user_model().objects.create_user("reader"))
    client.get(url)  # the first page sets the CSRF cookie
    mine = client.get(url)
    assert mine.headers["ETag"] != anonymous
    # A logged-in visitor's copy is theirs alone: no shared cache may keep it.
    assert "private" in mine.headers["Cache-Control"]
    assert client.get(url, headers={"if-none-match": anonymous}).status_code == 200
