import re

import pytest
from django.urls import reverse

from tests.factories import make_author, make_institution, make_topic, make_work
from works.models import NO_AUTHOR_ID

pytestmark = pytest.mark.django_db


def _researchers(html: str) -> list[str]:
    return re.findall(r'<h3 class="researcher-row-name"><a href="[^"]+">([^<]+)</a>', html)


def _works(html: str) -> list[str]:
    return re.findall(r'<h3 class="work-title"><a href="[^"]+">([^<]+)</a>', html)


# --- topic ---------------------------------------------------------------------------------


def test_it_shows_the_topic_with_its_subfield_field_and_domain(client):
    topic = make_topic(
        display_name="Neural Network Pruning",
        subfield="Artificial Intelligence",
        field="Computer Science",
        domain="Physical Sciences",
    )

    response = client.get(topic.get_absolute_url())

    assert response.status_code == 200
    html = response.content.decode()
    assert "Neural Network Pruning</h1>" in html
    assert "<dd>Artificial Intelligence</dd>" in html
    assert "<dd>Computer Science</dd>" in html
    assert "<dd>Physical Sciences</dd>" in html


def test_it_lists_researchers_by_works_on_the_topic_and_the_works_newest_first(client):
    topic, other = make_topic(), make_topic()
    busy, light = make_author(display_name="Busy Bee"), make_author(display_name="Light Touch")
    placeholder = make_author(openalex_id=NO_AUTHOR_ID, display_name="Placeholder")
    make_work(authors=[busy, placeholder], topics=[topic], title="Old", publication_year=2001)
    make_work(authors=[light, busy], topics=[topic], title="New", publication_year=2021)
    make_work(authors=[make_author(display_name="Off Topic")], topics=[other], title="Other")

    html = client.get(topic.get_absolute_url()).content.decode()

    assert _researchers(html) == ["Busy Bee", "Light Touch"]
    assert "<strong>2</strong> works on this topic" in html
    assert _works(html) == ["New", "Old"]


def test_it_paginates_researchers_and_works_separately(client):
    topic = make_topic()
    for n in range(25):
        make_work(
            authors=[make_author(display_name=f"Person {n:02d}")],
            topics=[topic],
            title=f"Work {n:02d}",
            publication_year=1990 + n,
        )

    first = client.get(topic.get_absolute_url()).content.decode()
    people2 = client.get(topic.get_absolute_url(), {"rpage": "2"}).content.decode()
    works2 = client.get(topic.get_absolute_url(), {"wpage": "2"}).content.decode()

    assert len(_researchers(first)) == 20 and len(_works(first)) == 20
    assert len(_researchers(people2)) == 5 and len(_works(people2)) == 20
    assert len(_researchers(works2)) == 20 and len(_works(works2)) == 5
    assert _works(works2) == [f"Work {n:02d}" for n in range(4, -1, -1)]
    assert 'href="?wpage=1&amp;rpage=2#researchers"' in first
    assert 'href="?rpage=1&amp;wpage=2#works"' in first


def test_it_gives_404_for_an_unknown_topic(client):
    assert client.get(reverse("works:topic", args=["T0"])).status_code == 404


@pytest.mark.parametrize("works", [3, 60])
def test_it_runs_a_fixed_number_of_queries_for_a_topic(
    client, django_assert_max_num_queries, works
):
    topic = make_topic()
    institution = make_institution()
    people = [make_author(last_known_institutions=[institution]) for _ in range(30)]
    for n in range(works):
        make_work(authors=[people[(n + k) % 30] for k in range(4)], topics=[topic, make_topic()])

    with django_assert_max_num_queries(8):
        # 0 the corpus version (the key of the anonymous page cache, works/pagecache.py)
        # 1 the topic
        # 2 how many researchers (for the pager)
        # 3 this page of researchers, works on the topic counted in a subquery
        # 4 their last known institutions
        # 5 how many works (for the pager)
        # 6 this page of works with venues
        # 7 their authorships with authors
        response = client.get(topic.get_absolute_url())

    assert response.status_code == 200


# --- institution ---------------------------------------------------------------------------


def test_it_shows_the_institution_with_country_type_ror_and_homepage(client):
    institution = make_institution(
        display_name="University of Washington",
        country_code="US",
        type="education",
        ror="https://ror.org/00cvxb145",
        homepage_url="https://www.washington.edu/",
    )

    response = client.get(institution.get_absolute_url())

    assert response.status_code == 200
    html = response.content.decode()
    assert "University of Washington</h1>" in html
    assert "<dd>US</dd>" in html
    assert "<dd>education</dd>" in html
    assert '<a href="https://ror.org/00cvxb145">' in html
    assert '<a href="https://www.washington.edu/" rel="nofollow">' in html


def test_it_links_a_bare_ror_id(client):
    institution = make_institution(ror="00cvxb145")

    html = client.get(institution.get_absolute_url()).content.decode()

    assert '<a href="https://ror.org/00cvxb145">' in html


def test_it_lists_researchers_from_works_and_affiliation_and_the_works(client):
    institution = make_institution()
    here = make_author(display_name="Wrote Here")
    affiliated = make_author(display_name="Affiliated", last_known_institutions=[institution])
    make_author(display_name="Elsewhere")
    make_work(authors=[(here, [institution])], title="From here", publication_year=2020)
    make_work(authors=[(here, [institution])], title="Also from here", publication_year=2021)
    make_work(authors=[affiliated], title="Not from here")

    html = client.get(institution.get_absolute_url()).content.decode()

    assert _researchers(html) == ["Wrote Here", "Affiliated"]
    assert "<strong>2</strong> works from here" in html
    assert "Last known affiliation" in html
    assert _works(html) == ["Also from here", "From here"]


def test_it_gives_404_for_an_unknown_institution(client):
    assert client.get(reverse("works:institution", args=["I0"])).status_code == 404


@pytest.mark.parametrize("works", [3, 60])
def test_it_runs_a_fixed_number_of_queries_for_an_institution(
    client, django_assert_max_num_queries, works
):
    institution = make_institution()
    people = [make_author(last_known_institutions=[institution]) for _ in range(30)]
    for n in range(works):
        make_work(
            authors=[(people[(n + k) % 30], [institution]) for k in range(4)],
            topics=[make_topic()],
        )

    with django_assert_max_num_queries(8):
        # 0 the corpus version (the key of the anonymous page cache, works/pagecache.py)
        # 1 the institution
        # 2 how many researchers (for the pager)
        # 3 this page of researchers, works from here counted in a subquery
        # 4 their last known institutions
        # 5 how many works (for the pager)
        # 6 this page of works with venues
        # 7 their authorships with authors
        response = client.get(institution.get_absolute_url())

    assert response.status_code == 200
