"""The API's reads of one record, and of an author's works page after page, are served by
indexes: EXPLAIN of every query they run, with whole-table plans priced out (a few test rows
would be scanned whole anyway), shows no sequential scan and no index read end to end."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_busy_researcher

pytestmark = pytest.mark.django_db


def _plans(client, url: str) -> list[dict]:
    with CaptureQueriesContext(connection) as run:
        assert client.get(url).status_code == 200
    plans = []
    with connection.cursor() as cursor:
        for setting in ("enable_seqscan", "enable_hashjoin", "enable_mergejoin"):
            cursor.execute(f"SET LOCAL {setting} = off")  # undone with the test's transaction
        for query in run.captured_queries:
            cursor.execute(f"EXPLAIN (FORMAT JSON) {query['sql']}")
            plans.append(cursor.fetchone()[0][0]["Plan"])
    return plans


def _nodes(plan: dict):
    yield plan
    for child in plan.get("Plans", []):
        yield from _nodes(child)


def _whole_reads(plans: list[dict]) -> list[str]:
    problems = []
    for node in (node for plan in plans for node in _nodes(plan)):
        kind = node["Node Type"]
        if kind == "Seq Scan":
            problems.append(f"Seq Scan on {node['Relation Name']}")
        elif kind in ("Index Scan", "Index Only Scan") and "Index Cond" not in node:
            problems.append(f"whole {node['Index Name']} read")
    return problems


@pytest.fixture
def researcher():
    if connection.vendor != "postgresql":
        pytest.fail("the test suite runs against PostgreSQL (set DATABASE_URL)")
    return make_busy_researcher(works=12, coauthors=6, topics=4)


def test_an_author_s_works_page_after_page(client, researcher):
    url = f"/api/works?filter=author.id:{researcher.openalex_id}&per-page=5"
    assert _whole_reads(_plans(client, url + "&cursor=*")) == []
    cursor = client.get(url + "&cursor=*").json()["meta"]["next_cursor"]
    assert _whole_reads(_plans(client, f"{url}&cursor={cursor}")) == []


def test_one_author_and_one_work(client, researcher):
    assert _whole_reads(_plans(client, f"/api/authors/{researcher.openalex_id}")) == []
    work = researcher.works.first()
    assert _whole_reads(_plans(client, f"/api/works/{work.openalex_id}")) == []


def test_the_check_sees_a_whole_read(client, researcher):
    # No index knows which works have an abstract: every work is read.
    assert "Seq Scan on works_work" in _whole_reads(
        _plans(client, "/api/works?filter=has_abstract:true")
    )
