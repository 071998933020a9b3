import re

import pytest
from django.urls import reverse

from tests.factories import make_author, make_institution, make_topic, make_work
from works.models import DELETED_AUTHOR_ID

pytestmark = pytest.mark.django_db

URL = reverse("profiles:list")


def _names(response) -> list[str]:
    return _names_in(response.content.decode())


def _names_in(html: str) -> list[str]:
    return re.findall(r'<h3 class="researcher-row-name"><a href="[^"]+">([^<]+)</a>', html)


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
        ("lukasz klos", "Łukasz Kłos"),
        ("Łukasz", "Łukasz Kłos"),
        ("soren", "Søren Kierkegaard"),
        ("weiss", "Anna Weiß"),
        ("aeschylus", "Æschylus Tragedian"),
    ],
)
def test_it_ignores_case_and_accents(client, query, name):
    make_author(display_name=name)
    make_author(display_name="Somebody Else")

    assert _names(client.get(URL, {"q": query})) == [name]


def test_it_matches_alternative_names(client):
    make_author(display_name="M. Wortsman", display_name_alternatives=["Mitchell Wortsman"])

    assert _names(client.get(URL, {"q": "mitchell"})) == ["M. Wortsman"]


def test_it_puts_whole_name_then_whole_words_then_word_starts_then_inside_words(client):
    inside = make_author(display_name="Joe Blacksmith")
    word = make_author(display_name="John Smith")
    start = make_author(display_name="Smithson Lee")
    make_author(display_name="Smith")
    for author in (inside, inside, start, start, word):  # more works must not beat a better match
        make_work(authors=[author])

    names = _names(client.get(URL, {"q": "smith"}))

    assert names == ["Smith", "John Smith", "Smithson Lee", "Joe Blacksmith"]


@pytest.mark.parametrize(
    "query",
    [
        "Mitchell Wortsman",
        "Wortsman Mitchell",
        "mitchell wortsman",
        "WORTSMAN, Mitchell",
        "Wörtsman",
        "wortsm",
        "Mitch Worts",
        "M Wortsman",
        "M. Wortsman",
        "Wortsman M",
    ],
)
def test_it_finds_a_name_in_any_word_order_spelling_or_part(client, query):
    make_work(authors=[make_author(display_name="Mitchell Wortsman")])  # first among equals
    make_author(display_name="Jane Wortsman")  # no word of hers starts with "m" or "mitch"
    make_author(display_name="Mitchell Jones")

    names = _names(client.get(URL, {"q": query}))

    assert names[0] == "Mitchell Wortsman"
    assert "Mitchell Jones" not in names
    if query.lower().startswith(("m ", "m. ", "mitch ")) or query.endswith(" M"):
        assert names == ["Mitchell Wortsman"]


def test_it_ranks_the_name_typed_above_its_words_reordered_or_begun(client):
    begun = make_author(display_name="Mitchellson Wortsmann")
    reordered = make_author(display_name="Wortsman, Mitchell A.")
    make_author(display_name="Mitchell Wortsman")
    for author in (begun, begun, reordered):
        make_work(authors=[author])

    names = _names(client.get(URL, {"q": "mitchell wortsman"}))

    assert names == ["Mitchell Wortsman", "Wortsman, Mitchell A.", "Mitchellson Wortsmann"]


def test_it_takes_single_letters_as_initials_and_asks_for_more_alone(client):
    make_author(display_name="Mitchell Wortsman")

    html = client.get(URL, {"q": "M."}).content.decode()

    assert _names_in(html) == []
    assert "Type at least two letters of a name" in html


def test_it_takes_two_letters_alone_as_a_whole_word_and_beside_others_as_a_start(client):
    make_author(display_name="Wei Li")
    make_author(display_name="Lisa Chen")
    make_author(display_name="Emily Smith")  # "li" inside a word only
    make_author(display_name="John Smith")

    assert _names(client.get(URL, {"q": "Li"})) == ["Wei Li"]
    assert _names(client.get(URL, {"q": "Li Chen"})) == ["Lisa Chen"]
    assert _names(client.get(URL, {"q": "jo smith"})) == ["John Smith"]


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

    text = " ".join(re.sub(r"<[^>]+>", "", html).split())
    assert "No researcher in our index matches “zzz” by name, topic or institution" in text


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
