"""The full lists behind a researcher page's capped ones: every co-author and every topic, a
hundred at a time, through htmx or plain links."""

import re

import pytest
from django.urls import reverse

from tests.factories import make_author, make_topic, make_work
from works.models import DELETED_AUTHOR_ID, NO_AUTHOR_ID

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def _coauthors_url(author) -> str:
    return reverse("profiles:coauthors", args=[author.openalex_id])


def _topics_url(author) -> str:
    return reverse("profiles:topics", args=[author.openalex_id])


def _coauthor_names(html: str) -> list[str]:
    return re.findall(r'">(Coauthor \d+)</a>\s*<span class="num"', html)


def _topic_names(html: str) -> list[str]:
    return re.findall(r'">(Topic \d+)</a> <span class="num"', html)


def _researcher_with_coauthors(n: int):
    """A researcher with n co-authors, Coauthor 000 first (three shared works), then
    Coauthor 001 (two), then the rest (one each) by id; works of 26 authors at most."""
    author = make_author(display_name="Many Friends")
    coauthors = [make_author(display_name=f"Coauthor {i:03d}") for i in range(n)]
    for start in range(0, n, 25):
        make_work(authors=[author, *coauthors[start : start + 25]])
    make_work(authors=[author, coauthors[0], coauthors[1]])
    make_work(authors=[author, coauthors[0]])
    return author


def _researcher_with_topics(n: int):
    """A researcher whose works carry n topics, Topic 000 on every work, the others on one."""
    author = make_author(display_name="Many Topics")
    topics = [make_topic(display_name=f"Topic {i:03d}") for i in range(n)]
    for start in range(1, n, 10):
        make_work(authors=[author], topics=[topics[0], *topics[start : start + 10]])
    return author


# --- the links from the researcher page ------------------------------------------------------


def test_it_links_all_topics_when_the_page_shows_only_the_first_20(client):
    author = _researcher_with_topics(25)

    html = client.get(author.get_absolute_url()).content.decode()

    assert len(_topic_names(html)) == 20
    assert "The 20 most frequent of 25 topics" in html
    assert f'<p class="see-all"><a href="{_topics_url(author)}">All 25 topics</a></p>' in html


def test_it_offers_no_full_lists_when_the_page_shows_everything(client):
    author = make_author()
    make_work(authors=[author, make_author()], topics=[make_topic()])

    html = client.get(author.get_absolute_url()).content.decode()

    assert 'class="see-all"' not in html
    assert _coauthors_url(author) not in html
    assert _topics_url(author) not in html


# --- every co-author ---------------------------------------------------------------------


def test_it_lists_the_first_100_coauthors_most_shared_works_first(client):
    author = _researcher_with_coauthors(130)

    response = client.get(_coauthors_url(author))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Co-authors of Many Friends</h1>" in html
    assert "130 co-authors in our index, most shared works first" in html
    assert _coauthor_names(html) == [f"Coauthor {i:03d}" for i in range(100)]
    assert f'<a href="{author.get_absolute_url()}">← Back to Many Friends</a>' in html
    url = _coauthors_url(author)
    assert (
        f'<a class="button button-secondary" href="{url}?page=2" hx-get="{url}?page=2" '
        'hx-target="#coauthors-more" hx-swap="outerHTML">Show more co-authors</a>'
    ) in html
    assert "HX-Request" in response["Vary"]


def test_it_appends_the_next_coauthors_as_an_htmx_fragment(client):
    author = _researcher_with_coauthors(130)

    response = client.get(f"{_coauthors_url(author)}?page=2", headers=HTMX)

    html = response.content.decode()
    assert "<html" not in html and "<h1" not in html
    assert _coauthor_names(html) == [f"Coauthor {i:03d}" for i in range(100, 130)]
    assert "Show more" not in html


def test_it_serves_the_next_coauthors_without_javascript(client):
    author = _researcher_with_coauthors(130)

    html = client.get(f"{_coauthors_url(author)}?page=2").content.decode()

    assert "<html" in html
    assert _coauthor_names(html) == [f"Coauthor {i:03d}" for i in range(100, 130)]
    assert "showing from 101" in html
    assert f'<a href="{_coauthors_url(author)}">back to the first</a>' in html


@pytest.mark.parametrize(("page", "first"), [("abc", "Coauthor 000"), ("0", "Coauthor 000")])
def test_it_reads_a_bad_page_number_as_the_first(client, page, first):
    author = _researcher_with_coauthors(3)

    html = client.get(_coauthors_url(author), {"page": page}).content.decode()

    assert _coauthor_names(html)[0] == first


