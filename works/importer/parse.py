"""OpenAlex records (2023 and 2025 shapes) turned into plain rows, with no database access.

Every function here takes what `json.loads` gave and returns dataclasses whose scalar fields
are ready for the model of the same name; a record of the wrong shape raises `ParseError`.
"""

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from works.importer.normalize import (
    ParseError,
    finite_number,
    flag,
    normalize_doi,
    normalize_orcid,
    parse_date,
    parse_updated_date,
    rebuild_abstract,
    whole_number,
)
from works.models import RESERVED_AUTHOR_IDS
from works.names import search_name_build

OPENALEX_PREFIX = "https://openalex.org/"

# The entity types we import, keyed by the letter their ids start with, in load order:
# institutions, sources and topics first so that authors and works find them.
ENTITY_BY_LETTER = {
    "I": "institutions",
    "S": "sources",
    "T": "topics",
    "A": "authors",
    "W": "works",
}
ENTITY_ORDER = ("institutions", "sources", "topics", "authors", "works")
OTHER = "other"
_ONE = {
    "institutions": "an institution",
    "sources": "a source",
    "topics": "a topic",
    "authors": "an author",
    "works": "a work",
}

# A letter then digits ("A5023888391"); letters may come between (the demo's "ADEMO0001").
_SHORT_ID = re.compile(r"[A-Z][A-Z0-9]*[0-9]")
# Ids of entity types we do not import: concepts C123, keywords/..., fields/12, domains/3, ...
_OTHER_ID = re.compile(r"[a-z][a-z_-]*/[^/\s]+")
_POSITIONS = {"first", "middle", "last"}


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


def short_id(value: Any) -> str:
    """ "https://openalex.org/A123" or "A123" -> "A123"; anything else raises ParseError."""
    if not isinstance(value, str):
        raise ParseError(f"id is {type(value).__name__}, not a string")
    return _short_id(value)


# Ids repeat across records (prolific authors, their institutions, a few thousand topics):
# remembered, they are not matched again. A bad id raises, and is never remembered.
@lru_cache(maxsize=1 << 16)
def _short_id(value: str) -> str:
    short = _short(value)
    # The id columns hold at most 32 characters.
    if not _SHORT_ID.fullmatch(short) or len(short) > 32:
        raise ParseError(f"{value!r} is not an OpenAlex id")
    return short


def _short(value: str) -> str:
    short = value.removeprefix(OPENALEX_PREFIX).strip()
    # The API takes "w123" for "W123".
    return short.upper() if short[:1].islower() and short[1:].isdigit() else short


def entity_of(record_id: Any) -> str:
    """The entity type an id belongs to: one of ENTITY_ORDER, or OTHER for types we skip."""
    if not isinstance(record_id, str):
        raise ParseError("no id" if record_id is None else "id is not a string")
    short = _short(record_id)
    if _SHORT_ID.fullmatch(short) and len(short) <= 32:
        return ENTITY_BY_LETTER.get(short[0], OTHER)
    if _OTHER_ID.fullmatch(short):
        return OTHER
    raise ParseError(f"{record_id!r} is not an OpenAlex id")


def parse_record(record: Any, *, on_warning: Any = None) -> Row | Skipped:
    """One OpenAlex entity (a dict) as a row, or Skipped. `on_warning(text)` hears about data
    that was dropped without rejecting the record (an invalid ORCID)."""
    if not isinstance(record, dict):
        raise ParseError(f"expected a JSON object, got {type(record).__name__}")
    entity = entity_of(record.get("id"))
    if entity == OTHER:
        return Skipped(OTHER, "entity type not imported")
    warn = on_warning or (lambda text: None)
    match entity:
        case "institutions":
            return parse_institution(record)
        case "sources":
            return parse_source(record)
        case "topics":
            return parse_topic(record)
        case "authors":
            if short_id(record["id"]) in RESERVED_AUTHOR_IDS:
                return Skipped("authors", "reserved author id")
            return parse_author(record, warn)
        case _:
            return parse_work(record, warn)


def parse_institution(record: dict[str, Any]) -> InstitutionRow:
    return InstitutionRow(
        openalex_id=short_id(record.get("id")),
        display_name=_name(record, short_id(record.get("id"))),
        ror=_text(record.get("ror"), 64),
        country_code=_text(record.get("country_code"), 2),
        type=_text(record.get("type"), 50),
        homepage_url=_text(record.get("homepage_url"), 500),
        updated_date=parse_updated_date(record.get("updated_date")),
    )


