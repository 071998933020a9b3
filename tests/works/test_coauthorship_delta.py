"""The co-authorship table and works_in_db after incremental imports equal a full
recomputation from Authorship: on PostgreSQL the importer moves them by each batch's delta
(works/importer/coauthorship_delta.py), on SQLite it recomputes the touched authors."""

import gzip
import json
from pathlib import Path

import pytest

from works.importer import import_paths
from works.models import Author, Authorship, CoAuthorship, Work
from works.services import (
    author_stats_refresh,
    authorship_exclude,
    authorship_include,
    coauthorship_refresh_for_authors,
)

pytestmark = pytest.mark.django_db


def work(openalex_id: str, authors: list[str], year: int | None, updated: str) -> dict:
    return {
        "id": openalex_id,
        "title": f"Work {openalex_id}",
        "publication_year": year,
        "updated_date": updated,
        "authorships": [
            {"author": {"id": author, "display_name": f"Author {author}"}} for author in authors
        ],
    }


def write(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(record) + "\n" for record in records))
    return path


def stored() -> tuple[set[tuple], dict[str, int]]:
    pairs = set(
        CoAuthorship.objects.values_list(
            "author__openalex_id", "coauthor__openalex_id", "shared_works_count", "last_year"
        )
    )
    return pairs, dict(Author.objects.values_list("openalex_id", "works_in_db"))


def recomputed() -> tuple[set[tuple], dict[str, int]]:
    everyone = list(Author.objects.values_list("pk", flat=True))
    coauthorship_refresh_for_authors(author_ids=everyone)
    author_stats_refresh(author_ids=everyone)
    return stored()


def assert_matches_a_full_recomputation() -> None:
    incremental = stored()
    assert incremental == recomputed()


FIRST = "2024-01-01"
LATER = "2025-01-01"


def test_it_keeps_coauthorships_and_counts_equal_to_a_full_recomputation(tmp_path):
    import_paths(
        [
            write(
                tmp_path / "first.jsonl",
                [
                    work("W1", ["A1", "A2", "A3"], 2020, FIRST),
                    work("W2", ["A1", "A2"], 2018, FIRST),
                    work("W3", ["A2", "A4"], 2019, FIRST),
                    work("W4", ["A1", "A1", "A5"], 2021, FIRST),  # A1 holds two places
                    work("W5", ["A3", "A4"], 2022, FIRST),
                    work("W7", ["A6", "A7"], None, FIRST),
                ],
            )
        ]
    )
    assert_matches_a_full_recomputation()
    assert ("A1", "A5", 1, 2021) in stored()[0]
    assert stored()[1]["A1"] == 3

    import_paths(
        [
            write(
                tmp_path / "later.jsonl",
                [
                    # A different author list, a year that went down: A1-A2 loses its
                    # latest shared work, A2-A3 and A1-A3 their only one.
                    work("W1", ["A1", "A4", "A4"], 2017, LATER),
                    # Same authors, a later year.
                    work("W2", ["A2", "A1"], 2024, LATER),
                    # A doubled author doubled differently, an earlier year.
                    work("W4", ["A1", "A5", "A5"], 2015, LATER),
                    # Unchanged (same updated_date).
                    work("W3", ["A2", "A4"], 2019, FIRST),
                    # New, with a doubled author.
                    work("W6", ["A2", "A3", "A3"], 2023, LATER),
                    # Loses its year.
                    work("W7", ["A6", "A7", "A8"], None, LATER),
                ],
            )
        ]
    )
    pairs, counts = stored()
    assert_matches_a_full_recomputation()
    assert ("A1", "A2", 1, 2024) in pairs
    assert ("A1", "A5", 1, 2015) in pairs
    assert not {pair for pair in pairs if pair[:2] in {("A1", "A3"), ("A3", "A1")}}
    assert not {pair for pair in pairs if pair[0] == pair[1]}
    assert counts["A4"] == 3  # W1 (two places), W3, W5

    # A work withdrawn by OpenAlex.
    works = tmp_path / "snapshot" / "data" / "works"
    (works / "updated_date=2025-01-02").mkdir(parents=True)
    (works / "updated_date=2025-01-02" / "part_000.gz").write_bytes(gzip.compress(b""))
    (works / "deleted_ids.csv").write_text("id\nW5\n")
    import_paths([tmp_path / "snapshot"])
    pairs, counts = stored()
    assert_matches_a_full_recomputation()
    assert not {pair for pair in pairs if pair[:2] == ("A3", "A4")}
    assert counts["A4"] == 2


