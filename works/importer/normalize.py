"""Normalising single OpenAlex values: abstracts, DOIs, ORCIDs, dates, numbers and flags."""

import math
from datetime import date
from functools import lru_cache
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
    if None in slots:
        slots = [word for word in slots if word is not None]
    return " ".join(slots)


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
    orcid = _orcid(str(value))
    if orcid is None:
        warn(f"{owner}: invalid ORCID {value!r} dropped")
        return ""
    return orcid


# An author's ORCID comes with each of their works.
_orcid = lru_cache(maxsize=1 << 16)(orcid_normalize)


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


# Numbers, flags and dates that are not what they say are reported, never quietly turned into
# 0, None or True: a count of `true` or a year of "abc" is a broken record, not a missing value.


def whole_number(value: Any, where: str) -> int | None:
    """12 (or 12.0) -> 12; None stays None. Its range is the column's business (columns.py)."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    # bool is an int in Python: true would be stored as 1.
    if isinstance(value, bool) or not isinstance(value, int):
        raise ParseError(f"{where}: {shown(value)} is not a whole number")
    return value


def finite_number(value: Any, where: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ParseError(f"{where}: {shown(value)} is not a number")
    try:
        number = float(value)
    except OverflowError:  # an integer of hundreds of digits
        raise ParseError(f"{where}: too large for a floating-point number") from None
    # json.loads reads NaN and Infinity; they would sort and average as nonsense.
    if not math.isfinite(number):
        raise ParseError(f"{where}: {number} is not a finite number")
    return number


def flag(value: Any, where: str) -> bool:
    """true/false; None (OpenAlex's "not known") is false."""
    if value is None:
        return False
    if not isinstance(value, bool):
        raise ParseError(f"{where}: {shown(value)} is not true or false")
    return value


def parse_date(value: Any, where: str) -> date | None:
    """ "2023-11-30" (or a longer ISO timestamp) -> date; None and "" are no date."""
    if value is None or value == "":
        return None
    parsed = date_or_none(value)
    if parsed is None:
        raise ParseError(f"{where}: {shown(value)} is not a date")
    return parsed


def shown(value: Any, limit: int = 60) -> str:
    """A value as a message quotes it, cut short: a bad line may hold megabytes."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
