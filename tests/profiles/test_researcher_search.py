"""Search beyond names: by a word of a topic of their works or of their institution, the order
of the groups, why a row is there, the query count, and the query plans on PostgreSQL."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import make_author, make_institution, make_topic, make_work

pytestmark = pytest.mark.django_db

URL = reverse("profiles:list")


def _names(response) -> list[str]:
    return re.findall(
        r'<h3 class="researcher-row-name"><a href="[^"]+">([^<]+)</a>', response.content.decode()
    )


def _text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", "", response.content.decode()).split())


def _why(response) -> list[str]:
    """Each row's "Found by ..." line, as text."""
    lines = re.findall(r'<p class="[^"]*researcher-row-why">(.*?)</p>', response.content.decode())
    return [" ".join(re.sub(r"<[^>]+>", "", line).split()) for line in lines]


@pytest.fixture
def robustness():
    return make_topic(display_name="Adversarial Robustness in Machine Learning")


@pytest.mark.parametrize("query", ["robustness", "Robustness", "robust", "ROBUSTNESS adversarial"])
def test_it_finds_researchers_by_a_word_of_their_works_topics(client, robustness, query):
    author = make_author(display_name="Nicholas Carlini")
    make_work(authors=[author], topics=[make_topic(display_name="Cryptography"), robustness])
    make_work(authors=[make_author(display_name="Someone Else")], topics=[make_topic()])

    response = client.get(URL, {"q": query})

    assert _names(response) == ["Nicholas Carlini"]
    assert _why(response) == ["Found by topic: Adversarial Robustness in Machine Learning (1 work)"]
    assert "Topics with these words: Adversarial Robustness in Machine Learning." in _text(response)


def test_it_matches_topic_words_from_their_start_only(client):
    topic = make_topic(display_name="Cartography")
    make_work(authors=[make_author(display_name="Map Maker")], topics=[topic])

    assert _names(client.get(URL, {"q": "graph"})) == []
    assert _names(client.get(URL, {"q": "carto"})) == ["Map Maker"]


@pytest.mark.parametrize(
    ("query", "institution"),
    [
        ("Washington", "University of Washington"),
        ("university washington", "University of Washington"),
        ("zurich", "ETH Zürich"),
        ("ZÜRICH", "ETH Zürich"),
    ],
)
def test_it_finds_researchers_by_a_word_of_their_institution(client, query, institution):
    at = make_institution(display_name=institution)
    make_author(display_name="Ludwig Schmidt", last_known_institutions=[at])
    make_author(display_name="Elsewhere Person", last_known_institutions=[make_institution()])

    response = client.get(URL, {"q": query})

    assert _names(response) == ["Ludwig Schmidt"]
    assert _why(response) == [f"Found by institution: {institution}"]


def test_it_ranks_name_then_topic_then_institution_each_once(client):
    uw = make_institution(display_name="University of Washington")
    politics = make_topic(display_name="Washington State Politics")
    by_name = make_author(display_name="Booker Washington")  # also at UW: listed once, by name
    by_name.last_known_institutions.set([uw])
    at_uw = make_author(display_name="Ali Farhadi", last_known_institutions=[uw])
    on_topic = make_author(display_name="Topic Person", last_known_institutions=[uw])
    make_work(authors=[on_topic], topics=[politics])
    for _ in range(3):  # more works must not lift a weaker kind of match
        make_work(authors=[at_uw])

    response = client.get(URL, {"q": "washington"})

    assert _names(response) == ["Booker Washington", "Topic Person", "Ali Farhadi"]
    assert _why(response) == [
        "Found by topic: Washington State Politics (1 work)",
        "Found by institution: University of Washington",
    ]
    assert "3 researchers matching “washington”" in _text(response)


