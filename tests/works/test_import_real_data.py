"""The whole set of real OpenAlex records (tests/data/openalex/shared/, see its README) in one
import: 1,187 records from 2023 and 2025, API responses, single entities and snapshot parts.

The expected numbers were counted from the files independently of the importer: distinct ids
per type, the references works and authors make to records not in the set (stubs), and the
author pairs of the newest version of each work.
"""

import io
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.works.test_import_openalex import counts, pairs, pairs_recomputed
from works.models import (
    Author,
    Authorship,
    CoAuthorship,
    Institution,
    Source,
    Topic,
    Work,
    WorkTopic,
)

pytestmark = pytest.mark.django_db

SHARED = Path(__file__).resolve().parent.parent / "data" / "openalex" / "shared"


@pytest.fixture
def imported() -> str:
    out = io.StringIO()
    call_command("import_openalex", str(SHARED), stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_it_imports_every_real_record_once(imported):
    # Records with their own line: 88 works, 80 authors (81 less the deleted-author
    # tombstone), 682 institutions, 274 sources, 2 topics; the rest are stubs.
    assert Work.objects.count() == 88
    assert Author.objects.count() == 80 + 106
    assert Institution.objects.count() == 682 + 111
    assert Source.objects.count() == 274 + 37
    assert Topic.objects.count() == 2 + 104
    assert Author.objects.filter(updated_date__isnull=True).count() == 106
    assert Topic.objects.filter(updated_date__isnull=False).count() == 2


def test_it_counts_what_it_read(imported):
    table = counts(imported)
    assert table["total"]["errors"] == 0
    assert table["other"]["skipped"] == 43  # concepts, funders, publishers, a keyword
    assert table["authors"]["skipped"] == 1  # the "Deleted Author" tombstone
    assert sum(row["created"] + row["updated"] + row["unchanged"] for row in table.values()) == (
        2 * (1187 - 43 - 1)  # the total row repeats the others
    )
    assert "1,187 records in" in imported


def test_it_links_the_real_authorships_and_topics(imported):
    assert Authorship.objects.count() == 178
    assert CoAuthorship.objects.count() == 470
    assert pairs() == pairs_recomputed()
    assert Work.objects.exclude(abstract="").count() == 36
    assert WorkTopic.objects.count() == 154
    assert (
        WorkTopic.objects.filter(is_primary=True).count() == 60
    )  # not the 2023 snapshot works, nor W3209445140
    assert not Author.objects.filter(openalex_id__in=["A9999999999", "A5317838346"]).exists()


def test_it_keeps_the_newest_version_of_records_seen_three_times(imported):
    # W2741809807 and A5023888391 come as 2023, June 2025 and October 2025 records.
    work = Work.objects.get(openalex_id="W2741809807")
    assert work.updated_date == date(2025, 10, 7)
    assert work.authorships.count() == 9
    priem = Author.objects.get(openalex_id="A5023888391")
    assert priem.updated_date == date(2025, 10, 11)
    assert [i.display_name for i in priem.last_known_institutions.all()] == ["OpenAlex"]


def test_it_keeps_accents_in_names_and_strips_them_for_search(imported):
    labrosse = Author.objects.get(openalex_id="A5013808128")
    assert labrosse.display_name == "Frédéric Labrosse"
    assert labrosse.search_name.startswith("frederic labrosse")
    assert Author.objects.filter(search_name__contains="lariviere").count() == 1


def test_it_changes_nothing_the_second_time(imported):
    out = io.StringIO()
    call_command("import_openalex", str(SHARED), stdout=out, stderr=io.StringIO())

    total = counts(out.getvalue())["total"]
    assert (total["created"], total["updated"], total["stubs"]) == (0, 0, 0)
    assert total["unchanged"] == 1187 - 43 - 1
