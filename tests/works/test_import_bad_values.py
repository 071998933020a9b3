"""`import_openalex` keeps what is good: a record with a value its column cannot hold, a line
nested too deeply, a reference of the wrong kind or a number that is not a number is reported
as `file:line: field: reason` and skipped, and the other records of its batch are kept.

Each test writes three lines, the bad one in the middle, and checks the two good ones are kept
and the middle line is the one blamed.
"""

import gzip
import json
import re
from pathlib import Path

import pytest
from django.core.management import CommandError

from tests.works.test_import_openalex import counts, run
from works.importer import ImportFailed, import_paths
from works.models import Author, CorpusVersion, Institution, Source, Topic, Work

pytestmark = pytest.mark.django_db


def good_work(n: int) -> str:
    return json.dumps({"id": f"W{n}", "title": f"Good {n}", "updated_date": "2024-01-01"})


def three_lines(tmp_path: Path, middle: str, name: str = "works.jsonl") -> Path:
    path = tmp_path / name
    path.write_text(f"{good_work(1)}\n{middle}\n{good_work(3)}\n")
    return path


def three_authors(tmp_path: Path, *, second: dict) -> tuple[Path, str]:
    """Import authors A1, A2, A3, the second with `second`'s fields: the file and stderr."""
    lines = [{"id": f"A{n}", "display_name": f"Author {n}"} for n in (1, 2, 3)]
    lines[1].update(second)
    path = tmp_path / "authors.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    _, err = run(path)
    return path, err


def work_line(**fields: object) -> str:
    return json.dumps({"id": "W2", "title": "Bad", "updated_date": "2024-01-01", **fields})


def corpus_version() -> int:
    return CorpusVersion.objects.filter(pk=1).values_list("version", flat=True).first() or 0


# Item 9: values their column cannot hold.

# Authorships without an author record still take a place in the author list: this many
# puts the one author at a place the order column (PositiveSmallIntegerField) cannot hold.
_TOO_MANY_AUTHORSHIPS = [{}] * 32768 + [{"author": {"id": "A1", "display_name": "Last"}}]


@pytest.mark.parametrize(
    ("middle", "message"),
    [
        pytest.param(
            work_line(title="before\x00after"),
            "title: contains a NUL character, which PostgreSQL text cannot hold",
            id="nul-in-title",
        ),
        pytest.param(
            work_line(title="half a pair \ud800"),
            "title: is not valid Unicode (a lone surrogate)",
            id="lone-surrogate",
        ),
        pytest.param(
            work_line(cited_by_count=10**12),
            "cited_by_count: 1000000000000 is out of range (0 to 2147483647)",
            id="int-out-of-range",
        ),
        pytest.param(
            work_line(publication_year=40000),
            "publication_year: 40000 is out of range (0 to 32767)",
            id="year-out-of-range",
        ),
        pytest.param(
            work_line(cited_by_count=-3),
            "cited_by_count: -3 is out of range (0 to 2147483647)",
            id="negative-count",
        ),
        pytest.param(
            work_line(authorships=_TOO_MANY_AUTHORSHIPS),
            "authorships[32768].order: 32768 is out of range (0 to 32767)",
            id="too-many-authorships",
        ),
        pytest.param(
            work_line(authorships=[{"author": {"id": "A1", "display_name": "Nul\x00Name"}}]),
            "authorships[0].author.display_name: contains a NUL character",
            id="nul-in-an-author-stub",
        ),
        pytest.param(
            work_line(
                authorships=[
                    {
                        "author": {"id": "A1", "display_name": "Fine"},
                        "institutions": [{"id": "I1", "display_name": "Nul\x00Place"}],
                    }
                ]
            ),
            "authorships[0].institutions[I1].display_name: contains a NUL character",
            id="nul-in-an-institution-stub",
        ),
        pytest.param(
            work_line(primary_location={"source": {"id": "S1", "display_name": "\x00"}}),
            "primary_location.source.display_name: contains a NUL character",
            id="nul-in-the-source",
        ),
    ],
)
def test_it_rejects_a_value_its_column_cannot_hold_and_keeps_the_rest_of_the_batch(
    tmp_path, middle, message
):
    path = three_lines(tmp_path, middle)

    out, err = run(path)

    assert f"{path}:2: {message}" in err
    assert set(Work.objects.values_list("openalex_id", flat=True)) == {"W1", "W3"}
    assert counts(out)["works"]["errors"] == 1
    assert not Author.objects.exists()  # nothing of the rejected record, not even its stubs


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        pytest.param(
            {"display_name": "Nul\x00Author"},
            "display_name: contains a NUL character",
            id="nul-in-name",
        ),
        pytest.param(
            {"display_name_alternatives": ["fine", "nul\x00"]},
            "display_name_alternatives: contains a NUL character",
            id="nul-in-json",
        ),
        pytest.param(
            {"works_count": 2**31},
            "works_count: 2147483648 is out of range (0 to 2147483647)",
            id="int-out-of-range",
        ),
    ],
)
def test_it_checks_author_lines_against_their_columns_too(tmp_path, fields, message):
    path, err = three_authors(tmp_path, second=fields)

    assert f"{path}:2: {message}" in err
    assert set(Author.objects.values_list("openalex_id", flat=True)) == {"A1", "A3"}


