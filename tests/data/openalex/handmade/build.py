"""Writes the hand-made OpenAlex-shaped fixtures in this folder (run it after editing it):

    .venv/bin/python tests/data/openalex/handmade/build.py

Ids are short made-up ones (A21, W10, ...), never real OpenAlex ids. Records carry only the
fields the importer reads, in the 2025 shape unless a fixture is about the 2023 one.
"""

import gzip
import json
from pathlib import Path

HERE = Path(__file__).parent
URL = "https://openalex.org/"


def institution(short: str, name: str, updated: str | None = "2024-01-01", **extra) -> dict:
    record = {"id": URL + short, "display_name": name, "ror": f"https://ror.org/0{short.lower()}x"}
    record |= {"country_code": "GB", "type": "education", "updated_date": updated} | extra
    return record


def author(short: str, name: str, updated: str = "2024-01-01", **extra) -> dict:
    record = {"id": URL + short, "display_name": name, "orcid": None, "works_count": 1}
    return record | {"cited_by_count": 0, "updated_date": updated} | extra


def authorship(short: str, name: str, position: str, institutions=(), orcid=None, **extra) -> dict:
    return {
        "author_position": position,
        "author": {"id": URL + short, "display_name": name, "orcid": orcid},
        "institutions": [
            {
                "id": URL + i,
                "display_name": n,
                "ror": None,
                "country_code": "GB",
                "type": "education",
            }
            for i, n in institutions
        ],
        "is_corresponding": False,
        "raw_author_name": name,
    } | extra


def work(short: str, title: str, year: int | None, updated: str, authors: list, **extra) -> dict:
    return {
        "id": URL + short,
        "doi": None,
        "title": title,
        "display_name": title,
        "publication_year": year,
        "publication_date": f"{year}-03-01" if year else None,
        "type": "article",
        "primary_location": {"source": None},
        "open_access": {"is_oa": False, "oa_status": "closed"},
        "cited_by_count": 0,
        "language": "en",
        "authorships": authors,
        "abstract_inverted_index": None,
        "updated_date": updated,
    } | extra


def team(numbers: list[int]) -> list[dict]:
    """Authorships of authors A<n> named "Author <n>", first/middle/last as published."""
    last = len(numbers) - 1
    return [
        authorship(f"A{n}", f"Author {n}", "first" if i == 0 else "last" if i == last else "middle")
        for i, n in enumerate(numbers)
    ]


def write_jsonl(path: Path, records: list) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = (r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records)
    text = "\n".join(lines) + "\n"
    if path.suffix == ".gz":
        path.write_bytes(gzip.compress(text.encode(), mtime=0))
    else:
        path.write_text(text)


# One work with everything the importer reads: an abstract whose inverted index lists words
# out of position order (and repeats some), three authorships with positions, institutions
# on two of them, a venue, topics with a primary topic, a DOI URL in capitals.
FULL_WORK = work(
    "W1",
    "Reading inverted indexes",
    2023,
    "2024-05-02T10:11:12.345678",
    [
        authorship(
            "A1", "Ana Núñez", "first", [("I1", "University of Somewhere"), ("I2", "Lab B")]
        ),
        authorship("A2", "Bo Li", "middle"),
        authorship(
            "A3", "Chris Ode", "last", [("I1", "University of Somewhere")], is_corresponding=True
        ),
    ],
    doi="https://doi.org/10.1234/ABC.Def-5",
    publication_date="2023-11-30",
    primary_location={
        "source": {
            "id": URL + "S1",
            "display_name": "Journal One",
            "issn_l": "1234-5678",
            "type": "journal",
        }
    },
    open_access={"is_oa": True, "oa_status": "gold"},
    cited_by_count=7,
    abstract_inverted_index={
        "the": [5, 1],
        "words": [2],
        "Put": [0],
        "back": [3],
        "order.": [7],
        "in": [4],
        "right": [6],
    },
    primary_topic={
        "id": URL + "T2",
        "display_name": "Topic Two",
        "score": 0.9,
        "subfield": {"display_name": "Sub"},
        "field": {"display_name": "Field"},
        "domain": {"display_name": "Domain"},
    },
    topics=[
        {"id": URL + "T1", "display_name": "Topic One", "score": 0.5},
        {
            "id": URL + "T2",
            "display_name": "Topic Two",
            "score": 0.9,
            "subfield": {"display_name": "Sub"},
            "field": {"display_name": "Field"},
            "domain": {"display_name": "Domain"},
        },
    ],
)

