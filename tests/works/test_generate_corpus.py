"""`generate_corpus`: a synthetic OpenAlex snapshot that the real importer takes whole, the
same bytes for the same seed, and skewed like OpenAlex (a few prolific authors, big teams)."""

import csv
import gzip
import io
import json
import statistics
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from works.importer import import_paths
from works.models import Author, Authorship, DeletedWork, Institution, MergedId, Source, Topic, Work

ARGS = ["--works", "300", "--authors", "200", "--seed", "7", "--part-size", "120"]
BASE, LATER = "2025-06-01", "2025-06-08"
URL = "https://openalex.org/"


def generate(out: Path, *args: str) -> str:
    stdout = io.StringIO()
    call_command("generate_corpus", str(out), *args, stdout=stdout, stderr=io.StringIO())
    return stdout.getvalue()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("corpus")
    generate(out, *ARGS)
    return out


def records(out: Path, entity: str, day: str) -> list[dict]:
    found = []
    for part in sorted((out / "data" / entity / f"updated_date={day}").glob("part_*.gz")):
        with gzip.open(part, "rt", encoding="utf-8") as lines:
            found += [json.loads(line) for line in lines]
    return found


def short(openalex_id: str) -> str:
    return openalex_id.removeprefix(URL)


def deleted_ids(out: Path) -> set[str]:
    rows = list(csv.reader((out / "data/works/deleted_ids.csv").open()))
    assert rows[0] == ["id"]
    return {row[0] for row in rows[1:]}


def merged_ids(out: Path) -> dict[str, str]:
    with gzip.open(out / f"data/merged_ids/authors/{LATER}.csv.gz", "rt") as text:
        rows = list(csv.reader(text))
    assert rows[0] == ["merge_date", "id", "merge_into_id"]
    return {old: new for _, old, new in rows[1:]}


def files(out: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(out)): path.read_bytes()
        for path in sorted(out.rglob("*"))
        if path.is_file()
    }


def test_it_writes_the_official_layout_in_parts_with_manifests(corpus):
    works = corpus / "data" / "works"
    assert sorted(path.name for path in (works / f"updated_date={BASE}").iterdir()) == [
        "part_000.gz",
        "part_001.gz",
        "part_002.gz",
    ]
    for entity in ("works", "authors", "institutions", "sources", "topics"):
        manifest = json.loads((corpus / "data" / entity / "manifest").read_text())
        for entry in manifest["entries"]:
            relative = entry["url"].removeprefix("s3://openalex/")
            path = corpus / relative
            with gzip.open(path) as lines:
                count = sum(1 for _ in lines)
            assert entry["meta"] == {
                "content_length": path.stat().st_size,
                "record_count": count,
            }
            assert count <= 120
        assert manifest["meta"]["record_count"] == sum(
            entry["meta"]["record_count"] for entry in manifest["entries"]
        )
    topic = records(corpus, "topics", BASE)[0]
    assert {"subfield", "field", "domain"} <= set(topic)
    institution = records(corpus, "institutions", BASE)[0]
    assert institution["homepage_url"].startswith("https://")
    assert institution["ror"].startswith("https://ror.org/0")
    work = next(w for w in records(corpus, "works", BASE) if w["abstract_inverted_index"])
    assert all(isinstance(at, list) for at in work["abstract_inverted_index"].values())


@pytest.mark.django_db
def test_the_importer_takes_it_whole(corpus):
    summary = import_paths([corpus])

    assert summary.errors == 0
    assert summary.problems == []
    spec = json.loads((corpus / "generated.json").read_text())["spec"]
    assert Institution.objects.count() == spec["institutions"]
    assert Source.objects.count() == spec["sources"]
    assert Topic.objects.count() == spec["topics"]
    # Withdrawn works are gone and remembered, with the ids the snapshot never had.
    deleted = deleted_ids(corpus)
    base_works = {short(w["id"]) for w in records(corpus, "works", BASE)}
    assert len(base_works) == 300
    assert 0 < len(deleted & base_works) < len(deleted)
    stored = set(Work.objects.values_list("openalex_id", flat=True))
    assert stored == base_works - deleted
    assert set(DeletedWork.objects.values_list("openalex_id", flat=True)) == deleted
    # Merged-away author ids: no record of their own, their authorships on the surviving one.
    merged = merged_ids(corpus)
    assert merged
    assert set(MergedId.objects.values_list("old_id", "new_id")) == set(merged.items())
    assert not Author.objects.filter(openalex_id__in=merged).exists()
    assert Author.objects.count() == 200 - len(merged)
    # Every work at its newest version: the later partition's numbers, merged ids folded.
    latest = {short(w["id"]): w for w in records(corpus, "works", BASE)}
    later = records(corpus, "works", LATER)
    assert later
    latest |= {short(w["id"]): w for w in later}
    expected = set()
    for work_id, work in latest.items():
        if work_id not in deleted:
            for authorship in work["authorships"]:
                author = short(authorship["author"]["id"])
                expected.add((work_id, merged.get(author, author)))
    assert set(Authorship.objects.values_list("work__openalex_id", "author__openalex_id")) == (
        expected
    )
    for work in later:
        row = Work.objects.get(openalex_id=short(work["id"]))
        assert (row.cited_by_count, str(row.updated_date)) == (work["cited_by_count"], LATER)
    for author in records(corpus, "authors", LATER):
        row = Author.objects.get(openalex_id=short(author["id"]))
        assert row.works_count == author["works_count"]
        assert row.display_name_alternatives == author["display_name_alternatives"]

    again = import_paths([corpus])

    assert (again.created, again.updated, again.errors) == (0, 0, 0)


def test_the_same_arguments_give_the_same_bytes(corpus, tmp_path):
    generate(tmp_path / "again", *ARGS)
    generate(tmp_path / "other", *ARGS[:-4], "--seed", "8", "--part-size", "120")

    assert files(tmp_path / "again") == files(corpus)
    part = f"data/works/updated_date={BASE}/part_000.gz"
    assert files(tmp_path / "other")[part] != files(corpus)[part]


def test_it_is_skewed_like_openalex(corpus):
    works = records(corpus, "works", BASE)
    team_sizes = [len(work["authorships"]) for work in works]
    per_author = Counter(short(a["author"]["id"]) for work in works for a in work["authorships"])

    # Every author id has a work; the most prolific has many times the median's.
    assert len(per_author) == 200
    assert max(per_author.values()) >= 8 * statistics.median(per_author.values())
    # Most teams are 1 to 10 people; a few are far larger.
    assert sum(size <= 10 for size in team_sizes) >= 0.85 * len(works)
    assert max(team_sizes) >= 100


def test_it_refuses_to_write_over_a_snapshot(corpus):
    with pytest.raises(CommandError, match="already there"):
        generate(corpus, *ARGS)