def test_it_keeps_a_whole_batch_around_a_bad_value(tmp_path):
    # A full batch (500) with a bad record in the middle: the 599 others are all kept.
    lines = [good_work(n) for n in range(1, 600)]
    lines[299] = work_line(id="W300", title="nul\x00")
    path = tmp_path / "works.jsonl"
    path.write_text("\n".join(lines) + "\n")

    out, err = run(path)

    assert f"{path}:300: title: contains a NUL character" in err
    assert Work.objects.count() == 598
    assert not Work.objects.filter(openalex_id="W300").exists()
    assert counts(out)["works"] | {"created": 598, "errors": 1} == counts(out)["works"]


def test_it_names_the_bad_line_under_strict_and_keeps_nothing_of_that_file(tmp_path):
    path = three_lines(tmp_path, work_line(cited_by_count=10**12))

    with pytest.raises(CommandError, match=rf"{re.escape(str(path))}:2: cited_by_count: "):
        run("--strict", path)

    assert not Work.objects.exists()


def test_it_names_the_whole_batch_when_the_database_refuses_it_after_all(tmp_path, monkeypatch):
    # Should a value the checks let by still fail its batch, the message names the lines of
    # the whole batch, not the line that happened to be read last.
    monkeypatch.setattr("works.importer.run.check_row", lambda entity, row: None)
    path = three_lines(tmp_path, work_line(title="nul\x00"))
    path.write_text(path.read_text() + '{"id": "I9", "display_name": "Read after"}\n')

    with pytest.raises(
        CommandError,
        match=rf"writing 3 works read from {re.escape(str(path))}:1 "
        rf"to {re.escape(str(path))}:3 failed: ",
    ):
        run(path)


def test_it_takes_the_limits_from_the_model_fields(tmp_path, monkeypatch):
    # Narrower columns in the model are obeyed at once: nothing is hard-coded.
    monkeypatch.setattr(Work._meta.get_field("type"), "max_length", 5)
    path = three_lines(tmp_path, work_line(type="article"))

    _, err = run(path)

    assert f"{path}:2: type: is 7 characters long, more than the column's 5" in err
    assert Work.objects.count() == 2


# Item 10: lines nested too deeply to read.


def test_it_reports_a_line_nested_too_deeply_and_keeps_the_others(tmp_path):
    depth = 300_000
    deep = '{"id": "W2", "title": ' + "[" * depth + "]" * depth + "}"
    path = three_lines(tmp_path, deep)

    out, err = run(path)

    assert f"{path}:2: nested too deeply to read" in err
    assert set(Work.objects.values_list("openalex_id", flat=True)) == {"W1", "W3"}
    assert counts(out)["other"]["errors"] == 1


def test_it_reports_a_whole_json_file_nested_too_deeply(tmp_path):
    path = tmp_path / "deep.json"
    path.write_text("[" * 300_000 + "]" * 300_000)

    _, err = run(path)

    assert f"{path}: nested too deeply to read" in err


def test_it_reports_a_number_too_long_to_read_and_keeps_the_others(tmp_path):
    # Python refuses to read integers of more than 4300 digits (a ValueError, not bad JSON).
    path = three_lines(tmp_path, '{"id": "W2", "cited_by_count": ' + "9" * 5000 + "}")

    _, err = run(path)

    assert f"{path}:2: bad JSON (Exceeds the limit (4300 digits)" in err
    assert set(Work.objects.values_list("openalex_id", flat=True)) == {"W1", "W3"}


