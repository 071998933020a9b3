"""`import_openalex` on snapshot folders: the layout, manifests, --since, deleted and merged ids.

tests/data/openalex/handmade/snapshot/data/ (written by handmade/build.py) holds:
- institutions I70, I71; authors A70, A71, A72 (January) and A72 renamed, A73 (March);
- works W70 (A70, A71), W71 (A70, A72), W72 (A71, A72) in January, W73 (A72, A73) in March;
- manifests: the works one lists a part that is not here, the authors one a wrong count;
- works/deleted_ids.csv: W71 and W79 (never seen);
- merged_ids: A71 -> A70, A75 -> A70, A76 -> A77 -> A70, W72 -> W70, and a concepts file;
- a concepts folder, which is not imported.
"""

import io
import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.works.test_import_openalex import authors_of, counts, pairs, pairs_recomputed
from works.models import Author, Authorship, DeletedWork, Institution, MergedId, Work

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parent.parent / "data" / "openalex"
SNAPSHOT = DATA / "handmade" / "snapshot"
REAL_SNAPSHOT = DATA / "shared" / "go-openalex-2023" / "snapshot"


def run(*args: object) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_openalex", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def ids(model: type) -> set[str]:
    return set(model.objects.values_list("openalex_id", flat=True))


def test_it_walks_the_snapshot_layout_in_entity_order():
    out, _ = run(SNAPSHOT)

    table = counts(out)
    assert table["institutions"]["created"] == 2
    # A72 comes twice: January creates it, March updates it.
    assert (table["authors"]["created"], table["authors"]["updated"]) == (4, 1)
    assert table["works"]["created"] == 4
    # Authors were loaded before works, so no work had to make a stub.
    assert table["total"]["stubs"] == 0
    assert Author.objects.get(openalex_id="A72").display_name == "Seventy-Two Renamed"
    assert "Folders not imported: concepts, merged_ids/concepts" in out


def test_it_checks_the_manifests_and_warns_about_what_does_not_match():
    _, err = run(SNAPSHOT)

    works = SNAPSHOT / "data" / "works"
    assert (
        f"{works}: the manifest lists 1 part(s) that are not here "
        "(first: updated_date=2024-04-01/part_000.gz)" in err
    )
    march = SNAPSHOT / "data/authors/updated_date=2024-03-01/part_000.gz"
    assert f"{march}: the manifest says 9 records, the file has 2" in err
    assert "updated_date=2024-01-01/part_000.gz: the manifest says" not in err


def test_it_deletes_the_withdrawn_works_and_never_brings_them_back():
    out, _ = run(SNAPSHOT)

    assert "W71" not in ids(Work)
    assert ids(DeletedWork) == {"W71", "W79"}
    assert "Deleted ids read: 2 (works removed: 1)" in out

    out, _ = run(SNAPSHOT)

    assert "W71" not in ids(Work)
    # W71 (deleted) and W72 (merged away) are skipped; nothing else changes.
    assert counts(out)["works"] == counts(out)["works"] | {"skipped": 2, "created": 0}
    assert counts(out)["total"]["updated"] == 0


def test_it_folds_merged_records_into_the_ones_they_were_merged_into():
    out, _ = run(SNAPSHOT)

    assert ids(Author) == {"A70", "A72", "A73"}
    assert ids(Work) == {"W70", "W73"}
    # A71 was A70 all along: W70's two places are both A70's now, each with what was printed
    # there, and count one work; W72 (a duplicate of W70) is gone.
    assert authors_of("W70") == ["A70", "A70"]
    assert list(
        Authorship.objects.filter(work__openalex_id="W70")
        .order_by("order")
        .values_list("raw_author_name", flat=True)
    ) == ["Author 70", "Author 71"]
    assert Author.objects.get(openalex_id="A70").works_in_db == 1
    assert authors_of("W73") == ["A72", "A73"]
    assert pairs() == pairs_recomputed() == {("A72", "A73"): (1, 2024), ("A73", "A72"): (1, 2024)}
    assert set(MergedId.objects.values_list("entity", "old_id", "new_id", "merge_date")) == {
        ("authors", "A71", "A70", date(2024, 3, 2)),
        ("authors", "A75", "A70", date(2024, 3, 2)),
        ("authors", "A76", "A77", date(2024, 3, 2)),
        ("authors", "A77", "A70", date(2024, 3, 2)),
        ("works", "W72", "W70", date(2024, 3, 2)),
    }
    assert "merged ids read: 5 (records merged: 2)" in out


