"""The parser remembers the stubs it makes (authors, institutions, sources, topics) by the raw
values they come from: what it remembers must never change what a record gives."""

from works.importer.parse import parse_record


def work(n: int, **institution: object) -> dict:
    return {
        "id": f"W{n}",
        "authorships": [
            {
                "author": {"id": "A1", "display_name": "Ada", "orcid": "0000-0002-1825-0098"},
                "institutions": [{"id": "I1", **institution}],
            }
        ],
    }


def test_it_gives_each_record_rows_of_its_own():
    first = parse_record(work(1, display_name="Uni"))
    second = parse_record(work(2, display_name="Uni"))
    # A loader rewrites a row (a merged id): that must not reach another record's row.
    first.authorships[0].institutions[0].openalex_id = "I9"
    assert second.authorships[0].institutions[0].openalex_id == "I1"
    assert second.authorships[0].author is not first.authorships[0].author


def test_it_tells_values_of_different_types_apart():
    # True == 1 == 1.0 as keys, but they read differently.
    names = [
        parse_record(work(n, display_name=value)).authorships[0].institutions[0].display_name
        for n, value in enumerate([1, True, 1.0, "1"])
    ]
    assert names == ["1", "True", "1.0", "1"]


def test_it_warns_about_an_invalid_orcid_in_every_record():
    warnings: list[str] = []
    for n in range(3):
        parse_record(work(n), on_warning=warnings.append)
    assert warnings == ["A1: invalid ORCID '0000-0002-1825-0098' dropped"] * 3
