import re

import pytest
from django.urls import reverse

from tests.factories import make_author, make_institution, make_source, make_topic, make_work
from works.models import NO_AUTHOR_ID, Authorship

pytestmark = pytest.mark.django_db


def _url(work) -> str:
    return reverse("works:detail", args=[work.openalex_id])


def _get(client, work):
    return client.get(_url(work))


def test_it_shows_the_work_record(client):
    venue = make_source(display_name="International Conference on Machine Learning")
    work = make_work(
        title="Model soups",
        type="article",
        publication_year=2022,
        primary_source=venue,
        doi="10.48550/arxiv.2203.05482",
        abstract="The conventional recipe for maximizing model accuracy.",
        is_oa=True,
        oa_status="green",
        cited_by_count=321,
    )

    response = _get(client, work)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Model soups</h1>" in html
    assert '<span class="tag">article</span>' in html
    assert '<span class="work-year">2022</span>' in html
    assert "International Conference on Machine Learning" in html
    assert (
        '<a href="https://doi.org/10.48550/arxiv.2203.05482">10.48550/arxiv.2203.05482</a>' in html
    )
    assert "The conventional recipe for maximizing model accuracy." in html
    assert "<dd>Yes (green)</dd>" in html
    assert "321 works" in html


def test_it_lists_authors_in_order_with_links_and_institutions_on_this_work(client):
    uw = make_institution(display_name="University of Washington")
    first = make_author(display_name="Mitchell Wortsman")
    second = make_author(display_name="Gabriel Ilharco")
    last = make_author(display_name="Ludwig Schmidt")
    work = make_work(authors=[(first, [uw]), second, last])

    html = _get(client, work).content.decode()

    names = re.findall(r'<a href="/researchers/[^"]+/">([^<]+)</a>', html)
    assert names == ["Mitchell Wortsman", "Gabriel Ilharco", "Ludwig Schmidt"]
    assert f'<a href="/researchers/{first.openalex_id}/">Mitchell Wortsman</a>' in html
    first_item = html[html.index("Mitchell Wortsman</a>") : html.index("Gabriel Ilharco</a>")]
    assert f'<a href="/institutions/{uw.openalex_id}/">University of Washington</a>' in first_item


def _place(work, author, order: int, printed: str) -> None:
    Authorship.objects.create(work=work, author=author, order=order, raw_author_name=printed)


def test_it_says_whom_openalex_attributes_a_printed_name_to_when_it_is_not_theirs(client):
    # Real names of W2241997964: OpenAlex gives "J.C. Roberts" to Joel Roberts' record, and
    # "J.W. Mearman" to Joseph Mearman's, which knows that form of his name.
    joel = make_author(display_name="Joel Roberts", display_name_alternatives=["Joel Roberts"])
    joseph = make_author(display_name="Joseph Mearman", display_name_alternatives=["J. W. Mearman"])
    andrew = make_author(display_name="Andrew Wilson")
    work = make_work()
    _place(work, joel, 0, "J.C. Roberts")
    _place(work, joseph, 1, "J.W. Mearman")
    _place(work, andrew, 2, "Andrew  WILSON")

    html = _get(client, work).content.decode()

    authors = html[html.index('<ol class="author-list">') : html.index("</ol>")]
    assert authors.count("attributed by OpenAlex") == 1
    assert (
        '<span class="printed-name">J.C. Roberts</span> <span class="muted small">(printed) · '
        f'attributed by OpenAlex to <a href="/researchers/{joel.openalex_id}/">Joel Roberts</a>'
    ) in authors
    assert f'<a href="/researchers/{joseph.openalex_id}/">Joseph Mearman</a>' in authors
    assert "J.W. Mearman" not in authors
    assert f'<a href="/researchers/{andrew.openalex_id}/">Andrew Wilson</a>' in authors


