import re

import pytest
from django.db import connection
from django.urls import reverse

from tests.factories import make_author, make_institution, make_topic, make_work
from works.models import DELETED_AUTHOR_ID, Author

pytestmark = pytest.mark.django_db

URL = reverse("profiles:list")


def _names(response) -> list[str]:
    return re.findall(
        r'<h3 class="researcher-row-name"><a href="[^"]+">([^<]+)</a>', response.content.decode()
    )


def test_it_browses_everyone_with_an_empty_query(client):
    make_author(display_name="Ada Lovelace")
    make_author(display_name="Alan Turing")

    response = client.get(URL)

    assert response.status_code == 200
    assert sorted(_names(response)) == ["Ada Lovelace", "Alan Turing"]
    assert "All 2 researchers in our index" in response.content.decode()


def test_it_finds_names_containing_the_query(client):
    make_author(display_name="Mitchell Wortsman")
    make_author(display_name="Ludwig Schmidt")

    response = client.get(URL, {"q": "worts"})

    assert _names(response) == ["Mitchell Wortsman"]


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("Jose", "José García"),
        ("jose garcia", "José García"),
        ("müller", "Jürgen Müller"),
        ("MULLER", "Jürgen Müller"),
        ("JÜRGEN", "Jürgen Müller"),
    ],
)
def test_it_ignores_case_and_accents(client, query, name):
    make_author(display_name=name)
    make_author(display_name="Somebody Else")

    assert _names(client.get(URL, {"q": query})) == [name]


def test_it_matches_alternative_names(client):
    make_author(display_name="M. Wortsman", display_name_alternatives=["Mitchell Wortsman"])

    assert _names(client.get(URL, {"q": "mitchell"})) == ["M. Wortsman"]


def test_it_puts_exact_then_prefix_then_word_matches_first(client):
    contains = make_author(display_name="Joe Blacksmith")
    word = make_author(display_name="John Smith")
    prefix = make_author(display_name="Smithson Lee")
    make_author(display_name="Smith")
    for author in (contains, contains, word):  # more works must not beat a better match
        make_work(authors=[author])
    make_work(authors=[prefix])

    names = _names(client.get(URL, {"q": "smith"}))

    assert names == ["Smith", "Smithson Lee", "John Smith", "Joe Blacksmith"]


def test_it_orders_equal_matches_by_works_in_our_index(client):
    few = make_author(display_name="Kim Few")
    many = make_author(display_name="Kim Many")
    make_work(authors=[few])
    for _ in range(3):
        make_work(authors=[many])

    assert _names(client.get(URL, {"q": "kim"})) == ["Kim Many", "Kim Few"]


def test_it_shows_affiliation_works_count_and_top_topics(client):
    uw = make_institution(display_name="University of Washington")
    author = make_author(display_name="Mitchell Wortsman", last_known_institutions=[uw])
    topics = [make_topic(display_name=f"Topic {n}") for n in range(4)]
    make_work(authors=[author], topics=topics[:3])
    make_work(authors=[author], topics=topics[:2])
    make_work(authors=[author], topics=topics[:1])

    html = client.get(URL, {"q": "wortsman"}).content.decode()

    assert f'<a href="/institutions/{uw.openalex_id}/">University of Washington</a>' in html
    assert "<strong>3</strong> works in our index" in html
    shown = re.findall(r'<a class="tag tag-link" href="/topics/[^"]+/">([^<]+)</a>', html)
    assert shown == ["Topic 0", "Topic 1", "Topic 2"]


def test_it_says_when_nothing_matches(client):
    make_author(display_name="Ada Lovelace")

    html = client.get(URL, {"q": "zzz"}).content.decode()

    assert "No researcher in our index has a name containing “zzz”" in html


def test_it_excludes_reserved_authors(client):
    make_author(openalex_id=DELETED_AUTHOR_ID, display_name="Deleted Author")

    assert _names(client.get(URL, {"q": "author"})) == []
    assert _names(client.get(URL)) == []


def test_it_paginates_20_a_page_keeping_the_query(client):
    for n in range(25):
        make_author(display_name=f"Paginated Person {n:02d}")
    make_author(display_name="Someone Unrelated")

    first = client.get(URL, {"q": "paginated"})
    second = client.get(URL, {"q": "paginated", "page": "2"})

    assert len(_names(first)) == 20
    assert len(_names(second)) == 5
    assert set(_names(first)).isdisjoint(_names(second))
    assert 'href="?q=paginated&amp;page=2"' in first.content.decode()
    assert "Page 2 of 2" in second.content.decode()


def test_it_turns_a_bad_page_number_into_a_real_page(client):
    make_author(display_name="Only One")

    assert _names(client.get(URL, {"page": "abc"})) == ["Only One"]
    assert _names(client.get(URL, {"page": "99"})) == ["Only One"]


@pytest.mark.parametrize("authors", [3, 45])
def test_it_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries, authors):
    institution = make_institution()
    topics = [make_topic() for _ in range(6)]
    for n in range(authors):
        author = make_author(display_name=f"Searchable {n}", last_known_institutions=[institution])
        for k in range(n % 4 + 1):
            make_work(authors=[author], topics=topics[k:][:3])

    with django_assert_max_num_queries(4):
        # 1 the number of matches (for the pager)
        # 2 this page of researchers, works in our index counted in a subquery
        # 3 their last known institutions
        # 4 their top three topics (one windowed query)
        response = client.get(URL, {"q": "searchable"})

    assert response.status_code == 200


def test_it_searches_names_through_the_trigram_index_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.fail("the test suite runs against PostgreSQL (set DATABASE_URL)")
    sql, params = Author.objects.filter(search_name__contains="wortsman").query.sql_with_params()
    with connection.cursor() as cursor:
        # A handful of test rows would be scanned anyway; ask whether the index can serve it.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "works_author_search_trgm" in plan
