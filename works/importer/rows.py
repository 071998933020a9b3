"""The rows the parser makes of OpenAlex records: plain dataclasses whose scalar fields are
ready for the model of the same name (SCALAR_FIELDS), with no database access."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass(slots=True)
class InstitutionRow:
    openalex_id: str
    display_name: str
    ror: str = ""
    country_code: str = ""
    type: str = ""
    homepage_url: str = ""
    updated_date: date | None = None


@dataclass(slots=True)
class SourceRow:
    openalex_id: str
    display_name: str
    type: str = ""
    issn_l: str = ""
    updated_date: date | None = None


@dataclass(slots=True)
class TopicRow:
    openalex_id: str
    display_name: str
    subfield: str = ""
    field: str = ""
    domain: str = ""
    updated_date: date | None = None


@dataclass(slots=True)
class AuthorRow:
    openalex_id: str
    display_name: str
    orcid: str = ""
    display_name_alternatives: list[str] = field(default_factory=list)
    search_name: str = ""
    works_count: int = 0
    cited_by_count: int = 0
    summary_stats: dict[str, Any] = field(default_factory=dict)
    updated_date: date | None = None
    last_known_institutions: list[InstitutionRow] = field(default_factory=list)


@dataclass(slots=True)
class AuthorshipRow:
    order: int
    author: AuthorRow  # a stub: what the work says about the author
    position: str
    raw_author_name: str
    is_corresponding: bool
    institutions: list[InstitutionRow]


@dataclass(slots=True)
class WorkTopicRow:
    topic: TopicRow
    score: float | None
    is_primary: bool


@dataclass(slots=True)
class WorkRow:
    openalex_id: str
    doi: str = ""
    title: str = ""
    abstract: str = ""
    type: str = ""
    publication_year: int | None = None
    publication_date: date | None = None
    is_oa: bool = False
    oa_status: str = ""
    cited_by_count: int = 0
    language: str = ""
    updated_date: date | None = None
    byline_size: int = 0
    primary_source: SourceRow | None = None
    authorships: list[AuthorshipRow] = field(default_factory=list)
    topics: list[WorkTopicRow] = field(default_factory=list)
    reserved_authorships: int = 0  # authorships dropped because they name a reserved author


Row = InstitutionRow | SourceRow | TopicRow | AuthorRow | WorkRow

# The model fields each row type writes; the relations (institutions, authorships, ...) are
# loaded separately.
SCALAR_FIELDS: dict[str, tuple[str, ...]] = {
    "institutions": (
        "display_name", "ror", "country_code", "type", "homepage_url", "updated_date",
    ),
    "sources": ("display_name", "type", "issn_l", "updated_date"),
    "topics": ("display_name", "subfield", "field", "domain", "updated_date"),
    "authors": (
        "display_name", "orcid", "display_name_alternatives", "search_name", "works_count",
        "cited_by_count", "summary_stats", "updated_date",
    ),
    "works": (
        "doi", "title", "abstract", "type", "publication_year", "publication_date", "is_oa",
        "oa_status", "cited_by_count", "language", "updated_date", "byline_size",
    ),
}  # fmt: skip


@dataclass(slots=True)
class Skipped:
    """A record we read but do not import (another entity type, a reserved author)."""

    entity: str
    reason: str


def scalar_values(entity: str, row: Row) -> dict[str, Any]:
    return {name: getattr(row, name) for name in SCALAR_FIELDS[entity]}