def test_it_shows_each_printed_name_of_a_record_given_two_places(client):
    roelofs = make_author(display_name="Rebecca Roelofs", display_name_alternatives=["R. Roelofs"])
    work = make_work(authors=[make_author(display_name="Mitchell Wortsman")])
    _place(work, roelofs, 1, "Rebecca Roelofs")
    _place(work, roelofs, 2, "R. Roelofs")

    html = _get(client, work).content.decode()

    authors = html[html.index('<ol class="author-list">') : html.index("</ol>")]
    # Even a name the record knows: at its second place it is what tells the two apart.
    assert authors.count("attributed by OpenAlex") == 1
    assert '<span class="printed-name">R. Roelofs</span> <span class="muted small">(printed)' in (
        authors
    )
    assert authors.count(f'href="/researchers/{roelofs.openalex_id}/"') == 2


def test_it_does_not_link_reserved_placeholder_authors(client):
    placeholder = make_author(openalex_id=NO_AUTHOR_ID, display_name="Anonymous")
    work = make_work(authors=[make_author(), placeholder])

    html = _get(client, work).content.decode()

    assert f"/researchers/{NO_AUTHOR_ID}/" not in html
    assert "<span>Anonymous</span>" in html


def test_it_links_topics(client):
    topic = make_topic(display_name="Neural Network Pruning")
    work = make_work(topics=[topic])

    html = _get(client, work).content.decode()

    assert f'<a href="/topics/{topic.openalex_id}/">Neural Network Pruning</a>' in html


def test_it_links_the_openalex_record_of_a_real_id(client):
    work = make_work(openalex_id="W4226082399")

    html = _get(client, work).content.decode()

    assert 'href="https://openalex.org/W4226082399"' in html


def test_it_does_not_link_openalex_for_a_demo_id(client):
    work = make_work(openalex_id="WDEMO0001")

    html = _get(client, work).content.decode()

    assert "openalex.org/WDEMO0001" not in html
    assert "demo record, not in OpenAlex" in html


def test_it_says_what_the_record_lacks(client):
    work = make_work(doi="", abstract="", primary_source=None, type="")

    html = _get(client, work).content.decode()

    assert "None recorded" in html
    assert "No abstract in the record." in html
    assert "Venue not recorded" in html
    assert "No topics in the record." in html


def test_it_gives_404_for_an_unknown_work(client):
    response = client.get(reverse("works:detail", args=["W0000000000"]))

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


@pytest.mark.parametrize(("authors", "topics"), [(3, 1), (60, 12)])
def test_it_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries, authors, topics):
    institutions = [make_institution() for _ in range(4)]
    work = make_work(
        authors=[(make_author(), institutions[: n % 4 + 1]) for n in range(authors)],
        topics=[make_topic() for _ in range(topics)],
        primary_source=make_source(),
    )

    with django_assert_max_num_queries(5):
        # 0 the corpus version (the key of the anonymous page cache, works/pagecache.py)
        # 1 the work with its venue and how many places its byline has
        # 2 its first 100 authorships with their authors, in order
        # 3 the institutions of those authorships
        # 4 its topics
        response = _get(client, work)

    assert response.status_code == 200


@pytest.mark.parametrize("authors", [3, 60])
def test_it_runs_a_fixed_number_of_queries_when_records_hold_two_places(
    client, django_assert_max_num_queries, authors
):
    institution = make_institution()
    records = [make_author(display_name=f"Author {n}") for n in range(authors)]
    work = make_work(authors=[(record, [institution]) for record in records])
    for n, record in enumerate(records):
        _place(work, record, authors + n, f"A. N. Other {n}")

    with django_assert_max_num_queries(4):
        # the same four queries as test_it_runs_a_fixed_number_of_queries
        response = client.get(_url(work) + "?authors=all")

    assert response.content.decode().count("attributed by OpenAlex") == authors


# --- long bylines --------------------------------------------------------------------------


def _names(html: str) -> list[str]:
    authors = html[html.index('<ol class="author-list">') : html.index("</ol>")]
    return re.findall(r'<a href="/researchers/[^"]+/">([^<]+)</a>', authors)


@pytest.fixture
def long_work():
    """A work with 150 authors on its byline (Member 000 to Member 149)."""
    members = [make_author(display_name=f"Member {n:03d}") for n in range(150)]
    return make_work(authors=members, byline_size=150)


