"""OpenAlex records (2023 and 2025 shapes) turned into plain rows, with no database access.

Every function here takes what `json.loads` gave and returns the dataclasses of rows.py; a
record of the wrong shape raises `ParseError`.

This runs once per record of a snapshot (hundreds of millions), so it is written for speed:
a message's location ("authorships[3].institutions[0].id: ...") is only put together when a
record is refused, and the stubs a work makes of the authors, institutions, sources and topics
it names are remembered by the values they are made from, since those repeat across works.
"""

from collections.abc import Callable
from functools import lru_cache
from typing import Any

from works.importer.ids import (  # noqa: F401 (re-exported)
    ENTITY_BY_LETTER,
    ENTITY_ORDER,
    OTHER,
    entity_of,
    identify,
    located,
    reference_id,
    reference_of,
    short_id,
)
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
from works.importer.rows import (  # noqa: F401 (re-exported: the importer's modules read them here)
    SCALAR_FIELDS,
    AuthorRow,
    AuthorshipRow,
    InstitutionRow,
    Row,
    Skipped,
    SourceRow,
    TopicRow,
    WorkRow,
    WorkTopicRow,
    scalar_values,
)
from works.models import RESERVED_AUTHOR_IDS
from works.names import search_name_build

_POSITIONS = {"first", "middle", "last"}


def parse_record(record: Any, *, on_warning: Any = None) -> Row | Skipped:
    """One OpenAlex entity (a dict) as a row, or Skipped. `on_warning(text)` hears about data
    that was dropped without rejecting the record (an invalid ORCID)."""
    if not isinstance(record, dict):
        raise ParseError(f"expected a JSON object, got {type(record).__name__}")
    entity, openalex_id = identify(record.get("id"))
    if entity == OTHER:
        return Skipped(OTHER, "entity type not imported")
    warn = on_warning or _ignore
    match entity:
        case "institutions":
            return parse_institution(record, openalex_id)
        case "sources":
            return parse_source(record, openalex_id)
        case "topics":
            return parse_topic(record, openalex_id)
        case "authors":
            if openalex_id in RESERVED_AUTHOR_IDS:
                return Skipped("authors", "reserved author id")
            return parse_author(record, openalex_id, warn)
        case _:
            return parse_work(record, openalex_id, warn)


def _ignore(text: str) -> None:
    pass


def parse_institution(record: dict[str, Any], openalex_id: str) -> InstitutionRow:
    return InstitutionRow(
        openalex_id=openalex_id,
        display_name=_name(record, openalex_id),
        ror=_text(record.get("ror"), 64),
        country_code=_text(record.get("country_code"), 2),
        type=_text(record.get("type"), 50),
        homepage_url=_text(record.get("homepage_url"), 500),
        updated_date=parse_updated_date(record.get("updated_date")),
    )


def parse_source(record: dict[str, Any], openalex_id: str) -> SourceRow:
    return SourceRow(
        openalex_id=openalex_id,
        display_name=_name(record, openalex_id),
        type=_text(record.get("type"), 50),
        issn_l=_text(record.get("issn_l"), 9),
        updated_date=parse_updated_date(record.get("updated_date")),
    )


def parse_topic(record: dict[str, Any], openalex_id: str) -> TopicRow:
    return TopicRow(
        openalex_id=openalex_id,
        display_name=_name(record, openalex_id),
        subfield=_level_name(record, "subfield"),
        field=_level_name(record, "field"),
        domain=_level_name(record, "domain"),
        updated_date=parse_updated_date(record.get("updated_date")),
    )


def parse_author(record: dict[str, Any], openalex_id: str, warn: Any) -> AuthorRow:
    display_name = _name(record, openalex_id)
    alternatives = [_text(name, 500) for name in _list(record, "display_name_alternatives") if name]
    listed = _list(record, "last_known_institutions")
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
        last_known_institutions=_last_known_institutions(record, listed),
    )


def parse_work(record: dict[str, Any], openalex_id: str, warn: Any) -> WorkRow:
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
            located("primary_location.source.", _source_stub, source) if _has_id(source) else None
        ),
    )
    # Every place of the byline is kept, an author OpenAlex gives at two places too (its
    # disambiguation folded two printed names into one record): raw_author_name still says
    # who was printed at each.
    byline = _list(record, "authorships")
    work.byline_size = len(byline)
    authorships = work.authorships
    for order, authorship in enumerate(byline):
        if not isinstance(authorship, dict):
            raise ParseError(f"authorships[{order}] is not an object")
        author = authorship.get("author")
        if not (isinstance(author, dict) and author.get("id")):
            continue  # OpenAlex could not attribute this name to an author record
        try:
            place = _authorship(order, authorship, author, warn)
        except ParseError as exc:
            raise ParseError(f"authorships[{order}].{exc}") from None
        if place is None:
            work.reserved_authorships += 1
        else:
            authorships.append(place)
    work.topics = _work_topics(record)
    return work


def _authorship(
    order: int, authorship: dict[str, Any], author: dict[str, Any], warn: Any
) -> AuthorshipRow | None:
    """One place of a byline, None if it names a reserved author. Messages are relative to
    the place ("author.id: ..."): the caller says which place."""
    author_id = reference_id(author, "authors", "author")
    if author_id in RESERVED_AUTHOR_IDS:
        return None
    raw_name = _text(authorship.get("raw_author_name"), 500)
    position = authorship.get("author_position")
    institutions = _list(authorship, "institutions")
    return AuthorshipRow(
        order=order,
        author=_author_stub(author_id, author, raw_name, warn),
        # A list or an object would not even be looked up in the set (unhashable).
        position=position if type(position) is str and position in _POSITIONS else "",
        raw_author_name=raw_name,
        is_corresponding=flag(authorship.get("is_corresponding"), "is_corresponding"),
        institutions=_institution_stubs(institutions, "institutions"),
    )


