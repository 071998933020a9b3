"""The co-authorship table: exact counts on a small hand-made set, and the refresh service.

tests/data/openalex/handmade/coauthors.jsonl:
    W21 (2019): A21, A22, A23 (and the reserved "no author", left out)
    W22 (2021): A21, A22 (A22 listed twice: once counts)
    W23 (2022): A22, A23, A24
    W24 (2020): A25 alone
    W25 (no year): A21, A24
"""

import io
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.works.test_import_openalex import pairs, pairs_recomputed
from works.models import Author, Authorship, CoAuthorship
from works.services import coauthorship_refresh_for_authors

pytestmark = pytest.mark.django_db

COAUTHORS = Path(__file__).resolve().parent.parent / "data/openalex/handmade/coauthors.jsonl"

EXPECTED = {
    ("A21", "A22"): (2, 2021),
    ("A21", "A23"): (1, 2019),
    ("A21", "A24"): (1, None),
    ("A22", "A23"): (2, 2022),
    ("A22", "A24"): (1, 2022),
    ("A23", "A24"): (1, 2022),
}


@pytest.fixture
def imported() -> None:
    call_command("import_openalex", str(COAUTHORS), stdout=io.StringIO(), stderr=io.StringIO())


def pk(openalex_id: str) -> int:
    return Author.objects.get(openalex_id=openalex_id).pk


def test_it_counts_shared_works_and_the_last_year_in_both_directions(imported):
    both_ways = EXPECTED | {(b, a): value for (a, b), value in EXPECTED.items()}
    assert pairs() == both_ways
    # A25 wrote alone: no rows at all.
    assert not CoAuthorship.objects.filter(author__openalex_id="A25").exists()


def test_it_rebuilds_only_the_rows_of_the_given_authors(imported):
    CoAuthorship.objects.all().update(shared_works_count=99)

    coauthorship_refresh_for_authors(author_ids={pk("A21")})

    # Every row with A21 on either side is right again; the others were not touched.
    for (a, b), value in pairs().items():
        if "A21" in (a, b):
            assert value == EXPECTED.get((a, b)) or value == EXPECTED[(b, a)]
        else:
            assert value[0] == 99


def test_it_removes_pairs_that_no_longer_share_a_work(imported):
    Authorship.objects.filter(work__openalex_id="W25", author__openalex_id="A24").delete()

    coauthorship_refresh_for_authors(author_ids={pk("A24")})

    assert ("A21", "A24") not in pairs() and ("A24", "A21") not in pairs()
    assert pairs() == pairs_recomputed()


def test_it_recomputes_a_set_of_authors_that_write_together(imported):
    CoAuthorship.objects.all().delete()

    coauthorship_refresh_for_authors(author_ids={pk("A22"), pk("A23")})

    # Pairs of two given authors appear once per direction, not twice.
    assert pairs()[("A22", "A23")] == pairs()[("A23", "A22")] == (2, 2022)
    assert ("A21", "A24") not in pairs()  # neither author was given
    assert pairs()[("A24", "A22")] == (1, 2022)


def test_it_runs_two_statements_whatever_the_number_of_authors(imported, django_assert_num_queries):
    everyone = set(Author.objects.values_list("pk", flat=True))
    with django_assert_num_queries(6):
        # 1. SAVEPOINT (the service owns its transaction)
        # 2-3. wait for imports that are queueing co-authorship changes, and see that none
        #      is queued (else they are applied first: they are in Authorship already)
        # 4. DELETE the rows of these authors whose pair shares no work any more
        # 5. INSERT ... SELECT the pairs that are new or changed (an upsert)
        # 6. RELEASE SAVEPOINT
        coauthorship_refresh_for_authors(author_ids=everyone)
    assert pairs() == pairs_recomputed()


def test_it_does_nothing_for_no_authors(django_assert_num_queries):
    with django_assert_num_queries(0):
        coauthorship_refresh_for_authors(author_ids=set())


def test_it_only_adds_and_updates_when_told_the_authors_only_gained_works(
    imported, django_assert_num_queries
):
    CoAuthorship.objects.filter(author__openalex_id="A21", coauthor__openalex_id="A22").delete()
    CoAuthorship.objects.filter(author__openalex_id="A22", coauthor__openalex_id="A23").update(
        shared_works_count=1, last_year=2019
    )

    a22 = pk("A22")
    with django_assert_num_queries(5):
        # SAVEPOINT, the queue's lock and emptiness, INSERT ... SELECT (upsert), RELEASE
        # SAVEPOINT: no DELETE
        coauthorship_refresh_for_authors(author_ids={a22}, additions_only=True)

    assert pairs()[("A21", "A22")] == (2, 2021)
    assert pairs()[("A22", "A23")] == pairs()[("A23", "A22")] == (2, 2022)
    assert pairs() == pairs_recomputed()