def test_it_keeps_them_equal_when_works_arrive_in_several_batches(tmp_path, monkeypatch):
    monkeypatch.setattr("works.importer.load.Loader.__init__.__kwdefaults__", {"batch_size": 2})
    records = [work(f"W{n}", ["A1", f"A{n % 3 + 2}", "A1"], 2000 + n, FIRST) for n in range(7)]
    import_paths([write(tmp_path / "first.jsonl", records)])
    assert_matches_a_full_recomputation()

    newer = [work(f"W{n}", [f"A{n % 2 + 2}", "A9"], 2010 - n, LATER) for n in range(0, 7, 2)]
    import_paths([write(tmp_path / "later.jsonl", newer)])
    assert_matches_a_full_recomputation()


def test_it_keeps_them_equal_through_the_owners_corrections(tmp_path):
    import_paths(
        [
            write(
                tmp_path / "first.jsonl",
                [
                    work("W1", ["A1", "A2", "A3"], 2020, FIRST),
                    work("W2", ["A4", "A5"], 2019, FIRST),
                    work("W3", ["A6"], 2018, FIRST),
                ],
            )
        ]
    )
    authorship_exclude(
        author=Author.objects.get(openalex_id="A2"),
        work=Work.objects.get(openalex_id="W1"),
        user=None,
        reason="Not me",
    )
    authorship_include(
        author=Author.objects.get(openalex_id="A6"),
        authorship=Authorship.objects.get(work__openalex_id="W2", author__openalex_id="A5"),
        user=None,
    )
    assert_matches_a_full_recomputation()

    import_paths(
        [
            write(
                tmp_path / "later.jsonl",
                [
                    work("W1", ["A1", "A2", "A3", "A7"], 2021, LATER),
                    work("W2", ["A4", "A5", "A8"], 2017, LATER),
                ],
            )
        ]
    )
    pairs, counts = stored()
    assert_matches_a_full_recomputation()
    assert not {pair for pair in pairs if "A2" in pair[:2]}
    assert ("A6", "A8", 1, 2017) in pairs
    assert not {pair for pair in pairs if "A5" in pair[:2]}
    assert (counts["A2"], counts["A5"], counts["A6"]) == (0, 0, 2)


@pytest.fixture(params=["set-based", "simple"])
def either_loader(request, monkeypatch):
    """Both loaders on this PostgreSQL database: the simple one is SQLite's."""
    if request.param == "simple":
        from works.importer.load import Loader

        monkeypatch.setattr("works.importer.run.CopyLoader", Loader)
    return request.param


def test_a_work_with_more_than_100_authors_pairs_nobody(tmp_path, either_loader):
    team = [f"A{n}" for n in range(1, 102)]  # 101 authors
    import_paths(
        [
            write(
                tmp_path / "first.jsonl",
                [work("W1", team, 2020, FIRST), work("W2", ["A1", "A2"], 2018, FIRST)],
            )
        ]
    )
    pairs, counts = stored()
    assert pairs == {("A1", "A2", 1, 2018), ("A2", "A1", 1, 2018)}
    assert counts["A1"] == 2 and counts["A101"] == 1  # the work is still theirs
    assert Work.objects.get(openalex_id="W1").byline_size == 101
    assert_matches_a_full_recomputation()

    # One name fewer: 100 authors, the limit, and every pair among them appears.
    import_paths([write(tmp_path / "second.jsonl", [work("W1", team[:100], 2021, LATER)])])
    pairs, counts = stored()
    assert len(pairs) == 100 * 99
    assert ("A1", "A2", 2, 2021) in pairs
    assert_matches_a_full_recomputation()

    # And back over it, with the same authors and more: the pairs go again.
    import_paths(
        [write(tmp_path / "third.jsonl", [work("W1", [*team, "A102"], 2022, "2025-06-01")])]
    )
    pairs, counts = stored()
    assert pairs == {("A1", "A2", 1, 2018), ("A2", "A1", 1, 2018)}
    assert counts["A102"] == 1
    assert_matches_a_full_recomputation()