def _work_topics(record: dict[str, Any]) -> list[WorkTopicRow]:
    primary = record.get("primary_topic")
    primary_id = reference_id(primary, "topics", "primary_topic") if _has_id(primary) else None
    topics: dict[str, WorkTopicRow] = {}
    # The primary topic is normally also in `topics`; add it when it is not.
    items = _list(record, "topics")
    for index, item in enumerate([*items, primary]):
        if not _has_id(item):
            continue
        where = f"topics[{index}]" if index < len(items) else "primary_topic"
        stub = located(f"{where}.", _topic_stub, item)
        if stub.openalex_id not in topics:
            topics[stub.openalex_id] = WorkTopicRow(
                topic=stub,
                score=finite_number(item.get("score"), f"{where}.score"),
                is_primary=stub.openalex_id == primary_id,
            )
    return list(topics.values())


# --- stubs: what a record says of the records it names -------------------------------------

# A stub's values by the raw values they are made from. A memo is emptied when full; raw
# values that cannot be a key (a list where a name should be) are not remembered. The rows
# are made anew from the values each time: the loaders rewrite rows (merged ids), so no two
# records may share one.
_MEMO_SIZE = 1 << 16
Memo = dict[tuple[Any, ...], tuple[str, ...]]
_institutions: Memo = {}
_sources: Memo = {}
_topics: Memo = {}


def _recall(memo: Memo, key: tuple[Any, ...], make: Callable[..., tuple[str, ...]]) -> Any:
    try:
        values = memo.get(key)
    except TypeError:  # unhashable
        return make(*key)
    if values is None:
        values = make(*key)
        # Only text is remembered: True == 1 == 1.0 as keys, but they read "True", "1", "1.0".
        if all(value is None or type(value) is str for value in key):
            if len(memo) >= _MEMO_SIZE:
                memo.clear()
            memo[key] = values
    return values


def _institution_stubs(items: list[Any], name: str) -> list[InstitutionRow]:
    """Stubs of the institutions of the list `name`, the first of each id."""
    stubs: dict[str, InstitutionRow] = {}
    for index, item in enumerate(items):
        if isinstance(item, dict) and item.get("id"):
            try:
                stub = _institution_stub(item)
            except ParseError as exc:
                raise ParseError(f"{name}[{index}].{exc}") from None
            stubs.setdefault(stub.openalex_id, stub)
    return list(stubs.values())


def _last_known_institutions(record: dict[str, Any], listed: list[Any]) -> list[InstitutionRow]:
    # 2025 records list the last known institutions; 2023 records name one.
    single = record.get("last_known_institution")
    if not listed and _has_id(single):
        return [located("last_known_institution.", _institution_stub, single)]
    return _institution_stubs(listed, "last_known_institutions")


def _institution_stub(item: dict[str, Any]) -> InstitutionRow:
    key = (
        item["id"],
        item.get("display_name"),
        item.get("ror"),
        item.get("country_code"),
        item.get("type"),
    )
    # The values are InstitutionRow's first fields, in order.
    return InstitutionRow(*_recall(_institutions, key, _institution_values))


def _institution_values(
    raw_id: Any, display_name: Any, ror: Any, country_code: Any, kind: Any
) -> tuple[str, ...]:
    openalex_id = reference_of(raw_id, "institutions")
    return (
        openalex_id,
        _text(display_name, 500) or openalex_id,
        _text(ror, 64),
        _text(country_code, 2),
        _text(kind, 50),
    )


def _source_stub(item: dict[str, Any]) -> SourceRow:
    key = (item["id"], item.get("display_name"), item.get("type"), item.get("issn_l"))
    return SourceRow(*_recall(_sources, key, _source_values))


def _source_values(raw_id: Any, display_name: Any, kind: Any, issn_l: Any) -> tuple[str, ...]:
    openalex_id = reference_of(raw_id, "sources")
    return openalex_id, _text(display_name, 500) or openalex_id, _text(kind, 50), _text(issn_l, 9)


def _topic_stub(item: dict[str, Any]) -> TopicRow:
    subfield, field, domain = item.get("subfield"), item.get("field"), item.get("domain")
    key = (
        item["id"],
        item.get("display_name"),
        subfield.get("display_name") if isinstance(subfield, dict) else None,
        field.get("display_name") if isinstance(field, dict) else None,
        domain.get("display_name") if isinstance(domain, dict) else None,
    )
    return TopicRow(*_recall(_topics, key, _topic_values))


def _topic_values(
    raw_id: Any, display_name: Any, subfield: Any, field: Any, domain: Any
) -> tuple[str, ...]:
    openalex_id = reference_of(raw_id, "topics")
    return (
        openalex_id,
        _text(display_name, 500) or openalex_id,
        _text(subfield, 255),
        _text(field, 255),
        _text(domain, 255),
    )


def _author_stub(author_id: str, item: dict[str, Any], raw_name: str, warn: Any) -> AuthorRow:
    display_name = _text(item.get("display_name"), 500) or raw_name or author_id
    return AuthorRow(
        openalex_id=author_id,
        display_name=display_name,
        orcid=normalize_orcid(item.get("orcid"), warn=warn, owner=author_id),
        search_name=_search_name(display_name),
    )


@lru_cache(maxsize=1 << 16)
def _search_name(display_name: str) -> str:
    return search_name_build(display_name, [])


# --- single values -------------------------------------------------------------------------


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


def _list(record: dict[str, Any], key: str) -> list[Any]:
    value = record.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise ParseError(f"{key} is not a list")
    return value


def _dict(record: dict[str, Any], key: str) -> dict[str, Any]:
    value = record.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ParseError(f"{key} is not an object")
    return value