# Co-authorship: five works, exact pair counts worked out in tests/works/test_coauthorship.py.
COAUTHOR_WORKS = [
    work(
        "W21",
        "One",
        2019,
        "2024-01-01",
        [*team([21, 22, 23]), authorship("A9999999999", "Nobody", "middle")],
    ),
    work(
        "W22", "Two", 2021, "2024-01-01", [*team([21, 22]), authorship("A22", "Author 22", "last")]
    ),
    work("W23", "Three", 2022, "2024-01-01", team([22, 23, 24])),
    work("W24", "Four", 2020, "2024-01-01", team([25])),
    work("W25", "Five", None, "2024-01-01", team([21, 24])),
]

# The same paper twice, as the arXiv v1 record (8 authors, one of whom, A19, is not on the
# published version) and later as the published record (11 authors, another order, 2022).
WISE_V1 = [
    work("W10", "Robust fine-tuning", 2021, "2021-09-05", team([11, 12, 14, 13, 15, 16, 19, 17])),
    work("W11", "Earlier paper", 2020, "2021-01-01", team([11, 12, 19])),
]
WISE_V2 = [
    work(
        "W10",
        "Robust fine-tuning",
        2022,
        "2022-06-20T05:04:31.123456",
        team([11, 12, 13, 14, 20, 21, 22, 15, 16, 23, 17]),
    ),
]
WISE_OLDER = [work("W10", "Robust fine-tuning (stale copy)", 2021, "2021-01-01", team([11]))]

# Works before their authors: stubs first, filled in by the author lines.
STUB_WORKS = [
    work(
        "W30",
        "Stub maker",
        2024,
        "2024-02-02",
        [
            authorship("A30", "P. Quill", "first", [("I30", "Stub Institute")]),
            authorship("A31", "R. Stone", "last", orcid="https://orcid.org/0000-0002-1694-233X"),
        ],
        primary_location={"source": {"id": URL + "S30", "display_name": "Stub Journal"}},
        topics=[{"id": URL + "T30", "display_name": "Stub Topic", "score": 0.7}],
    ),
]
STUB_AUTHORS = [
    author(
        "A30",
        "Penelope Quill",
        "2024-03-03T01:02:03",
        works_count=12,
        cited_by_count=40,
        display_name_alternatives=["P. Quill", "Pénélope Quill"],
        summary_stats={"h_index": 3, "i10_index": 1},
        last_known_institutions=[
            {"id": URL + "I30", "display_name": "Stub Institute"},
            {"id": URL + "I31", "display_name": "Second Home"},
        ],
    ),
    # The 2023 shape: one last_known_institution object.
    author(
        "A31",
        "Robin Stone",
        "2024-03-03",
        last_known_institution={
            "id": URL + "I30",
            "display_name": "Stub Institute",
            "country_code": "GB",
        },
    ),
]

# The two reserved authors as author lines and on a work.
RESERVED = [
    author("A9999999999", "No Author"),
    author("A5317838346", "Deleted Author"),
    author("A40", "Real Person"),
    work(
        "W40",
        "With placeholders",
        2024,
        "2024-01-01",
        [
            authorship("A5317838346", "Deleted Author", "first"),
            authorship("A40", "Real Person", "middle"),
            authorship("A9999999999", "No Author", "last"),
        ],
    ),
]

ORCIDS = [
    author("A50", "Valid Orcid", orcid="https://orcid.org/0000-0002-1825-0097"),
    author("A51", "Valid X Orcid", orcid="0000-0002-1694-233x"),
    author("A52", "Bad Checksum", orcid="https://orcid.org/0000-0002-1825-0098"),
    author("A53", "Not An Orcid", orcid="orcid please"),
]

# Lines 2, 3, 4 and 6 are bad in different ways; line 5 is blank, line 7 a concept.
BAD_LINES = [
    institution("I60", "Good Before"),
    '{"id": "https://openalex.org/W61", "title": "cut off',
    {"display_name": "No id at all"},
    work("W62", "Wrong shape", 2020, "2024-01-01", "not a list"),
    "",
    "42",
    {"id": URL + "C71924100", "display_name": "A concept"},
    institution("I63", "Good After"),
]

# A small snapshot in the official layout (see tests/works/test_import_snapshot.py).
SNAPSHOT = HERE / "snapshot" / "data"