def test_it_refuses_json_values_nested_deeper_than_it_can_write(tmp_path):
    stats: object = 1
    for _ in range(200):
        stats = {"deeper": stats}
    lines = [{"id": f"A{n}", "display_name": f"Author {n}"} for n in (1, 2, 3)]
    lines[1]["summary_stats"] = stats
    path = tmp_path / "authors.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))

    _, err = run(path)

    assert f"{path}:2: summary_stats: nested more than 100 levels deep" in err
    assert set(Author.objects.values_list("openalex_id", flat=True)) == {"A1", "A3"}


# Item 11: what was written before a failure is announced (a new corpus version).


def truncated_gz(path: Path) -> Path:
    data = gzip.compress(("\n".join(good_work(n) for n in range(10, 20)) + "\n").encode())
    path.write_bytes(data[: len(data) // 2])
    return path


def test_it_announces_the_files_written_before_a_later_one_fails(tmp_path):
    good = three_lines(tmp_path, good_work(2))
    broken = truncated_gz(tmp_path / "broken.jsonl.gz")

    with pytest.raises(CommandError, match="truncated or corrupt gzip"):
        run(good, broken)

    assert Work.objects.filter(openalex_id__in=["W1", "W2", "W3"]).count() == 3
    assert corpus_version() == 1


def test_it_announces_the_batches_written_before_a_failure_in_the_same_file(tmp_path):
    lines = "\n".join(good_work(n) for n in range(1000, 1700)) + "\n"
    data = gzip.compress(lines.encode(), compresslevel=0)  # stored: the cut falls late
    broken = tmp_path / "works.jsonl.gz"
    broken.write_bytes(data[: len(data) * 9 // 10])

    with pytest.raises(ImportFailed, match="truncated or corrupt gzip"):
        import_paths([broken])

    assert Work.objects.count() == 500  # the first batch
    assert corpus_version() == 1


def test_it_announces_the_files_kept_before_a_strict_failure(tmp_path):
    good = three_lines(tmp_path, good_work(2), name="first.jsonl")
    bad = three_lines(tmp_path, "{oops", name="second.jsonl")

    with pytest.raises(CommandError, match=rf"{re.escape(str(bad))}:2: bad JSON"):
        run("--strict", good, bad)

    assert Work.objects.count() == 3  # the first file's
    assert corpus_version() == 1


def test_it_announces_nothing_when_a_strict_failure_kept_nothing(tmp_path):
    # A batch of the file was written before the bad line, then rolled back with the file.
    bad = tmp_path / "works.jsonl"
    bad.write_text("".join(good_work(n) + "\n" for n in range(1000, 1600)) + "{oops\n")

    with pytest.raises(CommandError):
        run("--strict", bad)

    assert not Work.objects.exists()
    assert corpus_version() == 0


# Item 12: references of the wrong kind, empty folders, numbers that are not numbers.


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        pytest.param(
            {"authorships": [{"author": {"id": "https://openalex.org/I5", "display_name": "X"}}]},
            "authorships[0].author.id: 'https://openalex.org/I5' is not an author id",
            id="author-with-an-institution-id",
        ),
        pytest.param(
            {
                "authorships": [
                    {
                        "author": {"id": "A5", "display_name": "X"},
                        "institutions": [{"id": "A6", "display_name": "Y"}],
                    }
                ]
            },
            "authorships[0].institutions[0].id: 'A6' is not an institution id",
            id="institution-with-an-author-id",
        ),
        pytest.param(
            {"primary_location": {"source": {"id": "I5", "display_name": "X"}}},
            "primary_location.source.id: 'I5' is not a source id",
            id="source-with-an-institution-id",
        ),
        pytest.param(
            {"topics": [{"id": "S5", "display_name": "X"}]},
            "topics[0].id: 'S5' is not a topic id",
            id="topic-with-a-source-id",
        ),
        pytest.param(
            {"primary_topic": {"id": "W5", "display_name": "X"}},
            "primary_topic.id: 'W5' is not a topic id",
            id="primary-topic-with-a-work-id",
        ),
    ],
)
def test_it_rejects_a_reference_of_the_wrong_kind_in_a_work(tmp_path, fields, message):
    path = three_lines(tmp_path, work_line(**fields))

    _, err = run(path)

    assert f"{path}:2: {message}" in err
    assert set(Work.objects.values_list("openalex_id", flat=True)) == {"W1", "W3"}
    # No row of the wrong kind (nor of any kind) was made from the rejected line.
    for model in (Author, Institution, Source, Topic):
        assert not model.objects.exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        pytest.param(
            {"last_known_institutions": [{"id": "A9", "display_name": "X"}]},
            "last_known_institutions[0].id: 'A9' is not an institution id",
            id="2025",
        ),
        pytest.param(
            {"last_known_institution": {"id": "S9", "display_name": "X"}},
            "last_known_institution.id: 'S9' is not an institution id",
            id="2023",
        ),
    ],
)
def test_it_rejects_a_last_known_institution_of_the_wrong_kind(tmp_path, fields, message):
    path, err = three_authors(tmp_path, second=fields)

    assert f"{path}:2: {message}" in err
    assert set(Author.objects.values_list("openalex_id", flat=True)) == {"A1", "A3"}
    assert not Source.objects.exists() and not Institution.objects.exists()