def parse_source(record: dict[str, Any]) -> SourceRow:
    return SourceRow(
        openalex_id=short_id(record.get("id")),
        display_name=_name(record, short_id(record.get("id"))),
        type=_text(record.get("type"), 50),
        issn_l=_text(record.get("issn_l"), 9),
        updated_date=parse_updated_date(record.get("updated_date")),
    )


def parse_topic(record: dict[str, Any]) -> TopicRow:
    return TopicRow(
        openalex_id=short_id(record.get("id")),
        display_name=_name(record, short_id(record.get("id"))),
        subfield=_level_name(record, "subfield"),
        field=_level_name(record, "field"),
        domain=_level_name(record, "domain"),
        updated_date=parse_updated_date(record.get("updated_date")),
    )


def parse_author(record: dict[str, Any], warn: Any) -> AuthorRow:
    openalex_id = short_id(record.get("id"))
    display_name = _name(record, openalex_id)
    alternatives = [_text(name, 500) for name in _list(record, "display_name_alternatives") if name]
    # 2025 records list the last known institutions; 2023 records name one.
    institutions = _listed(record, "last_known_institutions")
    if not institutions and isinstance(record.get("last_known_institution"), dict):
        institutions = [("last_known_institution", record["last_known_institution"])]
    summary_stats = record.get("summary_stats")
    return AuthorRow(
        openalex_id=openalex_id,
        display_name=display_name,
        orcid=normalize_orcid(record.get("orcid"), warn=warn, owner=openalex_id),
        display_name_alternatives=alternatives,
        search_name=search_name_build(display_name, alternatives),
        works_count=_count(record, "works_count"),
        cited_by_count=_count(record, "cited_by_count"),
        summary_stats=summary_stats if isinstance(summary_stats, dict) else {},
        updated_date=parse_updated_date(record.get("updated_date")),
        last_known_institutions=_unique(
            _institution_stub(item, where) for where, item in institutions if _has_id(item)
        ),
    )


def parse_work(record: dict[str, Any], warn: Any) -> WorkRow:
    openalex_id = short_id(record.get("id"))
    open_access = _dict(record, "open_access")
    primary_location = _dict(record, "primary_location")
    source = primary_location.get("source")
    work = WorkRow(
        openalex_id=openalex_id,
        doi=normalize_doi(record.get("doi")),
        title=_text(record.get("title") or record.get("display_name"), None),
        abstract=rebuild_abstract(
            record.get("abstract_inverted_index") or record.get("abstract_inverted_index_v3")
        ),
        type=_text(record.get("type"), 50),
        publication_year=whole_number(record.get("publication_year"), "publication_year"),
        publication_date=parse_date(record.get("publication_date"), "publication_date"),
        is_oa=flag(open_access.get("is_oa"), "open_access.is_oa"),
        oa_status=_text(open_access.get("oa_status"), 20),
        cited_by_count=_count(record, "cited_by_count"),
        language=_text(record.get("language"), 10),
        updated_date=parse_updated_date(record.get("updated_date")),
        primary_source=(
            _source_stub(source, "primary_location.source") if _has_id(source) else None
        ),
    )
    # Every place of the byline is kept, an author OpenAlex gives at two places too (its
    # disambiguation folded two printed names into one record): raw_author_name still says
    # who was printed at each.
    byline = _list(record, "authorships")
    work.byline_size = len(byline)
    for order, authorship in enumerate(byline):
        if not isinstance(authorship, dict):
            raise ParseError(f"authorships[{order}] is not an object")
        author = authorship.get("author")
        if not _has_id(author):
            continue  # OpenAlex could not attribute this name to an author record
        where = f"authorships[{order}]"
        author_id = reference_id(author, "authors", f"{where}.author")
        if author_id in RESERVED_AUTHOR_IDS:
            work.reserved_authorships += 1
            continue
        raw_name = _text(authorship.get("raw_author_name"), 500)
        position = authorship.get("author_position")
        institutions = _listed(authorship, "institutions", where=f"{where}.institutions")
        work.authorships.append(
            AuthorshipRow(
                order=order,
                author=_author_stub(author, raw_name, warn, f"{where}.author"),
                position=position if position in _POSITIONS else "",
                raw_author_name=raw_name,
                is_corresponding=flag(
                    authorship.get("is_corresponding"), f"{where}.is_corresponding"
                ),
                institutions=_unique(
                    _institution_stub(item, item_where)
                    for item_where, item in institutions
                    if _has_id(item)
                ),
            )
        )
    work.topics = _work_topics(record)
    return work


