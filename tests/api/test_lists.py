"""Lists as OpenAlex answers them: its filter syntax (AND, OR, NOT, ranges), search, sort,
page and cursor paging, select, and the meta block."""

import pytest

from tests.factories import make_author, make_institution, make_topic, make_work

pytestmark = pytest.mark.django_db


def _get(client, url: str) -> dict:
    response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return response.json()


def _titles(client, query: str) -> list[str]:
    return [w["title"] for w in _get(client, f"/api/works?{query}")["results"]]


@pytest.fixture
def shelf():
    """Six works of two authors over 2018-2023, two institutions and two topics."""
    mit, eth = make_institution(display_name="MIT"), make_institution(display_name="ETH Zürich")
    vision, language = make_topic(display_name="Vision"), make_topic(display_name="Language")
    ada, bob = make_author(display_name="Ada Lovelace"), make_author(display_name="Bob Müller")
    works = {}
    for year, authors, topic, kind, oa, cites in (
        (2018, [(ada, [mit])], vision, "article", True, 5),
        (2019, [(ada, [mit]), (bob, [eth])], vision, "article", False, 50),
        (2020, [(bob, [eth])], language, "preprint", True, 500),
        (2021, [(ada, [eth])], language, "article", False, 0),
        (2022, [(bob, [mit])], vision, "review", True, 20),
        (2023, [(ada, [mit]), (bob, [mit])], language, "article", True, 7),
    ):
        works[year] = make_work(
            authors=authors, topics=[topic], publication_year=year, type=kind, is_oa=oa,
            cited_by_count=cites, title=f"Work of {year}", abstract=f"about {topic.display_name}",
        )  # fmt: skip
    return {"ada": ada, "bob": bob, "mit": mit, "eth": eth, "vision": vision, "works": works}


def test_the_list_shape_is_openalex_s(client, shelf):
    body = _get(client, "/api/works")
    assert set(body) == {"meta", "results", "group_by"}
    assert set(body["meta"]) == {
        "count", "db_response_time_ms", "page", "per_page", "next_cursor", "groups_count",
    }  # fmt: skip
    assert body["meta"]["count"] == 6
    assert body["meta"]["page"] == 1
    assert body["meta"]["per_page"] == 25
    assert isinstance(body["meta"]["db_response_time_ms"], int)


@pytest.mark.parametrize(
    ("query", "years"),
    [
        ("filter=publication_year:2020", [2020]),
        ("filter=publication_year:2020-2022", [2020, 2021, 2022]),
        ("filter=publication_year:>2021", [2022, 2023]),
        ("filter=publication_year:<2020", [2018, 2019]),
        ("filter=publication_year:2019|2023", [2019, 2023]),
        ("filter=publication_year:!2018,publication_year:<2021", [2019, 2020]),
        ("filter=publication_year:2021-", [2021, 2022, 2023]),
        ("filter=type:article", [2018, 2019, 2021, 2023]),
        ("filter=type:!article", [2020, 2022]),
        ("filter=type:preprint|review", [2020, 2022]),
        ("filter=is_oa:true", [2018, 2020, 2022, 2023]),
        ("filter=open_access.is_oa:false", [2019, 2021]),
        ("filter=cited_by_count:>10", [2019, 2020, 2022]),
        ("filter=cited_by_count:5-20", [2018, 2022, 2023]),
        ("filter=is_oa:true,type:article,publication_year:>2018", [2023]),
        ("filter=from_publication_date:2022-01-01", [2022, 2023]),
        ("search=language", [2020, 2021, 2023]),
        ("search=work%20of%202019", [2019]),
        ("filter=title.search:2021", [2021]),
    ],
)
def test_filters(client, shelf, query, years):
    assert _titles(client, query + "&sort=publication_year") == [f"Work of {y}" for y in years]


def test_id_filters_take_short_ids_urls_and_alternatives(client, shelf):
    ada, bob = shelf["ada"].openalex_id, shelf["bob"].openalex_id
    by = lambda q: sorted(_titles(client, f"filter={q}"))  # noqa: E731
    ada_works = ["Work of 2018", "Work of 2019", "Work of 2021", "Work of 2023"]
    assert by(f"author.id:{ada}") == ada_works
    assert by(f"authorships.author.id:https://openalex.org/{ada}") == ada_works
    assert by(f"author.id:{ada},author.id:{bob}") == ["Work of 2019", "Work of 2023"]
    assert len(by(f"author.id:{ada}|{bob}")) == 6
    # "+" is AND inside one value (pyalex writes filter(author={"id": [a, b]}) so).
    assert by(f"author.id:{ada}%2B{bob}") == by(f"author.id:{ada}+{bob}") == [
        "Work of 2019", "Work of 2023",
    ]  # fmt: skip
    assert by(f"author.id:!{ada}") == ["Work of 2020", "Work of 2022"]
    assert by(f"authorships.institutions.id:{shelf['eth'].openalex_id}") == [
        "Work of 2019", "Work of 2020", "Work of 2021",
    ]  # fmt: skip
    assert len(by(f"topics.id:{shelf['vision'].openalex_id}")) == 3
    assert len(by(f"primary_topic.id:{shelf['vision'].openalex_id}")) == 3
    work = shelf["works"][2020].openalex_id
    assert by(f"openalex_id:{work}") == ["Work of 2020"]