def test_it_shows_the_first_100_of_a_long_byline_and_a_link_to_all(client, long_work):
    html = _get(client, long_work).content.decode()

    assert _names(html) == [f"Member {n:03d}" for n in range(100)]
    assert "The first 100 of 150 authors." in html
    every = f"{_url(long_work)}?authors=all"
    assert re.search(
        rf'<a class="button button-secondary" href="{re.escape(every)}#author-list" '
        rf'hx-get="{re.escape(every)}" hx-target="#author-list" hx-swap="outerHTML">'
        r"Show all 150 authors</a>",
        html,
    )


def test_it_shows_every_author_without_javascript(client, long_work):
    html = client.get(f"{_url(long_work)}?authors=all").content.decode()

    assert _names(html) == [f"Member {n:03d}" for n in range(150)]
    assert "Show all" not in html
    assert "<h1" in html


def test_it_gives_htmx_the_whole_byline_as_a_fragment(client, long_work):
    response = client.get(f"{_url(long_work)}?authors=all", headers={"HX-Request": "true"})

    html = response.content.decode()
    assert "<html" not in html and "<h1" not in html
    assert html.lstrip().startswith('<div id="author-list">')
    assert _names(html) == [f"Member {n:03d}" for n in range(150)]
    assert "HX-Request" in response["Vary"]


def test_it_gives_a_history_restore_the_whole_work_page(client, long_work):
    restore = {"HX-Request": "true", "HX-History-Restore-Request": "true"}

    html = client.get(f"{_url(long_work)}?authors=all", headers=restore).content.decode()

    assert "<h1" in html


@pytest.mark.parametrize("value", ["", "ALL", "some", "\u00e0ll", "1"])
def test_it_keeps_a_long_byline_short_for_anything_but_all(client, long_work, value):
    response = client.get(_url(long_work), {"authors": value})

    assert response.status_code == 200
    assert len(_names(response.content.decode())) == 100


def test_it_offers_no_link_when_the_byline_is_short(client):
    work = make_work(authors=[make_author() for _ in range(100)])

    html = _get(client, work).content.decode()

    assert len(_names(html)) == 100
    assert "Show all" not in html


def test_it_keeps_the_printed_name_marks_of_a_capped_byline(client):
    # One record at place 5 and again at place 120 (beyond the first 100): place 5 still
    # shows what was printed there, as the record holds two places of this byline (the
    # second, its own name, is plain).
    roelofs = make_author(display_name="Rebecca Roelofs", display_name_alternatives=["R. Roelofs"])
    work = make_work(authors=[make_author(display_name=f"M {n}") for n in range(5)])
    _place(work, roelofs, 5, "R. Roelofs")
    for n in range(6, 120):
        _place(work, make_author(display_name=f"M {n}"), n, f"M {n}")
    _place(work, roelofs, 120, "Rebecca Roelofs")

    capped = _get(client, work).content.decode()
    every = client.get(f"{_url(work)}?authors=all").content.decode()

    assert capped.count("attributed by OpenAlex") == 1
    assert '<span class="printed-name">R. Roelofs</span> <span class="muted small">(printed)' in (
        capped
    )
    assert "Show all 121 authors" in capped
    record = f'href="/researchers/{roelofs.openalex_id}/"'
    assert capped.count(record) == 1
    assert every.count("attributed by OpenAlex") == 1
    assert every.count(record) == 2


@pytest.mark.parametrize("authors", [3, 150])
@pytest.mark.parametrize("query", ["", "?authors=all"])
def test_it_runs_a_fixed_number_of_queries_for_a_long_byline(
    client, django_assert_max_num_queries, authors, query
):
    institution = make_institution()
    work = make_work(authors=[(make_author(), [institution]) for _ in range(authors)])

    with django_assert_max_num_queries(5):
        # the same queries as test_it_runs_a_fixed_number_of_queries (every authorship and
        # its institutions with ?authors=all, which the page cache leaves: four)
        response = client.get(_url(work) + query)

    assert response.status_code == 200