def _work_topics(record: dict[str, Any]) -> list[WorkTopicRow]:
    primary = record.get("primary_topic")
    primary_id = reference_id(primary, "topics", "primary_topic") if _has_id(primary) else None
    topics: dict[str, WorkTopicRow] = {}
    # The primary topic is normally also in `topics`; add it when it is not.
    for where, item in [*_listed(record, "topics"), ("primary_topic", primary)]:
        if not _has_id(item):
            continue
        stub = _topic_stub(item, where)
        if stub.openalex_id not in topics:
            topics[stub.openalex_id] = WorkTopicRow(
                topic=stub,
                score=finite_number(item.get("score"), f"{where}.score"),
                is_primary=stub.openalex_id == primary_id,
            )
    return list(topics.values())


def reference_id(item: dict[str, Any], entity: str, where: str) -> str:
    """The short id of a reference to one of `entity` (an authorship's author, a work's
    source, ...). An id of another kind is refused: it would become a row of the wrong kind
    (an "author" I123 with its own researcher page)."""
    try:
        openalex_id = short_id(item["id"])
    except ParseError as exc:
        raise ParseError(f"{where}.id: {exc}") from None
    if ENTITY_BY_LETTER.get(openalex_id[0]) != entity:
        raise ParseError(f"{where}.id: {item['id']!r} is not {_ONE[entity]} id")
    return openalex_id


def _institution_stub(item: dict[str, Any], where: str) -> InstitutionRow:
    openalex_id = reference_id(item, "institutions", where)
    return InstitutionRow(
        openalex_id=openalex_id,
        display_name=_name(item, openalex_id),
        ror=_text(item.get("ror"), 64),
        country_code=_text(item.get("country_code"), 2),
        type=_text(item.get("type"), 50),
    )


def _source_stub(item: dict[str, Any], where: str) -> SourceRow:
    openalex_id = reference_id(item, "sources", where)
    return SourceRow(
        openalex_id=openalex_id,
        display_name=_name(item, openalex_id),
        type=_text(item.get("type"), 50),
        issn_l=_text(item.get("issn_l"), 9),
    )


def _topic_stub(item: dict[str, Any], where: str) -> TopicRow:
    openalex_id = reference_id(item, "topics", where)
    return TopicRow(
        openalex_id=openalex_id,
        display_name=_name(item, openalex_id),
        subfield=_level_name(item, "subfield"),
        field=_level_name(item, "field"),
        domain=_level_name(item, "domain"),
    )


def _author_stub(item: dict[str, Any], raw_name: str, warn: Any, where: str) -> AuthorRow:
    openalex_id = reference_id(item, "authors", where)
    display_name = _text(item.get("display_name"), 500) or raw_name or openalex_id
    return AuthorRow(
        openalex_id=openalex_id,
        display_name=display_name,
        orcid=normalize_orcid(item.get("orcid"), warn=warn, owner=openalex_id),
        search_name=search_name_build(display_name, []),
    )


def _unique(rows: Any) -> list[InstitutionRow]:
    by_id: dict[str, InstitutionRow] = {}
    for row in rows:
        by_id.setdefault(row.openalex_id, row)
    return list(by_id.values())


def _has_id(item: Any) -> bool:
    return isinstance(item, dict) and bool(item.get("id"))


def _name(record: dict[str, Any], fallback: str) -> str:
    return _text(record.get("display_name"), 500) or fallback


def _level_name(record: dict[str, Any], level: str) -> str:
    value = record.get(level)
    return _text(value.get("display_name"), 255) if isinstance(value, dict) else ""


def _text(value: Any, max_length: int | None) -> str:
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    # Clipped rather than rejected: one over-long name must not fail a batch of 500.
    return text[:max_length] if max_length else text


def _count(record: dict[str, Any], key: str) -> int:
    return whole_number(record.get(key), key) or 0


def _list(record: dict[str, Any], key: str, *, where: str | None = None) -> list[Any]:
    value = record.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise ParseError(f"{where or key} is not a list")
    return value


def _listed(record: dict[str, Any], key: str, *, where: str | None = None) -> list[tuple[str, Any]]:
    """[(where, item)] for the items of a list: "topics[0]", ... for the messages."""
    return [
        (f"{where or key}[{index}]", item)
        for index, item in enumerate(_list(record, key, where=where))
    ]


def _dict(record: dict[str, Any], key: str) -> dict[str, Any]:
    value = record.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ParseError(f"{key} is not an object")
    return value