def test_sorts(client, shelf):
    assert _titles(client, "sort=cited_by_count:desc&per-page=3") == [
        "Work of 2020", "Work of 2019", "Work of 2022",
    ]  # fmt: skip
    assert _titles(client, "sort=publication_year:desc&per-page=2") == [
        "Work of 2023", "Work of 2022",
    ]  # fmt: skip
    assert _titles(client, "sort=display_name&per-page=1") == ["Work of 2018"]
    authors = _get(client, "/api/authors?sort=display_name:desc")["results"]
    assert [a["display_name"] for a in authors] == ["Bob Müller", "Ada Lovelace"]
    authors = _get(client, "/api/authors?sort=works_count:desc")["results"]
    assert authors[0]["works_count"] == 4


def test_pages(client, shelf):
    first = _get(client, "/api/works?sort=publication_year&per-page=4")
    second = _get(client, "/api/works?sort=publication_year&per-page=4&page=2")
    assert [w["publication_year"] for w in first["results"]] == [2018, 2019, 2020, 2021]
    assert [w["publication_year"] for w in second["results"]] == [2022, 2023]
    assert second["meta"]["page"] == 2
    assert second["meta"]["next_cursor"] is None


@pytest.mark.parametrize("sort", ["", "cited_by_count:desc", "publication_year", "display_name"])
def test_a_cursor_walks_every_row_once(client, shelf, sort):
    seen, cursor, pages = [], "*", 0
    while cursor:
        body = _get(client, f"/api/works?per-page=4&sort={sort}&cursor={cursor}")
        assert body["meta"]["page"] is None
        assert body["meta"]["count"] == 6
        seen += [w["id"] for w in body["results"]]
        cursor, pages = body["meta"]["next_cursor"], pages + 1
    assert len(seen) == len(set(seen)) == 6
    assert pages == 2
    one_page = _get(client, f"/api/works?per-page=200&sort={sort}")["results"]
    assert seen == [w["id"] for w in one_page]


def test_a_cursor_of_equal_sort_values_breaks_ties_by_record(client):
    for _ in range(5):
        make_work(cited_by_count=3, publication_year=None)
    seen, cursor = [], "*"
    while cursor:
        body = _get(client, f"/api/works?per-page=2&sort=publication_year:desc&cursor={cursor}")
        seen += [w["id"] for w in body["results"]]
        cursor = body["meta"]["next_cursor"]
    assert len(seen) == len(set(seen)) == 5


def test_author_institution_and_topic_lists(client, shelf):
    authors = _get(client, "/api/authors?search=muller")
    assert [a["display_name"] for a in authors["results"]] == ["Bob Müller"]
    assert _get(client, "/api/authors?filter=works_count:>3")["meta"]["count"] == 2
    assert _get(client, "/api/authors?filter=works_count:<4")["meta"]["count"] == 0
    mit = shelf["mit"].openalex_id
    lovelace = make_author(display_name="Ada Two", last_known_institutions=[shelf["mit"]])
    assert [a["id"] for a in _get(client, f"/api/authors?filter=last_known_institutions.id:{mit}")[
        "results"
    ]] == [f"https://openalex.org/{lovelace.openalex_id}"]  # fmt: skip
    assert _get(client, "/api/institutions?search=zurich")["meta"]["count"] == 0  # not folded
    assert _get(client, "/api/institutions?search=ETH")["meta"]["count"] == 1
    assert _get(client, "/api/topics?filter=display_name.search:vis")["meta"]["count"] == 1
    assert _get(client, "/api/topics?sort=display_name")["results"][0]["display_name"] == "Language"


def test_select_on_a_list(client, shelf):
    body = _get(client, "/api/works?select=id,publication_year&per-page=2")
    assert [set(r) for r in body["results"]] == [{"id", "publication_year"}] * 2
