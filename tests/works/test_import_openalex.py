"""`import_openalex` on single files: field mapping, updates, idempotency, bad input, stubs.

The inputs are hand-made OpenAlex-shaped lines (tests/data/openalex/handmade/, written by its
build.py) and real records (tests/data/openalex/shared/, copied from public repositories).
"""

import gzip
import io
import json
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from works.importer import import_paths
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

DATA = Path(__file__).resolve().parent.parent / "data" / "openalex"
HANDMADE = DATA / "handmade"
SHARED = DATA / "shared"


def run(*args: object) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_openalex", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def counts(output: str) -> dict[str, dict[str, int]]:
    """The summary table printed by the command, as {entity: {column: number}}."""
    lines = output.splitlines()
    header = next(line for line in lines if line.split()[:1] == ["created"])
    columns = header.split()
    table = {}
    for line in lines[lines.index(header) + 1 :]:
        cells = line.split()
        if len(cells) != len(columns) + 1 or not cells[1].replace(",", "").isdigit():
            break
        table[cells[0]] = {
            c: int(v.replace(",", "")) for c, v in zip(columns, cells[1:], strict=True)
        }
    return table


def authors_of(work_id: str) -> list[str]:
    return list(
        Authorship.objects.filter(work__openalex_id=work_id)
        .order_by("order")
        .values_list("author__openalex_id", flat=True)
    )


def pairs() -> dict[tuple[str, str], tuple[int, int | None]]:
    return {
        (a, b): (n, year)
        for a, b, n, year in CoAuthorship.objects.values_list(
            "author__openalex_id", "coauthor__openalex_id", "shared_works_count", "last_year"
        )
    }


def pairs_recomputed() -> dict[tuple[str, str], tuple[int, int | None]]:
    """The co-authorship table worked out in Python from the authorships, to compare with: an
    author at two places of one byline shares that work once."""
    by_work: dict[int, set[tuple[str, int | None]]] = {}
    for work_id, author, year in Authorship.objects.values_list(
        "work_id", "author__openalex_id", "work__publication_year"
    ):
        by_work.setdefault(work_id, set()).add((author, year))
    expected: dict[tuple[str, str], tuple[int, int | None]] = {}
    for members in by_work.values():
        for a, year in members:
            for b, _ in members:
                if a != b:
                    n, last = expected.get((a, b), (0, None))
                    years = [y for y in (last, year) if y is not None]
                    expected[(a, b)] = (n + 1, max(years) if years else None)
    return expected


def database_state() -> dict[str, list]:
    tables = [
        Institution.objects,
        Source.objects,
        Topic.objects,
        Author.objects,
        Author.last_known_institutions.through.objects,
        Work.objects,
        Authorship.objects,
        Authorship.institutions.through.objects,
        WorkTopic.objects,
        CoAuthorship.objects,
    ]
    return {str(t.model): list(t.order_by("pk").values()) for t in tables}


def test_it_rebuilds_the_abstract_from_the_inverted_index():
    run(HANDMADE / "full_work.jsonl")

    # The index lists the words out of order and "the" at two positions.
    assert Work.objects.get().abstract == "Put the words back in the right order."


def test_it_skips_gaps_in_an_abstract_and_rejects_impossible_positions(tmp_path):
    works = tmp_path / "works.jsonl"
    works.write_text(
        '{"id": "W1", "abstract_inverted_index": {"end.": [9], "A": [0], "gap": [4]}}\n'
        '{"id": "W2", "abstract_inverted_index": {"before": [-1], "start": [0]}}\n'
        '{"id": "W3", "abstract_inverted_index": null, "abstract_inverted_index_v3": {"v3": [0]}}\n'
    )

    _, err = run(works)

    assert dict(Work.objects.values_list("openalex_id", "abstract")) == {
        "W1": "A gap end.",
        "W3": "v3",  # only when the main index is missing
    }
    assert f"{works}:2: abstract_inverted_index['before'] has position -1" in err


def test_it_maps_the_fields_of_a_work():
    run(HANDMADE / "full_work.jsonl")

    work = Work.objects.get(openalex_id="W1")
    assert work.doi == "10.1234/abc.def-5"
    assert work.title == "Reading inverted indexes"
    assert (work.type, work.language) == ("article", "en")
    assert (work.publication_year, work.publication_date) == (2023, date(2023, 11, 30))
    assert (work.is_oa, work.oa_status, work.cited_by_count) == (True, "gold", 7)
    assert work.updated_date == date(2024, 5, 2)
    source = work.primary_source
    assert (source.openalex_id, source.display_name, source.issn_l) == (
        "S1",
        "Journal One",
        "1234-5678",
    )