def build_snapshot() -> None:
    parts = {
        "institutions/updated_date=2024-01-01/part_000.gz": [
            institution("I70", "Old Institute"),
            institution("I71", "Other Institute"),
        ],
        "authors/updated_date=2024-01-01/part_000.gz": [
            author("A70", "Seventy"),
            author("A71", "Seventy-One"),
            author("A72", "Seventy-Two"),
        ],
        "authors/updated_date=2024-03-01/part_000.gz": [
            author("A73", "Seventy-Three", "2024-03-01"),
            author("A72", "Seventy-Two Renamed", "2024-03-01"),
        ],
        "works/updated_date=2024-01-01/part_000.gz": [
            work("W70", "Kept", 2023, "2024-01-01", team([70, 71])),
            work("W71", "Withdrawn", 2023, "2024-01-01", team([70, 72])),
            work("W72", "Duplicate of W70", 2023, "2024-01-01", team([71, 72])),
        ],
        "works/updated_date=2024-03-01/part_0000.gz": [
            work("W73", "New in March", 2024, "2024-03-01", team([72, 73]))
        ],
        "concepts/updated_date=2024-01-01/part_000.gz": [
            {"id": URL + "C1", "display_name": "Not imported"}
        ],
    }
    for relative, records in parts.items():
        write_jsonl(SNAPSHOT / relative, records)

    def manifest(entries: list[tuple[str, int]]) -> str:
        lines = [
            f'    {{"url": "s3://openalex/data/{url}", "meta": {{"content_length": 1, '
            f'"record_count": {count}}}}}'
            for url, count in entries
        ]
        total = sum(count for _, count in entries)
        return (
            '{\n  "entries": [\n'
            + ",\n".join(lines)
            + f'\n  ],\n  "meta": {{"record_count": {total}}}\n}}\n'
        )

    # The works manifest is right about both local parts and lists one that is not here;
    # the authors manifest has a wrong count for its March part.
    (SNAPSHOT / "works" / "manifest").write_text(
        manifest(
            [
                ("works/updated_date=2024-01-01/part_000.gz", 3),
                ("works/updated_date=2024-03-01/part_0000.gz", 1),
                ("works/updated_date=2024-04-01/part_000.gz", 5000),
            ]
        )
    )
    (SNAPSHOT / "authors" / "manifest").write_text(
        manifest(
            [
                ("authors/updated_date=2024-01-01/part_000.gz", 3),
                ("authors/updated_date=2024-03-01/part_000.gz", 9),
            ]
        )
    )
    (SNAPSHOT / "works" / "deleted_ids.csv").write_text("id\nW71\nW79\n")
    merged = SNAPSHOT / "merged_ids"
    (merged / "authors").mkdir(parents=True, exist_ok=True)
    (merged / "works").mkdir(parents=True, exist_ok=True)
    (merged / "concepts").mkdir(parents=True, exist_ok=True)
    # A71 (here) folds into A70 (here); A75 (not here) is only remembered, as is the chain
    # A76 -> A77 -> A70.
    (merged / "authors" / "2024-03-02.csv.gz").write_bytes(
        gzip.compress(
            b"merge_date,id,merge_into_id\n2024-03-02,A71,A70\n2024-03-02,A75,A70\n"
            b"2024-03-02,A76,A77\n2024-03-02,A77,A70\n",
            mtime=0,
        )
    )
    (merged / "works" / "2024-03-02.csv").write_text(
        "merge_date,id,merge_into_id\n2024-03-02,W72,W70\n"
    )
    (merged / "concepts" / "2024-03-02.csv").write_text(
        "merge_date,id,merge_into_id\n2024-03-02,C2,C1\n"
    )


def main() -> None:
    write_jsonl(HERE / "full_work.jsonl", [FULL_WORK])
    write_jsonl(HERE / "coauthors.jsonl", COAUTHOR_WORKS)
    write_jsonl(HERE / "wise_ft_v1.jsonl", WISE_V1)
    write_jsonl(HERE / "wise_ft_v2.jsonl.gz", WISE_V2)
    write_jsonl(HERE / "wise_ft_older.jsonl", WISE_OLDER)
    write_jsonl(HERE / "stub_works.jsonl", STUB_WORKS)
    write_jsonl(HERE / "stub_authors.jsonl", STUB_AUTHORS)
    write_jsonl(HERE / "reserved.jsonl", RESERVED)
    write_jsonl(HERE / "orcids.jsonl", ORCIDS)
    write_jsonl(HERE / "bad_lines.jsonl", BAD_LINES)
    build_snapshot()


if __name__ == "__main__":
    main()
