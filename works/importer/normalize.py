"""Normalising single OpenAlex values: abstracts, DOIs, ORCIDs, names for search, dates."""

from datetime import date
from typing import Any

from works.orcid import orcid_normalize


class ParseError(ValueError):
    """The record is not of a shape the importer can read; the message says why."""


def rebuild_abstract(inverted_index: Any) -> str:
    """{"word": [positions]} -> the text, words in position order joined by single spaces."""
    if not inverted_index:
        return ""
    if not isinstance(inverted_index, dict):
        raise ParseError("abstract_inverted_index is not an object")
    try:
        # Positions are normally exactly 0..n-1: place the words in a list of n slots
        # (no sort); gaps, if any, are skipped.
        slots: list[str | None] = [None] * sum(map(len, inverted_index.values()))
        for word, positions in inverted_index.items():
            for position in positions:
                if position < 0:  # would count from the end of the list
                    raise IndexError(position)
                slots[position] = word
    except (TypeError, IndexError):
        return _rebuild_sparse(inverted_index)
    return " ".join(word for word in slots if word is not None)


def _rebuild_sparse(inverted_index: dict[str, Any]) -> str:
    placed: dict[int, str] = {}
    for word, positions in inverted_index.items():
        if not isinstance(positions, list):
            raise ParseError(f"abstract_inverted_index[{word!r}] is not a list")
        for position in positions:
            if not isinstance(position, int) or position < 0:
                raise ParseError(f"abstract_inverted_index[{word!r}] has position {position!r}")
            placed[position] = word
    return " ".join(placed[position] for position in sorted(placed))


def normalize_doi(value: Any) -> str:
    if not isinstance(value, str):
        return ""
    doi = value.strip().lower()
    for prefix in ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/",
                   "http://dx.doi.org/", "doi:"):  # fmt: skip
        doi = doi.removeprefix(prefix)
    return doi if len(doi) <= 255 else ""


def normalize_orcid(value: Any, *, warn: Any, owner: str) -> str:
    """A valid ORCID as "0000-0002-1825-0097", or "" (with a warning) for an invalid one."""
    if not value:
        return ""
    orcid = orcid_normalize(str(value))
    if orcid is None:
        warn(f"{owner}: invalid ORCID {value!r} dropped")
        return ""
    return orcid


def parse_updated_date(value: Any) -> date | None:
    """ "2025-06-20T05:04:31.123456" or "2025-06-20" -> date; a bad value rejects the record."""
    if value is None:
        return None
    parsed = date_or_none(value)
    if parsed is None:
        raise ParseError(f"updated_date {value!r} is not a date")
    return parsed


def date_or_none(value: Any) -> date | None:
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None
