"""What to generate (CorpusSpec) and what was generated (CorpusReport, OUT/generated.json)."""

import json
from dataclasses import asdict, dataclass, field, replace
from typing import Any

# Goes up whenever the same spec would give other records: cached corpora are keyed by it.
GENERATOR_VERSION = 1


@dataclass(frozen=True)
class CorpusSpec:
    works: int
    authors: int | None = None  # default: works / 2
    seed: int = 1
    institutions: int | None = None  # default: works / 1,000, at least 10
    sources: int | None = None  # default: works / 500, at least 5
    topics: int | None = None  # default: works / 20, between 20 and 4,516 (as in OpenAlex)
    updated: float = 0.1  # share of the records with a newer version in the later partition
    deleted: float = 0.005  # share of the works withdrawn
    merged: float = 0.005  # share of the authors that are a duplicate record, merged away
    max_authors: int = 3000
    part_size: int = 100_000
    compresslevel: int = 1  # gzip: fast; 6 (OpenAlex's) is 20% smaller and twice as slow
    base_date: str = "2025-06-01"
    later_date: str = "2025-06-08"

    def resolved(self) -> "CorpusSpec":
        works = self.works
        return replace(
            self,
            authors=self.authors if self.authors is not None else max(works // 2, 10),
            institutions=self.institutions or max(10, works // 1000),
            sources=self.sources or max(5, works // 500),
            topics=self.topics or min(4516, max(20, works // 20)),
        )


@dataclass
class CorpusReport:
    spec: dict[str, Any]
    generator_version: int = GENERATOR_VERSION
    records: dict[str, dict[str, int]] = field(default_factory=dict)  # entity -> date -> n
    deleted_ids: int = 0  # ids in works/deleted_ids.csv
    deleted_present: int = 0  # of them, works in the base partition
    merged_ids: int = 0  # rows of merged_ids/authors/
    authorships: int = 0  # of the works not withdrawn, as first written
    largest_team: int = 0
    elapsed: float = 0.0

    def as_json(self) -> str:
        fields = {key: value for key, value in asdict(self).items() if key != "elapsed"}
        return json.dumps(fields, indent=2, sort_keys=True) + "\n"