def test_it_refuses_an_empty_folder(tmp_path):
    with pytest.raises(CommandError, match=rf"{re.escape(str(tmp_path))}: no data files"):
        run(tmp_path)


def test_it_refuses_a_folder_without_data_files_before_importing_anything(tmp_path):
    good = three_lines(tmp_path, good_work(2))
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "README.md").write_text("Not OpenAlex data.")

    with pytest.raises(CommandError, match=rf"{re.escape(str(notes))}: no data files"):
        run(good, notes)

    assert not Work.objects.exists()  # checked before the first file was read


@pytest.mark.parametrize(
    ("middle", "message"),
    [
        pytest.param(
            work_line(publication_year="abc"),
            "publication_year: 'abc' is not a whole number",
            id="year-as-text",
        ),
        pytest.param(
            work_line(publication_year=True),
            "publication_year: True is not a whole number",
            id="year-as-boolean",
        ),
        pytest.param(
            work_line(cited_by_count=True),
            "cited_by_count: True is not a whole number",
            id="count-as-boolean",
        ),
        pytest.param(
            work_line(cited_by_count=2.5),
            "cited_by_count: 2.5 is not a whole number",
            id="count-as-fraction",
        ),
        pytest.param(
            work_line(publication_date="2020-13-45"),
            "publication_date: '2020-13-45' is not a date",
            id="impossible-date",
        ),
        pytest.param(
            work_line(open_access={"is_oa": "yes"}),
            "open_access.is_oa: 'yes' is not true or false",
            id="is-oa-as-text",
        ),
        pytest.param(
            work_line(topics=[{"id": "T1", "display_name": "X", "score": "high"}]),
            "topics[0].score: 'high' is not a number",
            id="score-as-text",
        ),
        pytest.param(
            work_line(topics=[{"id": "T1", "display_name": "X", "score": 10**400}]),
            "topics[0].score: too large for a floating-point number",
            id="score-beyond-a-float",
        ),
        pytest.param(
            work_line(topics=[{"id": "T1", "display_name": "X", "score": float("nan")}]),
            "topics[0].score: nan is not a finite number",
            id="nan-score",
        ),
        pytest.param(
            work_line(topics=[{"id": "T1", "display_name": "X", "score": float("inf")}]),
            "topics[0].score: inf is not a finite number",
            id="infinite-score",
        ),
    ],
)
def test_it_reports_numbers_that_are_not_numbers(tmp_path, middle, message):
    path = three_lines(tmp_path, middle)

    out, err = run(path)

    assert f"{path}:2: {message}" in err
    assert set(Work.objects.values_list("openalex_id", flat=True)) == {"W1", "W3"}
    assert counts(out)["works"]["errors"] == 1


def test_it_reports_a_nan_in_an_authors_summary_stats(tmp_path):
    path = tmp_path / "authors.jsonl"
    path.write_text(
        '{"id": "A1", "display_name": "One"}\n'
        '{"id": "A2", "display_name": "Two", "summary_stats": {"2yr_mean_citedness": NaN}}\n'
        '{"id": "A3", "display_name": "Three"}\n'
    )

    _, err = run(path)

    assert f"{path}:2: summary_stats: nan is not a finite number" in err
    assert set(Author.objects.values_list("openalex_id", flat=True)) == {"A1", "A3"}


@pytest.mark.parametrize("position", [["first"], {"at": "first"}, 1])
def test_it_reads_an_author_position_that_is_not_text_as_unknown(tmp_path, position):
    # A list or an object used to end the import in a TypeError (unhashable in a set lookup).
    middle = work_line(authorships=[{"author": {"id": "A5"}, "author_position": position}])
    out, err = run(three_lines(tmp_path, middle))

    assert counts(out)["works"]["errors"] == 0
    assert Work.objects.count() == 3
    assert Work.objects.get(openalex_id="W2").authorships.get().position == ""
