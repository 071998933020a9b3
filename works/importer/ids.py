"""OpenAlex ids: a record's own, and those of the records it refers to."""

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from works.importer.normalize import ParseError

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


def short_id(value: Any) -> str:
    """ "https://openalex.org/A123" or "A123" -> "A123"; anything else raises ParseError."""
    if not isinstance(value, str):
        raise ParseError(f"id is {type(value).__name__}, not a string")
    return _short_id(value)


# Ids repeat across records (prolific authors, their institutions, a few thousand topics):
# remembered, they are not matched again. A bad id raises, and is never remembered. A record's
# own id, seen once, goes through identify instead and leaves this cache to the references.
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
    return identify(record_id)[0]


def identify(record_id: Any) -> tuple[str, str]:
    """(entity type, short id) of a record's own id."""
    if not isinstance(record_id, str):
        raise ParseError("no id" if record_id is None else "id is not a string")
    short = _short(record_id)
    if _SHORT_ID.fullmatch(short) and len(short) <= 32:
        return ENTITY_BY_LETTER.get(short[0], OTHER), short
    if _OTHER_ID.fullmatch(short):
        return OTHER, short
    raise ParseError(f"{record_id!r} is not an OpenAlex id")


def reference_id(item: dict[str, Any], entity: str, where: str) -> str:
    """The short id of a reference to one of `entity` (an authorship's author, a work's
    source, ...). An id of another kind is refused: it would become a row of the wrong kind
    (an "author" I123 with its own researcher page)."""
    try:
        return reference_of(item["id"], entity)
    except ParseError as exc:
        raise ParseError(f"{where}.{exc}") from None


def reference_of(raw_id: Any, entity: str) -> str:
    if isinstance(raw_id, str):
        return _string_reference(raw_id, entity)
    raise ParseError(f"id: id is {type(raw_id).__name__}, not a string")


# Remembered like short_id; a raised ParseError is not.
@lru_cache(maxsize=1 << 16)
def _string_reference(raw_id: str, entity: str) -> str:
    try:
        openalex_id = short_id(raw_id)
    except ParseError as exc:
        raise ParseError(f"id: {exc}") from None
    if ENTITY_BY_LETTER.get(openalex_id[0]) != entity:
        raise ParseError(f"id: {raw_id!r} is not {_ONE[entity]} id")
    return openalex_id


def located(where: str, make: Callable[..., Any], *args: Any) -> Any:
    """make(*args), its messages prefixed with where the value is ("topics[2].")."""
    try:
        return make(*args)
    except ParseError as exc:
        raise ParseError(f"{where}{exc}") from None