def test_it_orders_topic_matches_by_their_works_on_the_topics(client, robustness):
    specialist = make_author(display_name="Specialist")
    prolific = make_author(display_name="Prolific")
    for _ in range(2):
        make_work(authors=[specialist], topics=[robustness])
    make_work(authors=[prolific], topics=[robustness])
    for _ in range(5):
        make_work(authors=[prolific])

    assert _names(client.get(URL, {"q": "robustness"})) == ["Specialist", "Prolific"]


def test_it_looks_through_the_ten_shortest_matching_topics(client):
    topics = [make_topic(display_name="Cell " + "x" * n) for n in range(12, 0, -1)]
    for n, topic in enumerate(topics):
        make_work(authors=[make_author(display_name=f"Biologist {n:02d}")], topics=[topic])

    names = _names(client.get(URL, {"q": "cell"}))

    # The two longest names ("Cell " + 12 and 11 x) are left out, with their researchers.
    assert sorted(names) == [f"Biologist {n:02d}" for n in range(2, 12)]


@pytest.mark.parametrize(
    "query", ["x" * 10_000, "a.*b ( [ \\ $^ |", "²٣", "😀 wortsman", "%_%", "' OR 1=1 --"]
)
def test_it_answers_odd_queries_with_a_page(client, query):
    make_author(display_name="Mitchell Wortsman")

    response = client.get(URL, {"q": query})

    assert response.status_code == 200
    assert _names(response) in ([], ["Mitchell Wortsman"])


def _corpus(authors: int) -> None:
    """Researchers found by name, by topic and by institution for the query "washington"."""
    uw = make_institution(display_name="University of Washington")
    topics = [make_topic(display_name="Washington State Politics")] + [
        make_topic() for _ in range(4)
    ]
    for n in range(authors):
        name = f"Washington {n}" if n % 3 == 0 else f"Person {n}"
        author = make_author(display_name=name, last_known_institutions=[uw] if n % 3 else [])
        for k in range(n % 4 + 1):
            make_work(authors=[author], topics=topics[k:][:3] if n % 3 == 2 else topics[1:3])


@pytest.mark.parametrize("authors", [3, 45])
def test_it_runs_a_fixed_number_of_queries(client, django_assert_num_queries, authors):
    _corpus(authors)

    with django_assert_num_queries(7):
        # 0 the stamp of kept searches (corpus version), then a fresh render:
        # 1 the topics whose name has the words (at most 10)
        # 2 the institutions whose name has the words (at most 10)
        # 3 the number of matches (for the pager)
        # 4 this page of researchers: one UNION of the name, topic and institution matches
        # 5 their last known institutions
        # 6 their top three topics, the matched ones first (one windowed query)
        response = client.get(URL, {"q": "washington"})

    assert response.status_code == 200
    assert len(_names(response)) == min(authors, 20)


@pytest.mark.parametrize("authors", [3, 45])
def test_it_browses_with_a_fixed_number_of_queries(client, django_assert_num_queries, authors):
    _corpus(authors)

    with django_assert_num_queries(5):
        # 0 the stamp of kept pages, 1 the number of researchers, 2 this page,
        # 3 their institutions, 4 their top topics
        response = client.get(URL)

    assert response.status_code == 200


# --- query plans (PostgreSQL) -------------------------------------------------------------

# The indexes a search for "washington" must go through: the trigram indexes on the folded
# names (authors, topics, institutions), from the matched topics to their works and authors,
# and from the matched institutions to their authors (Django's many-to-many index, whose name
# ends in a hash, is matched by its start).
SEARCH_INDEXES = [
    "works_author_search_trgm",
    "works_topic_name_trgm",
    "works_institution_name_trgm",
    "worktopic_topic_work_idx",
    "authorship_unique_order",
    "works_author_last_known_institutions_institution_id",
]