def test_it_says_so_past_the_last_coauthors(client):
    author = _researcher_with_coauthors(3)

    response = client.get(_coauthors_url(author), {"page": "40"})

    assert response.status_code == 200
    assert "No more co-authors in our index." in response.content.decode()
    assert client.get(_coauthors_url(author), {"page": "10001"}).status_code == 404


def test_it_leaves_placeholder_records_out_of_the_list_and_its_count(client):
    author = make_author()
    placeholder = make_author(openalex_id=NO_AUTHOR_ID, display_name="Anonymous")
    make_work(authors=[author, placeholder, make_author(display_name="Coauthor 001")])

    html = client.get(_coauthors_url(author)).content.decode()

    assert "1 co-author in our index" in html
    assert "Anonymous" not in html
    assert _coauthor_names(html) == ["Coauthor 001"]


# --- every topic -------------------------------------------------------------------------


def test_it_lists_the_first_100_topics_most_works_first(client):
    author = _researcher_with_topics(130)

    html = client.get(_topics_url(author)).content.decode()

    assert "Topics of Many Topics</h1>" in html
    assert "130 topics across their 13 works in our index" in html
    names = _topic_names(html)
    assert len(names) == 100
    assert names[:3] == ["Topic 000", "Topic 001", "Topic 002"]
    count = re.search(r'">Topic 000</a> <span class="num"[^>]*>(\d+)</span>', html)
    assert count.group(1) == "13"
    assert f'hx-get="{_topics_url(author)}?page=2"' in html


def test_it_appends_the_next_topics_as_an_htmx_fragment(client):
    author = _researcher_with_topics(130)

    html = client.get(f"{_topics_url(author)}?page=2", headers=HTMX).content.decode()

    assert "<html" not in html
    assert _topic_names(html) == [f"Topic {i:03d}" for i in range(100, 130)]
    assert "Show more" not in html


def test_it_says_so_past_the_last_topics(client):
    author = _researcher_with_topics(5)

    html = client.get(_topics_url(author), {"page": "3"}).content.decode()

    assert "No more topics on their works in our index." in html


# --- who may see them --------------------------------------------------------------------


@pytest.mark.parametrize("route", ["profiles:coauthors", "profiles:topics"])
def test_it_gives_404_for_unknown_and_reserved_ids(client, route):
    make_author(openalex_id=NO_AUTHOR_ID, display_name="Placeholder")

    for author_id in ("A123456789", NO_AUTHOR_ID, DELETED_AUTHOR_ID):
        assert client.get(reverse(route, args=[author_id])).status_code == 404
        assert client.get(reverse(route, args=[author_id]), headers=HTMX).status_code == 404


@pytest.mark.parametrize("route", ["profiles:coauthors", "profiles:topics"])
def test_it_refuses_post(client, route):
    author = make_author()

    assert client.post(reverse(route, args=[author.openalex_id])).status_code == 405


# --- query counts --------------------------------------------------------------------------


@pytest.mark.parametrize("size", ["small", "large"])
@pytest.mark.parametrize("headers", [{}, HTMX], ids=["page", "fragment"])
def test_it_runs_a_fixed_number_of_queries_for_every_coauthor(
    client, django_assert_max_num_queries, size, headers
):
    author = _researcher_with_coauthors(3 if size == "small" else 250)

    with django_assert_max_num_queries(2):
        # 1 the author with how many co-authors
        # 2 this step of co-authors (chosen on the index), joined to their records
        response = client.get(_coauthors_url(author), {"page": "2"}, headers=headers)

    assert response.status_code == 200
    assert len(_coauthor_names(response.content.decode())) == (0 if size == "small" else 100)


@pytest.mark.parametrize("size", ["small", "large"])
@pytest.mark.parametrize("headers", [{}, HTMX], ids=["page", "fragment"])
def test_it_runs_a_fixed_number_of_queries_for_every_topic(
    client, django_assert_max_num_queries, size, headers
):
    author = _researcher_with_topics(3 if size == "small" else 250)

    with django_assert_max_num_queries(2):
        # 1 the author
        # 2 this step of topics with works per topic and how many in all
        response = client.get(_topics_url(author), {"page": "2"}, headers=headers)

    assert response.status_code == 200
    assert len(_topic_names(response.content.decode())) == (0 if size == "small" else 100)