def test_it_keeps_the_authorship_order_positions_and_institutions():
    run(HANDMADE / "full_work.jsonl")

    rows = [
        (
            a.author.openalex_id,
            a.order,
            a.position,
            a.raw_author_name,
            a.is_corresponding,
            sorted(i.openalex_id for i in a.institutions.all()),
        )
        for a in Authorship.objects.filter(work__openalex_id="W1").order_by("order")
    ]
    assert rows == [
        ("A1", 0, "first", "Ana Núñez", False, ["I1", "I2"]),
        ("A2", 1, "middle", "Bo Li", False, []),
        ("A3", 2, "last", "Chris Ode", True, ["I1"]),
    ]
    assert Institution.objects.get(openalex_id="I1").display_name == "University of Somewhere"


def test_it_stores_the_topics_and_marks_the_primary_one():
    run(HANDMADE / "full_work.jsonl")

    topics = {
        wt.topic.openalex_id: (wt.score, wt.is_primary)
        for wt in WorkTopic.objects.filter(work__openalex_id="W1")
    }
    assert topics == {"T1": (0.5, False), "T2": (0.9, True)}
    topic = Topic.objects.get(openalex_id="T2")
    assert (topic.subfield, topic.field, topic.domain) == ("Sub", "Field", "Domain")


def test_it_changes_nothing_when_the_same_files_come_again():
    files = [HANDMADE / name for name in ("full_work.jsonl", "coauthors.jsonl", "stub_works.jsonl")]
    files += [HANDMADE / "stub_authors.jsonl", SHARED / "openalex-python" / "W2741809807.json"]
    run(*files)
    before = database_state()

    out, _ = run(*files)

    assert database_state() == before
    total = counts(out)["total"]
    assert total["unchanged"] == 10
    assert total["created"] == total["updated"] == total["stubs"] == 0


def test_it_replaces_a_work_when_a_newer_record_comes():
    run(HANDMADE / "wise_ft_v1.jsonl")
    assert authors_of("W10") == ["A11", "A12", "A14", "A13", "A15", "A16", "A19", "A17"]
    assert pairs()[("A11", "A19")] == (2, 2021)

    out, _ = run(HANDMADE / "wise_ft_v2.jsonl.gz")

    assert counts(out)["works"]["updated"] == 1
    assert authors_of("W10") == [
        "A11", "A12", "A13", "A14", "A20", "A21", "A22", "A15", "A16", "A23", "A17",
    ]  # fmt: skip
    positions = Authorship.objects.filter(work__openalex_id="W10").order_by("order")
    assert list(positions.values_list("position", flat=True)) == ["first", *["middle"] * 9, "last"]
    work = Work.objects.get(openalex_id="W10")
    assert (work.publication_year, work.updated_date) == (2022, date(2022, 6, 20))
    # A19 left the author list: pairs through W10 are gone, W11 still counts.
    assert pairs()[("A11", "A19")] == pairs()[("A19", "A11")] == (1, 2020)
    assert ("A13", "A19") not in pairs() and ("A19", "A13") not in pairs()
    assert pairs()[("A11", "A12")] == (2, 2022)
    assert pairs()[("A23", "A11")] == (1, 2022)
    assert pairs() == pairs_recomputed()


def test_it_keeps_when_each_author_first_came_in_when_a_work_is_replaced():
    # The followers' feed shows works added since a follow: a newer record of an old work
    # must not make it new again for the authors it already had.
    run(HANDMADE / "wise_ft_v1.jsonl")
    added = dict(
        Authorship.objects.filter(work__openalex_id="W10").values_list(
            "author__openalex_id", "created_at"
        )
    )

    run(HANDMADE / "wise_ft_v2.jsonl.gz")

    after = dict(
        Authorship.objects.filter(work__openalex_id="W10").values_list(
            "author__openalex_id", "created_at"
        )
    )
    assert after["A11"] == added["A11"]
    assert after["A17"] == added["A17"]
    assert after["A20"] > max(added.values())  # a new author on the work: new for them