def _search_plans(client, query: str) -> list[dict]:
    """EXPLAIN of every query the search page ran. A handful of test rows would be scanned
    whole anyway, so whole scans are priced out (sequential scans, and the hash and merge
    joins that read a whole side): what is left says whether an index serves every step.
    The settings are undone with the test's transaction."""
    with CaptureQueriesContext(connection) as run:
        client.get(URL, {"q": query})
    plans = []
    with connection.cursor() as cursor:
        for setting in ("enable_seqscan", "enable_hashjoin", "enable_mergejoin"):
            cursor.execute(f"SET LOCAL {setting} = off")
        for query_run in run.captured_queries:
            # Django's psycopg 3 cursor binds parameters client-side: this is the SQL sent.
            cursor.execute(f"EXPLAIN (FORMAT JSON) {query_run['sql']}")
            plans.append(cursor.fetchone()[0][0]["Plan"])
    return plans


def _nodes(plan: dict, parent: dict | None = None):
    """(node, its parent) for every node of the plan."""
    yield plan, parent
    for child in plan.get("Plans", []):
        yield from _nodes(child, plan)


def _plan_problems(plans: list[dict]) -> list[str]:
    """What reads a whole table: a Seq Scan, or an index scan with no condition (a sequential
    scan in disguise, which enable_seqscan = off leaves the planner, unless a Limit right
    above it stops at the first rows: the latest of something); and the indexes of
    SEARCH_INDEXES no step used."""
    problems, used = [], set()
    for node, parent in (found for plan in plans for found in _nodes(plan)):
        kind, table = node["Node Type"], node.get("Relation Name")
        used.add(node.get("Index Name", ""))
        if kind == "Seq Scan":
            problems.append(f"Seq Scan on {table}")
        elif (
            kind in ("Index Scan", "Index Only Scan")
            and "Index Cond" not in node
            and not (parent and parent["Node Type"] == "Limit")
        ):
            problems.append(f"whole {node['Index Name']} read")
    for index in SEARCH_INDEXES:
        if not any(name.startswith(index) for name in used):
            problems.append(f"{index} unused")
    return problems


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.fail("the test suite runs against PostgreSQL (set DATABASE_URL)")


def test_every_step_of_a_search_is_served_by_an_index(client, postgresql):
    _corpus(12)

    plans = _search_plans(client, "washington")

    assert _plan_problems(plans) == [], plans


@pytest.mark.parametrize(
    "index", ["works_author_search_trgm", "works_topic_name_trgm", "works_institution_name_trgm"]
)
def test_the_plan_check_fails_without_a_trigram_index(client, postgresql, index):
    _corpus(12)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP INDEX {index}")  # rolled back with the test's transaction

    problems = _plan_problems(_search_plans(client, "washington"))

    assert f"{index} unused" in problems
    assert any(problem.startswith(("Seq Scan", "whole")) for problem in problems)


def test_an_anonymous_search_is_kept_until_the_corpus_changes(client, robustness):
    from works.services import corpus_version_bump

    author = make_author(display_name="Ines Kept")
    make_work(authors=[author], topics=[robustness])
    assert _names(client.get(URL, {"q": "kept"})) == ["Ines Kept"]
    first = client.get(URL, {"q": "kept"})

    make_author(display_name="Otto Kept")  # not announced yet: the kept page stands
    assert _names(client.get(URL, {"q": "kept"})) == ["Ines Kept"]
    assert (
        client.get(URL, {"q": "kept"}, headers={"if-none-match": first.headers["ETag"]}).status_code
        == 304
    )
    # Another query, another page, or a parameter the page does not read: not this copy.
    assert sorted(_names(client.get(URL, {"q": "kept", "x": "1"}))) == ["Ines Kept", "Otto Kept"]

    corpus_version_bump()
    assert sorted(_names(client.get(URL, {"q": "kept"}))) == ["Ines Kept", "Otto Kept"]


def test_a_kept_search_costs_one_query(client, robustness, django_assert_num_queries):
    client.get(URL, {"q": "robustness", "page": "1"})
    with django_assert_num_queries(1):  # the stamp
        assert client.get(URL, {"page": "1", "q": "robustness"}).status_code == 200
