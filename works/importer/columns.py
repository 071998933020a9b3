"""Rows checked against what their columns accept, before a batch is written.

A value PostgreSQL refuses (a NUL in text, an integer beyond its column's range, NaN in
jsonb, ...) fails the whole batch it is in and names no record. So every value a parsed row
will write, its references' and authorships' included, is checked here first, and only its
own record is rejected. The limits come from the model fields (max_length and null, read at
each check; the integer range of the field's type on the database we write to), so a
migration that changes a column changes the check with it.
"""

import math
from collections.abc import Callable, Iterator
from datetime import date, datetime
from functools import cache, partial
from typing import Any

from django.db import connection, models

from works.importer.load import MODELS
from works.importer.normalize import ParseError, shown
from works.importer.parse import SCALAR_FIELDS, AuthorRow, Row, WorkRow
from works.models import Author, Authorship, Institution, Source, Topic, WorkTopic

# Deeper JSON than this is refused: json.dumps recurses per level, and a value it cannot write
# would fail its batch. OpenAlex's own objects (summary_stats) are one level deep.
MAX_JSON_DEPTH = 100

_AUTHORSHIP_FIELDS = ("order", "position", "raw_author_name", "is_corresponding")
_WORK_TOPIC_FIELDS = ("score", "is_primary")

Check = Callable[[Any, Any], str | None]  # (model field, value) -> what is wrong, or None


def check_row(entity: str, row: Row) -> None:
    """Raise ParseError("field: reason") for the first value of `row`, or of the rows it
    carries, that its column would refuse."""
    for prefix, model, names, part in _parts(entity, row):
        for name, field, check in _checks(model, names):
            value = getattr(part, name)
            if value is None:
                problem = None if field.null else "is missing"
            else:
                problem = check(field, value)
            if problem is not None:
                raise ParseError(f"{prefix}{name}: {problem}")


Part = tuple[str, type[models.Model], tuple[str, ...], Any]


def _parts(entity: str, row: Row) -> Iterator[Part]:
    """(prefix for messages, model, field names, object holding them) for the row and each
    row it carries. References are named by their id: their place in the record is not
    known here, and a duplicate reference is kept once."""
    yield "", MODELS[entity], SCALAR_FIELDS[entity], row
    if isinstance(row, AuthorRow):
        for institution in row.last_known_institutions:
            prefix = f"last_known_institutions[{institution.openalex_id}]."
            yield prefix, Institution, SCALAR_FIELDS["institutions"], institution
    elif isinstance(row, WorkRow):
        if row.primary_source:
            source = row.primary_source
            yield "primary_location.source.", Source, SCALAR_FIELDS["sources"], source
        for authorship in row.authorships:
            prefix = f"authorships[{authorship.order}]."
            yield prefix, Authorship, _AUTHORSHIP_FIELDS, authorship
            yield f"{prefix}author.", Author, SCALAR_FIELDS["authors"], authorship.author
            for institution in authorship.institutions:
                yield (
                    f"{prefix}institutions[{institution.openalex_id}].",
                    Institution,
                    SCALAR_FIELDS["institutions"],
                    institution,
                )
        for topic in row.topics:
            prefix = f"topics[{topic.topic.openalex_id}]."
            yield prefix, WorkTopic, _WORK_TOPIC_FIELDS, topic
            yield prefix, Topic, SCALAR_FIELDS["topics"], topic.topic


@cache
def _checks(model: type[models.Model], names: tuple[str, ...]) -> tuple[Any, ...]:
    """(name, field, check) per column, worked out once: a batch checks thousands of values."""
    return tuple(
        (name, field, _check_for(field))
        for name in names
        for field in (model._meta.get_field(name),)
    )


def _check_for(field: models.Field) -> Check:
    """The check for a column's kind. A kind with no check here is a bug to fix here, not a
    value to let through unchecked."""
    kind = field.get_internal_type()  # "CharField" for a URLField too, and so on
    if kind in connection.ops.integer_field_ranges:
        return partial(_integer, bounds=connection.ops.integer_field_range(kind))
    if kind not in _CHECKS:
        raise TypeError(f"the importer has no check for {kind} columns ({field})")
    return _CHECKS[kind]


def _text(field: Any, value: Any) -> str | None:
    # The common case first, in one go: short enough, ASCII and without NUL.
    if (
        type(value) is str
        and value.isascii()
        and "\x00" not in value
        and (field.max_length is None or len(value) <= field.max_length)
    ):
        return None
    if not isinstance(value, str):
        return f"is {type(value).__name__}, not text"
    if field.max_length is not None and len(value) > field.max_length:
        return f"is {len(value)} characters long, more than the column's {field.max_length}"
    return _string(value)


def _string(value: str) -> str | None:
    if "\x00" in value:
        return "contains a NUL character, which PostgreSQL text cannot hold"
    if value.isascii():  # most are, and need no encoding to know
        return None
    try:
        value.encode()
    except UnicodeEncodeError:  # "\ud800" reads as JSON but is no character
        return "is not valid Unicode (a lone surrogate)"
    return None


def _integer(field: Any, value: Any, *, bounds: tuple[int | None, int | None]) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return f"{shown(value)} is not a whole number"
    low, high = bounds
    if (low is not None and value < low) or (high is not None and value > high):
        return f"{shown(value)} is out of range ({low} to {high})"
    return None


def _float(field: Any, value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return f"{shown(value)} is not a number"
    if isinstance(value, float) and not math.isfinite(value):
        return f"{value} is not a finite number"
    return None


def _boolean(field: Any, value: Any) -> str | None:
    return None if isinstance(value, bool) else f"{shown(value)} is not true or false"


def _date(field: Any, value: Any) -> str | None:
    if isinstance(value, date) and not isinstance(value, datetime):
        return None
    return f"{shown(value)} is not a date"


def _json(field: Any, value: Any) -> str | None:
    """What jsonb refuses (NUL, NaN, lone surrogates) and what is nested too deeply, looked
    for without recursion: the value may be as deep as the line was."""
    if not value:  # {} and [], what most records hold
        return None
    pending = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, dict | list) and depth > MAX_JSON_DEPTH:
            return f"nested more than {MAX_JSON_DEPTH} levels deep"
        problem = None
        if isinstance(item, str):
            problem = _string(item)
        elif isinstance(item, float) and not math.isfinite(item):
            problem = f"{item} is not a finite number"
        elif isinstance(item, dict):
            problem = next(filter(None, map(_string, item)), None)
            pending.extend((child, depth + 1) for child in item.values())
        elif isinstance(item, list):
            pending.extend((child, depth + 1) for child in item)
        if problem is not None:
            return problem
    return None


_CHECKS: dict[str, Check] = {
    "CharField": _text,
    "TextField": _text,
    "BooleanField": _boolean,
    "FloatField": _float,
    "DateField": _date,
    "JSONField": _json,
}