def test_it_leaves_a_work_alone_when_the_record_is_older_or_the_same():
    run(HANDMADE / "wise_ft_v2.jsonl.gz")
    before = database_state()

    out, _ = run(HANDMADE / "wise_ft_older.jsonl", HANDMADE / "wise_ft_v2.jsonl.gz")

    assert counts(out)["works"] == counts(out)["works"] | {
        "created": 0,
        "updated": 0,
        "unchanged": 2,
    }
    assert database_state() == before
    assert Work.objects.get(openalex_id="W10").title == "Robust fine-tuning"


def test_it_keeps_the_newest_of_two_records_for_one_id_in_one_batch(tmp_path):
    both = tmp_path / "works.jsonl"
    newer = (HANDMADE / "wise_ft_v1.jsonl").read_text().splitlines()[0]
    older = newer.replace("2021-09-05", "2021-01-01").replace("Robust fine-tuning", "Stale")
    both.write_text(f"{newer}\n{older}\n")

    out, _ = run(both)

    assert Work.objects.get(openalex_id="W10").title == "Robust fine-tuning"
    assert counts(out)["works"] == counts(out)["works"] | {"created": 1, "unchanged": 1}


def test_it_reports_bad_lines_with_file_and_line_and_goes_on():
    out, err = run(HANDMADE / "bad_lines.jsonl")

    path = HANDMADE / "bad_lines.jsonl"
    assert f"{path}:2: bad JSON" in err
    assert f"{path}:3: no id" in err
    assert f"{path}:4: authorships is not a list" in err
    assert f"{path}:6: expected a JSON object, got int" in err
    assert f"{path}:5" not in err  # a blank line is not an error
    assert set(Institution.objects.values_list("openalex_id", flat=True)) == {"I60", "I63"}
    table = counts(out)
    assert table["works"]["errors"] == 1  # its id said what it was
    assert table["other"]["errors"] == 3
    assert table["other"]["skipped"] == 1  # the concept


def test_it_stops_at_the_first_bad_line_with_strict_and_keeps_nothing_of_that_file(tmp_path):
    # More than one batch (500) of good lines, then a bad one: the batch already written
    # is rolled back with the rest of the file. The file before it is kept.
    big = tmp_path / "institutions.jsonl"
    lines = [f'{{"id": "I{n}", "display_name": "Inst {n}"}}' for n in range(1000, 1600)]
    big.write_text("\n".join([*lines, "{oops", '{"id": "I9", "display_name": "after"}']) + "\n")

    with pytest.raises(CommandError, match=rf"{re.escape(str(big))}:601: bad JSON"):
        run("--strict", HANDMADE / "full_work.jsonl", big)

    assert not Institution.objects.filter(display_name__startswith="Inst ").exists()
    assert Work.objects.filter(openalex_id="W1").exists()


def test_it_keeps_the_batches_before_a_bad_line_without_strict(tmp_path):
    big = tmp_path / "institutions.jsonl"
    lines = [f'{{"id": "I{n}", "display_name": "Inst {n}"}}' for n in range(1000, 1600)]
    big.write_text("\n".join([*lines, "{oops", '{"id": "I9", "display_name": "after"}']) + "\n")

    out, err = run(big)

    assert Institution.objects.count() == 601
    assert counts(out)["other"]["errors"] == 1


def test_it_reads_gzipped_json_lines_by_their_content_not_their_name(tmp_path):
    renamed = tmp_path / "part_000"  # no .gz suffix: the gzip header says what it is
    shutil.copy(HANDMADE / "wise_ft_v2.jsonl.gz", renamed)

    run(renamed)

    assert len(authors_of("W10")) == 11


