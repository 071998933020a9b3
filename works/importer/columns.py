"""Rows checked against what their columns accept, before a batch is written.

A value PostgreSQL refuses (a NUL in text, an integer beyond its column's range, NaN in
jsonb, ...) fails the whole batch it is in and names no record. So every value a parsed row
will write, its references' and authorships' included, is checked here first, and only its
own record is rejected. The limits come from the model fields (max_length and null, read at
each check; the integer range of the field's type on the database we write to), so a
migration that changes a column changes the check with it.
"""

import math
from collections.abc import Callable
from datetime import date, datetime
from functools import cache
from operator import attrgetter
from typing import Any

from django.db import connection, models

from works.importer.load import MODELS
from works.importer.normalize import ParseError, shown
from works.importer.parse import SCALAR_FIELDS, AuthorRow, InstitutionRow, Row, WorkRow
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
    problem = _problem(entity, row)
    if problem is not None:
        raise ParseError(problem)


def _problem(entity: str, row: Row) -> str | None:
    """ "field: reason" for the row, then each row it carries, in order. References are named
    by their id: their place in the record is not known here, and a duplicate reference is
    kept once. A message's prefix is only put together for a row that fails."""
    problem = _columns(MODELS[entity], SCALAR_FIELDS[entity]).problem(row)
    if problem is not None:
        return problem
    if isinstance(row, AuthorRow):
        return _institutions_problem(row.last_known_institutions, "last_known_institutions")
    if not isinstance(row, WorkRow):
        return None
    if row.primary_source:
        problem = _columns(Source, SCALAR_FIELDS["sources"]).problem(row.primary_source)
        if problem is not None:
            return f"primary_location.source.{problem}"
    authorships = _columns(Authorship, _AUTHORSHIP_FIELDS)
    authors = _columns(Author, SCALAR_FIELDS["authors"])
    for authorship in row.authorships:
        problem = authorships.problem(authorship)
        if problem is None and (problem := authors.problem(authorship.author)) is not None:
            problem = f"author.{problem}"
        if problem is None:
            problem = _institutions_problem(authorship.institutions, "institutions")
        if problem is not None:
            return f"authorships[{authorship.order}].{problem}"
    work_topics = _columns(WorkTopic, _WORK_TOPIC_FIELDS)
    topics = _columns(Topic, SCALAR_FIELDS["topics"])
    for work_topic in row.topics:
        problem = work_topics.problem(work_topic) or topics.problem(work_topic.topic)
        if problem is not None:
            return f"topics[{work_topic.topic.openalex_id}].{problem}"
    return None


def _institutions_problem(institutions: list[InstitutionRow], name: str) -> str | None:
    columns = _columns(Institution, SCALAR_FIELDS["institutions"])
    for institution in institutions:
        problem = columns.problem(institution)
        if problem is not None:
            return f"{name}[{institution.openalex_id}].{problem}"
    return None


class _Columns:
    """The checks of some columns of a model, worked out once: a batch checks thousands of
    values. The limits themselves (max_length, null) are read from the fields at each check."""

    def __init__(self, model: type[models.Model], names: tuple[str, ...]) -> None:
        self.checks = [
            (index, name, field, _check_for(field))
            for index, name in enumerate(names)
            for field in (model._meta.get_field(name),)
        ]
        self.values = attrgetter(*names) if len(names) > 1 else _one(attrgetter(*names))

    def problem(self, part: Any) -> str | None:
        """ "field: reason" for the first of the part's values its column would refuse."""
        return _first_problem(self.values(part), self.checks)


def _first_problem(values: tuple[Any, ...], checks: list[Any]) -> str | None:
    for index, name, field, check in checks:
        value = values[index]
        if value is None:
            if not field.null:
                return f"{name}: is missing"
            continue
        problem = check(field, value)
        if problem is not None:
            return f"{name}: {problem}"
    return None


def _one(getter: Callable[[Any], Any]) -> Callable[[Any], tuple[Any, ...]]:
    return lambda part: (getter(part),)


@cache
def _columns(model: type[models.Model], names: tuple[str, ...]) -> _Columns:
    return _Columns(model, names)


def _check_for(field: models.Field) -> Check:
    """The check for a column's kind. A kind with no check here is a bug to fix here, not a
    value to let through unchecked."""
    kind = field.get_internal_type()  # "CharField" for a URLField too, and so on
    if kind in connection.ops.integer_field_ranges:
        return _integer(connection.ops.integer_field_range(kind))
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


def _integer(bounds: tuple[int | None, int | None]) -> Check:
    low, high = bounds

    def check(field: Any, value: Any) -> str | None:
        if isinstance(value, bool) or not isinstance(value, int):
            return f"{shown(value)} is not a whole number"
        if (low is not None and value < low) or (high is not None and value > high):
            return f"{shown(value)} is out of range ({low} to {high})"
        return None

    return check


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
