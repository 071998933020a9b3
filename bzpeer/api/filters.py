"""OpenAlex's `filter=` syntax, turned into one Q: "key:value,key:value" (comma is AND),
"key:a|b" (OR inside one value), "key:a+b" (AND inside one value), "key:!a" (not), numbers
as "2020", "2020-2023", ">2019", "<2021". Each entity lists the keys it knows
(bzpeer/api/serializers/*) with one of the kinds below; the messages are OpenAlex's."""

import operator
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import reduce

from django.db.models import Q

from bzpeer.api.ids import IdError, ParsedId, id_parse
from bzpeer.api.responses import bad_request

MAX_ALTERNATIVES = 100  # OpenAlex allows up to 100 values OR'ed in one filter
_RANGE = re.compile(r"^(\d*)-(\d*)$")


@dataclass(frozen=True)
class Filter:
    """kind "id": build(list of ParsedId of `entity`) -> Q; "int", "text", "date": `field` is
    the ORM field (dates with `lookup`); "bool": build(bool) -> Q; "search": build(text) -> Q."""

    kind: str
    field: str = ""
    build: Callable[..., Q] | None = None
    entity: str = ""
    lookup: str = "exact"


def id_filter(entity: str, build: Callable[[list[ParsedId]], Q]) -> Filter:
    return Filter("id", build=build, entity=entity)


def _alternatives(key: str, value: str) -> list[tuple[bool, str]]:
    parts = value.split("|")
    if len(parts) > MAX_ALTERNATIVES:
        raise bad_request(f"Too many values for filter {key}: at most {MAX_ALTERNATIVES}.")
    out = []
    for part in parts:
        part = part.strip()
        negated = part.startswith("!")
        part = part.removeprefix("!").strip()
        if not part:
            raise bad_request(f"Value for filter {key} is empty.")
        out.append((negated, part))
    return out


def _number(key: str, text: str) -> int:
    if not text.isascii() or not text.isdigit() or len(text) > 12:
        raise bad_request(f"Value for param {key} must be a number.")
    return int(text)


def _int_q(key: str, field: str, text: str) -> Q:
    if text.startswith(">"):
        return Q(**{f"{field}__gt": _number(key, text[1:])})
    if text.startswith("<"):
        return Q(**{f"{field}__lt": _number(key, text[1:])})
    if match := _RANGE.match(text):
        low, high = match.groups()
        if not low and not high:
            raise bad_request(f"Value for param {key} must be a number.")
        q = Q()
        if low:
            q &= Q(**{f"{field}__gte": _number(key, low)})
        if high:
            q &= Q(**{f"{field}__lte": _number(key, high)})
        return q
    return Q(**{field: _number(key, text)})


def _bool(key: str, text: str) -> bool:
    if text.lower() not in ("true", "false"):
        raise bad_request(f"Value for param {key} must be true or false.")
    return text.lower() == "true"


def _date(key: str, text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise bad_request(f"Value for param {key} must be a date like 2020-01-31.") from None


def _one(key: str, spec: Filter, text: str) -> Q:
    """The condition of one alternative (without its "!")."""
    if spec.kind == "int":
        return _int_q(key, spec.field, text)
    if spec.kind == "text":
        return Q(**{f"{spec.field}__iexact": text})
    if spec.kind == "bool":
        return spec.build(_bool(key, text))
    if spec.kind == "date":
        return Q(**{f"{spec.field}__{spec.lookup}": _date(key, text)})
    if spec.kind == "search":
        return spec.build(text)
    try:
        return spec.build([id_parse(spec.entity, text)])
    except IdError as exc:
        raise bad_request(str(exc)) from None


def _value_q(key: str, spec: Filter, value: str) -> Q:
    alternatives = _alternatives(key, value)
    positives = [text for negated, text in alternatives if not negated]
    conditions = [~_one(key, spec, text) for negated, text in alternatives if negated]
    if spec.kind == "id" and positives:
        # One IN for all the ids of the value, rather than one subquery each.
        try:
            parsed = [id_parse(spec.entity, text) for text in positives]
        except IdError as exc:
            raise bad_request(str(exc)) from None
        conditions.append(spec.build(parsed))
    else:
        conditions += [_one(key, spec, text) for text in positives]
    return reduce(operator.or_, conditions)


def filter_parse(raw: str, known: dict[str, Filter]) -> Q:
    """The Q of a whole `filter=` value against an entity's known filters."""
    q = Q()
    for part in raw.split(","):
        if not part.strip():
            continue
        key, colon, value = part.partition(":")
        key = key.strip().lower().replace("-", "_")
        if not colon:
            raise bad_request(
                f"Invalid filter '{part[:100]}': a filter looks like filter=field:value."
            )
        if key not in known:
            raise bad_request(
                f"{key[:100]} is not a valid field. Valid fields are underscore or hyphenated "
                f"versions of: {', '.join(sorted(known))}"
            )
        spec = known[key]
        # "key:a+b" is AND inside one value (pyalex writes a list so); "+" arrives decoded as
        # a space. A search's words keep their spaces.
        terms = [value] if spec.kind == "search" else re.split(r"[+ ]+", value.strip())
        for term in terms:
            q &= _value_q(key, spec, term)
    return q