def test_it_names_a_truncated_gz_file_in_a_clear_error(tmp_path):
    part = (
        SHARED / "go-openalex-2023/snapshot/data/institutions/updated_date=2023-09-04/part_000.gz"
    )
    truncated = tmp_path / "part_000.gz"
    truncated.write_bytes(part.read_bytes()[: part.stat().st_size // 2])

    with pytest.raises(CommandError) as error:
        run(truncated)

    assert str(error.value).startswith(f"{truncated}: truncated or corrupt gzip file")


def test_it_names_a_corrupt_gz_file_in_a_clear_error(tmp_path):
    data = bytearray(gzip.compress(b'{"id": "I1", "display_name": "x"}\n' * 2000))
    data[len(data) // 2 : len(data) // 2 + 8] = b"\xff" * 8
    corrupt = tmp_path / "corrupt.jsonl.gz"
    corrupt.write_bytes(bytes(data))

    with pytest.raises(CommandError, match=rf"^{re.escape(str(corrupt))}: truncated or corrupt"):
        run(corrupt)


def test_it_makes_stubs_for_what_a_work_names_and_fills_them_in_later():
    out, _ = run(HANDMADE / "stub_works.jsonl")

    stub = Author.objects.get(openalex_id="A30")
    assert (stub.display_name, stub.search_name, stub.updated_date) == (
        "P. Quill",
        "p. quill",
        None,
    )
    assert Author.objects.get(openalex_id="A31").orcid == "0000-0002-1694-233X"
    assert Institution.objects.get(openalex_id="I30").display_name == "Stub Institute"
    assert Source.objects.get(openalex_id="S30").display_name == "Stub Journal"
    assert Topic.objects.get(openalex_id="T30").display_name == "Stub Topic"
    table = counts(out)
    assert [table[e]["stubs"] for e in ("authors", "institutions", "sources", "topics")] == [
        2,
        1,
        1,
        1,
    ]

    out, _ = run(HANDMADE / "stub_authors.jsonl")

    assert counts(out)["authors"]["created"] == 2
    quill = Author.objects.get(openalex_id="A30")
    assert quill.display_name == "Penelope Quill"
    assert quill.display_name_alternatives == ["P. Quill", "Pénélope Quill"]
    assert quill.search_name == "penelope quill | p. quill"
    assert (quill.works_count, quill.cited_by_count) == (12, 40)
    assert quill.summary_stats == {"h_index": 3, "i10_index": 1}
    assert quill.updated_date == date(2024, 3, 3)
    assert sorted(i.openalex_id for i in quill.last_known_institutions.all()) == ["I30", "I31"]
    stone = Author.objects.get(openalex_id="A31")  # 2023 shape: one last_known_institution
    assert [i.openalex_id for i in stone.last_known_institutions.all()] == ["I30"]
    assert authors_of("W30") == ["A30", "A31"]  # the work still points at the same rows


def test_it_skips_the_reserved_authors_as_lines_and_on_works():
    out, _ = run(HANDMADE / "reserved.jsonl", SHARED / "openalex-python" / "A5317838346.json")

    assert not Author.objects.filter(openalex_id__in=["A9999999999", "A5317838346"]).exists()
    assert list(
        Authorship.objects.filter(work__openalex_id="W40").values_list(
            "author__openalex_id", "order"
        )
    ) == [("A40", 1)]
    assert counts(out)["authors"]["skipped"] == 3
    assert "Authorships naming a reserved author, left out: 2" in out


def test_it_keeps_every_place_of_an_author_listed_twice():
    # A byline position is a place in the printed author list: the second place of A22 is
    # kept, and the work still counts once for A22.
    run(HANDMADE / "coauthors.jsonl")

    assert list(
        Authorship.objects.filter(work__openalex_id="W22")
        .order_by("order")
        .values_list("author__openalex_id", "order")
    ) == [("A21", 0), ("A22", 1), ("A22", 2)]
    assert Author.objects.get(openalex_id="A22").works_in_db == 3


def test_it_reads_an_api_response_with_a_results_list():
    listing = (
        SHARED
        / "academic-explorer/works/list__filter=authorships.author.id=A5017898742_per_page=50.json"
    )

    out, _ = run(listing)

    assert counts(out)["works"]["created"] == 9
    assert Authorship.objects.filter(author__openalex_id="A5017898742").count() == 9
    assert Author.objects.get(openalex_id="A5017898742").display_name == "Joseph Mearman"


def test_it_reads_single_entity_files_of_2023_and_2025():
    out, _ = run(SHARED / "go-openalex-2023/single/W2741809807.json")
    work = Work.objects.get(openalex_id="W2741809807")
    assert (work.updated_date, work.work_topics.count()) == (date(2023, 10, 22), 0)
    assert work.abstract.startswith("Despite growing interest in Open Access (OA) to scholarly")

    out, _ = run(
        SHARED / "openalex-python/W2741809807.json",
        SHARED / "academic-explorer/works/W2741809807.json",
    )

    assert counts(out)["works"]["updated"] == 2
    work.refresh_from_db()
    assert work.updated_date == date(2025, 10, 7)
    assert work.work_topics.count() == 3
    assert work.work_topics.get(is_primary=True).topic.openalex_id == "T10102"
    assert work.doi == "10.7717/peerj.4375"
    assert authors_of("W2741809807")[0] == "A5048491430"  # Heather Piwowar, first


def test_it_reads_single_authors_institutions_sources_and_topics_of_both_years():
    run(
        SHARED / "go-openalex-2023/single/A5023888391.json",
        SHARED / "go-openalex-2023/single/I27837315.json",
        SHARED / "go-openalex-2023/single/S137773608.json",
    )
    priem = Author.objects.get(openalex_id="A5023888391")
    assert priem.updated_date == date(2023, 10, 28)
    # 2023: last_known_institution, one object.
    assert priem.last_known_institutions.count() == 1
    assert Institution.objects.get(openalex_id="I27837315").type == "education"

    out, _ = run(
        SHARED / "openalex-python/A5023888391.json",
        SHARED / "openalex-python/I27837315.json",
        SHARED / "openalex-python/S137773608.json",
        SHARED / "openalex-python/T11636.json",
        SHARED / "academic-explorer/topics/T10232.json",
    )

    priem.refresh_from_db()
    assert priem.orcid == "0000-0001-6187-6610"
    assert priem.search_name == "jason priem | priem jason"
    assert [i.display_name for i in priem.last_known_institutions.all()] == ["OurResearch"]
    michigan = Institution.objects.get(openalex_id="I27837315")
    assert (michigan.ror, michigan.type, michigan.homepage_url) == (
        "https://ror.org/00jmfr291",
        "funder",
        "https://www.umich.edu",
    )
    assert Source.objects.get(openalex_id="S137773608").issn_l == "0028-0836"
    topic = Topic.objects.get(openalex_id="T11636")
    assert (topic.subfield, topic.field, topic.domain) == (
        "Health Informatics",
        "Medicine",
        "Health Sciences",
    )
    table = counts(out)
    assert (table["authors"]["updated"], table["institutions"]["updated"]) == (1, 1)
    assert table["topics"]["created"] == 2


def test_it_keeps_valid_orcids_and_drops_invalid_ones_with_a_warning():
    _, err = run(HANDMADE / "orcids.jsonl")

    assert dict(Author.objects.values_list("openalex_id", "orcid")) == {
        "A50": "0000-0002-1825-0097",
        "A51": "0000-0002-1694-233X",
        "A52": "",
        "A53": "",
    }
    assert (
        "orcids.jsonl:3: A52: invalid ORCID 'https://orcid.org/0000-0002-1825-0098' dropped" in err
    )
    assert "orcids.jsonl:4: A53: invalid ORCID" in err


def test_it_imports_a_plain_folder_authors_before_works(tmp_path):
    # Named so that alphabetical order would put works first.
    shutil.copy(HANDMADE / "stub_works.jsonl", tmp_path / "a_works.jsonl")
    shutil.copy(HANDMADE / "stub_authors.jsonl", tmp_path / "b_authors.jsonl")

    out, _ = run(tmp_path)

    table = counts(out)
    assert (table["authors"]["created"], table["authors"]["stubs"]) == (2, 0)
    assert authors_of("W30") == ["A30", "A31"]


def test_it_refuses_a_missing_path_and_a_bad_since_date(tmp_path):
    with pytest.raises(CommandError, match="No such file or folder"):
        run(tmp_path / "nothing-here.jsonl")
    with pytest.raises(CommandError, match=r"--since '2024-13-01' is not a date"):
        run("--since", "2024-13-01", HANDMADE / "full_work.jsonl")
    assert not Work.objects.exists()


def test_it_shows_progress_and_ends_with_a_summary():
    out, err = run(HANDMADE / "coauthors.jsonl")

    assert re.search(r"^100%\|#+\| 5 records  [\d,]+ records/s  \[.*\]  done$", err, re.M)
    assert "\r" not in err and "\x1b" not in err  # not a terminal: plain lines
    assert counts(out)["works"]["created"] == 5
    assert re.search(r"5 records in [\d.]+ s \([\d,]+ records/s\)", out)


def test_it_redraws_one_line_on_a_terminal():
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    import_paths([HANDMADE / "coauthors.jsonl"], progress=terminal)

    assert terminal.getvalue().startswith("\r  0%|")  # redrawn in place, not line by line
    assert re.search(r"\r100%\|[^\r\n]+\| 5 records  [^\r\n]+  done *\n$", terminal.getvalue())


def test_quiet_prints_only_the_problems():
    out, err = run("--quiet", HANDMADE / "bad_lines.jsonl")

    assert out == ""
    assert "bad_lines.jsonl:2: bad JSON" in err
    assert "records/s" not in err


def _work_with_everything(n: int) -> str:
    return json.dumps(
        {
            "id": f"W{n}",
            "title": f"Work {n}",
            "publication_year": 2020,
            "updated_date": "2024-01-01",
            "primary_location": {"source": {"id": f"S{n}", "display_name": "A venue"}},
            "topics": [{"id": f"T{n}", "display_name": "A topic", "score": 0.5}],
            "authorships": [
                {
                    "author": {"id": f"A{n}0{k}", "display_name": f"Author {k}"},
                    "institutions": [{"id": f"I{n}0{k}", "display_name": "A place"}],
                }
                for k in range(3)
            ],
        }
    )


@pytest.mark.parametrize("size", [10, 200])
def test_it_writes_a_batch_of_works_in_the_same_queries_whatever_its_size(
    tmp_path, size, django_assert_num_queries
):
    works = tmp_path / "works.jsonl"
    works.write_text("\n".join(_work_with_everything(n) for n in range(1000, 1000 + size)))

    # PostgreSQL, the set-based loader (works/importer/copyload.py); its four COPYs into the
    # staging tables go through psycopg directly and are not counted here:
    # 1-3. announce what an import killed earlier left unannounced: SAVEPOINT, DELETE the
    #      marks (none), RELEASE
    # 4. SAVEPOINT: the batch's transaction
    # 5. lock the batch's records against other imports (here: the whole corpus, as the
    #    test's transaction looks like --strict's)
    # 6. are there any merged ids at all? (no: no look-ups of references follow)
    # 7. which of these works were deleted (DeletedWork)
    # 8. which of these works exist already, with their updated_date
    # 9. create the staging tables if this session has none yet, and empty them
    # 10. INSERT the missing stubs of the four referenced types (one statement)
    # 11. upsert the works (none existed: no DELETE of old authorships before it)
    # 12. INSERT the authorships, their institutions and the works' topics
    # 13. the co-authorship change of the batch, per pair
    # 14-15. take the co-authorship queue's lock (shared) and queue the change
    # 16. mark the corpus as changed (to announce)
    # 17. RELEASE SAVEPOINT: the batch is done
    # The end of the file applies the queue (works/coauthorship.py), in its own transaction:
    # 18-20. SAVEPOINT, the queue's lock (exclusive), is anything queued?
    # 21. create and empty the drain's tables
    # 22. mark the corpus as changed
    # 23. take the queue, summed per pair and per author
    # 24. empty the queue (TRUNCATE)
    # 25. ANALYZE the summed pairs
    # 26. apply them (no pair lost a work: no DELETE of emptied rows)
    # 27. UPDATE the authors' works_in_db
    # 28. ANALYZE the grown tables if the statistics know of fewer than ten times the pairs
    #     changed (one DO block, whether it does or not)
    # 29. RELEASE SAVEPOINT
    # 30-33. announce: SAVEPOINT, DELETE the marks, UPDATE the corpus version, RELEASE
    # 34. ANALYZE each grown table whose statistics are a tenth off (one DO block)
    # SQLite, the simple loader (works/importer/load.py):
    # 1-3. announce what an import killed earlier left unannounced (none)
    # 4. SAVEPOINT: the batch's transaction
    # 5. are there any merged ids at all? (no: no look-ups of references follow)
    # 6. which of these works were deleted (DeletedWork)
    # 7. which of these works exist already, with their updated_date
    # 8-15. per referenced type (sources, institutions, topics, authors): which exist,
    #       then one INSERT of the missing stubs
    # 16. INSERT the works
    # 17. INSERT their authorships
    # 18. INSERT the authorships' institutions
    # 19. INSERT the works' topics
    # 20-22. co-authorship refresh: SAVEPOINT, INSERT ... SELECT of the pairs that are
    #        new or changed, RELEASE (new works only: no pair can disappear, no DELETE)
    # 23. UPDATE the authors' works_in_db counts
    # 24. mark the corpus as changed (to announce)
    # 25. RELEASE SAVEPOINT: the batch is done
    # 26-29. announce: SAVEPOINT, DELETE the marks, UPDATE the corpus version, RELEASE
    expected = 34 if connection.vendor == "postgresql" else 29
    with django_assert_num_queries(expected):
        import_paths([works])

    assert Authorship.objects.count() == 3 * size
    assert CoAuthorship.objects.count() == 6 * size
