"""Work, topic and institution pages are kept whole for anonymous visitors until the corpus
changes (works/pagecache.py), with an ETag for a 304 to whoever has the page already."""

import pytest
from django.core.cache import cache

from tests.factories import make_author, make_institution, make_topic, make_user, make_work
from works.models import Author, Work
from works.services import corpus_version_bump

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def pages():
    """(url, model instance whose display field is renamed, that field) per page kind."""
    institution = make_institution(display_name="Institute of Caching")
    topic = make_topic(display_name="Caching Theory")
    author = make_author(display_name="Ada Cache")
    work = make_work(title="On Caching", authors=[(author, [institution])], topics=[topic])
    return [
        (f"/works/{work.openalex_id}/", work, "title"),
        (f"/topics/{topic.openalex_id}/", topic, "display_name"),
        (f"/institutions/{institution.openalex_id}/", institution, "display_name"),
    ]


def rename(instance, field: str, value: str) -> None:
    # Straight to the table, as an import does, without the import's announcement.
    type(instance).objects.filter(pk=instance.pk).update(**{field: value})


def test_an_anonymous_page_is_kept_until_the_corpus_changes(client, pages):
    for n, (url, instance, field) in enumerate(pages):
        assert client.get(url).status_code == 200
        rename(instance, field, f"Renamed Quietly {n}")
        assert f"Renamed Quietly {n}".encode() not in client.get(url).content, url  # kept
    corpus_version_bump()
    for n, (url, _, _) in enumerate(pages):
        assert f"Renamed Quietly {n}".encode() in client.get(url).content, url


def test_a_kept_page_costs_one_query(client, pages, django_assert_num_queries):
    for url, _, _ in pages:
        client.get(url)
        with django_assert_num_queries(1):  # the corpus version
            assert client.get(url).status_code == 200


def test_a_visitor_with_the_page_gets_a_304(client, pages):
    url = pages[0][0]
    first = client.get(url)
    etag = first.headers["ETag"]
    again = client.get(url, headers={"if-none-match": etag})
    assert again.status_code == 304
    assert again.content == b""
    corpus_version_bump()
    changed = client.get(url, headers={"if-none-match": etag})
    assert changed.status_code == 200
    assert changed.headers["ETag"] != etag


def test_logged_in_visitors_query_strings_and_fragments_get_the_page_as_it_is(client, pages):
    url, work, field = pages[0]
    client.get(url)
    rename(work, field, "Renamed Quietly")
    assert b"Renamed Quietly" in client.get(url, {"authors": "all"}).content
    client.force_login(make_user())
    response = client.get(url)
    assert b"Renamed Quietly" in response.content
    assert "ETag" not in response.headers


def test_an_htmx_fragment_is_rendered_and_the_page_varies_on_it(client, pages):
    url, work, _ = pages[0]
    client.get(url)
    Author.objects.filter(works__pk=work.pk).update(display_name="Renamed Quietly")
    fragment = client.get(url, {"authors": "all"}, headers={"hx-request": "true"})
    assert b"Renamed Quietly" in fragment.content
    kept = client.get(url)
    assert b"Renamed Quietly" not in kept.content
    assert "HX-Request" in kept.headers["Vary"] and "Cookie" in kept.headers["Vary"]


def test_a_missing_page_is_not_kept(client):
    assert client.get("/works/W404404404/").status_code == 404
    Work.objects.create(openalex_id="W404404404", title="Arrived Later")
    assert client.get("/works/W404404404/").status_code == 200