def test_it_leads_later_references_to_merged_away_ids_to_the_new_record(tmp_path):
    run(SNAPSHOT)
    later = tmp_path / "later.jsonl"
    later.write_text(
        json.dumps(
            {
                "id": "https://openalex.org/W80",
                "title": "Written after the merge",
                "publication_year": 2024,
                "updated_date": "2024-04-01",
                "authorships": [
                    {"author": {"id": "https://openalex.org/A76", "display_name": "Old name"}},
                    {"author": {"id": "https://openalex.org/A71", "display_name": "Older"}},
                    {"author": {"id": "https://openalex.org/A73", "display_name": "Seventy-Three"}},
                ],
            }
        )
        + "\n"
        + json.dumps({"id": "https://openalex.org/A71", "display_name": "Merged away"})
        + "\n"
    )

    out, _ = run(later)

    # A76 leads through A77 to A70; A71 to A70 as well, which is then listed twice: both
    # places stay, each with what was printed there.
    assert list(
        Authorship.objects.filter(work__openalex_id="W80")
        .order_by("order")
        .values_list("author__openalex_id", "order")
    ) == [("A70", 0), ("A70", 1), ("A73", 2)]
    assert not Author.objects.filter(openalex_id__in=["A71", "A76", "A77"]).exists()
    assert counts(out)["authors"]["skipped"] == 1  # the A71 line
    assert pairs() == pairs_recomputed()


def test_it_loads_only_the_partitions_newer_than_since():
    out, _ = run("--since", "2024-02-01", SNAPSHOT)

    assert ids(Institution) == set()
    assert ids(Author) == {"A72", "A73"}
    assert ids(Work) == {"W73"}
    assert "Partitions not newer than --since, skipped: 3" in out
    # The deletion list is still read (W71 is remembered though it was never here).
    assert ids(DeletedWork) == {"W71", "W79"}


def test_since_is_exclusive_of_its_own_date():
    run("--since", "2024-03-01", SNAPSHOT)

    assert not Work.objects.exists()


def test_it_reads_the_newer_layout_with_a_jsonl_level_and_one_manifest(tmp_path):
    # Since 2026 the snapshot is data/jsonl/<entity>/... with one manifest.json for all.
    root = tmp_path / "openalex-snapshot"
    shutil.copytree(SNAPSHOT / "data", root / "data" / "jsonl")
    manifests = [root / "data/jsonl/works/manifest", root / "data/jsonl/authors/manifest"]
    entries = [entry for m in manifests for entry in json.loads(m.read_text())["entries"]]
    for manifest in manifests:
        manifest.unlink()
    for entry in entries:
        entry["url"] = entry["url"].replace("/data/", "/data/jsonl/")
    (root / "data/jsonl/manifest.json").write_text(json.dumps({"entries": entries}))

    out, err = run(root)

    assert ids(Work) == {"W70", "W73"}
    assert ids(Author) == {"A70", "A72", "A73"}
    assert "the manifest lists 1 part(s) that are not here" in err
    assert "the manifest says 9 records, the file has 2" in err


def test_it_imports_one_entity_folder_of_a_snapshot():
    out, _ = run(SNAPSHOT / "data" / "authors")

    assert ids(Author) == {"A70", "A71", "A72", "A73"}
    assert not Work.objects.exists()


def test_it_reads_the_real_2023_snapshot_sample_and_its_whole_snapshot_manifests():
    out, err = run(REAL_SNAPSHOT)

    table = counts(out)
    assert table["institutions"]["created"] == 678
    assert table["sources"]["created"] == 249
    assert table["works"]["created"] == 27
    assert table["authors"]["created"] == 1
    assert table["total"]["errors"] == 0
    # The one work with a venue names a source not in the sample part: a stub.
    assert (table["sources"]["stubs"], table["institutions"]["stubs"]) == (1, 1)
    assert "Folders not imported: concepts, funders, publishers" in out
    # The manifests list the whole public snapshot: a warning, not a failure.
    assert "works: the manifest lists 464 part(s) that are not here" in err
    assert "authors: the manifest lists 104 part(s) that are not here" in err
    # Where the manifest does list a local part, the counts agree (works: 27).
    assert "the manifest says" not in err
    assert Work.objects.filter(title="").count() == 16
    assert not Authorship.objects.exists()
    lucero = Author.objects.get(openalex_id="A4347464006")
    assert [i.openalex_id for i in lucero.last_known_institutions.all()] == ["I59553526"]
