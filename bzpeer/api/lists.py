"""List endpoints the way OpenAlex answers them: `filter`, `search`, `sort`, `per-page`,
`page` or `cursor`, `select`, and `{"meta": {...}, "results": [...]}`. Every page is a fixed
number of queries: a COUNT, the page's rows, then each serializer's batch reads."""

import operator
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import reduce

from django.db.models import F, Model, Q, QuerySet
from django.http import HttpRequest

from bzpeer.api.cursors import START, cursor_decode, cursor_encode, query_fingerprint
from bzpeer.api.filters import Filter, filter_parse
from bzpeer.api.responses import bad_request

DEFAULT_PER_PAGE = 25
MAX_PER_PAGE = 200
# OpenAlex's limit for basic paging; beyond it, cursors.
MAX_PAGED_RESULTS = 10_000
PAGING_LIMIT_MESSAGE = (
    "Maximum results size of 10,000 records is exceeded. Cursor pagination is required for "
    "records beyond 10,000. See https://docs.openalex.org/how-to-use-the-api/"
    "get-lists-of-entities/paginate-through-results"
)
PARAMETERS = {
    "filter", "search", "sort", "per-page", "per_page", "page", "cursor", "select",
    # What clients send to OpenAlex for its polite pool and premium keys: accepted, unused.
    "mailto", "api_key",
}  # fmt: skip


@dataclass(frozen=True)
class Entity:
    """One kind of record the API serves. `queryset` gives the public rows with what
    `serialize` reads from each row; `serialize` makes the records of a page of rows in a
    fixed number of queries. `sorts` name sortable values: an expression that is never NULL
    (keyset comparisons cannot order NULLs)."""

    name: str
    queryset: Callable[[], QuerySet]
    serialize: Callable[[list[Model], HttpRequest], list[dict]]
    lookup: Callable[[object], Q]  # a ParsedId -> the condition that finds the record
    filters: dict[str, Filter]
    search: Callable[[str], Q]
    sorts: dict[str, object] = field(default_factory=dict)
    # A single record's serializer when it shows more than a list's rows (a work's byline).
    serialize_one: Callable[[list[Model], HttpRequest], list[dict]] | None = None


def _int_param(name: str, raw: str | None, default: int) -> int:
    if raw is None or raw == "":
        return default
    if not raw.isascii() or not raw.isdigit() or len(raw) > 9:
        raise bad_request(f"Param {name} must be a number.")
    return int(raw)


def _sort_keys(entity: Entity, raw: str) -> list[tuple[str, object, bool]]:
    """(name, expression, descending) of each sort key, the primary key last as tie-break."""
    keys = []
    for part in filter(None, (p.strip() for p in raw.split(","))):
        name, _, direction = part.partition(":")
        name = name.strip().lower()
        if name == "relevance_score":
            continue  # no ranking here: the default order
        if name not in entity.sorts:
            valid = ", ".join(sorted(entity.sorts))
            raise bad_request(f"{name[:100]} is not a valid sort field. Valid fields: {valid}")
        if direction.lower() not in ("", "asc", "desc"):
            raise bad_request(f"Invalid sort direction '{direction[:20]}': use asc or desc.")
        keys.append((name, entity.sorts[name], direction.lower() == "desc"))
    return [*keys, ("pk", F("pk"), False)]


def _after(keys: list[tuple[str, object, bool]], values: list[object]) -> Q:
    """Rows strictly after `values` in the order of `keys` (lexicographic)."""
    branches = []
    for i, (_, _, desc) in enumerate(keys):
        equal = {f"_sort{j}": values[j] for j in range(i)}
        branches.append(Q(**equal, **{f"_sort{i}__{'lt' if desc else 'gt'}": values[i]}))
    return reduce(operator.or_, branches)


def _selected(records: list[dict], raw: str, allowed: list[str]) -> list[dict]:
    fields = [f.strip() for f in raw.split(",") if f.strip()]
    for name in fields:
        if name not in allowed:
            raise bad_request(
                f"{name[:100]} is not a valid select field. Valid fields for select are: "
                f"{', '.join(allowed)}."
            )
    return [{k: v for k, v in record.items() if k in fields} for record in records]


def select_fields(records: list[dict], request: HttpRequest) -> list[dict]:
    """`select=` (root-level fields only, as OpenAlex), applied to a list of records."""
    raw = request.GET.get("select")
    if not raw or not records:
        return records
    return _selected(records, raw, list(records[0]))


def _check_names(request: HttpRequest) -> None:
    for name in request.GET:
        if name not in PARAMETERS:
            raise bad_request(
                f"{name[:100]} is not a valid parameter. Valid parameters are: "
                f"{', '.join(sorted(PARAMETERS))}."
            )


def _paging(request: HttpRequest) -> tuple[int, int, str | None]:
    """per-page, page and cursor (None: basic paging), checked as OpenAlex checks them."""
    params = request.GET
    raw_per_page = params.get("per-page", params.get("per_page"))
    per_page = _int_param("per-page", raw_per_page, DEFAULT_PER_PAGE)
    if not 1 <= per_page <= MAX_PER_PAGE:
        raise bad_request(f"per-page parameter must be between 1 and {MAX_PER_PAGE}.")
    cursor = params.get("cursor")
    page = _int_param("page", params.get("page"), 1)
    if page < 1:
        raise bad_request("page parameter must be 1 or more.")
    if cursor is not None and "page" in params:
        raise bad_request("Cannot use page and cursor together: use one or the other.")
    if cursor is None and page * per_page > MAX_PAGED_RESULTS:
        raise bad_request(PAGING_LIMIT_MESSAGE)
    return per_page, page, cursor


def _ordered(queryset: QuerySet, keys: list[tuple[str, object, bool]]) -> QuerySet:
    # The sort values as annotations _sort0, _sort1, ...: the cursor reads them off the last
    # row and the next page compares against them.
    queryset = queryset.annotate(**{f"_sort{i}": expr for i, (_, expr, _) in enumerate(keys)})
    return queryset.order_by(
        *(
            F(f"_sort{i}").desc() if desc else F(f"_sort{i}").asc()
            for i, (_, _, desc) in enumerate(keys)
        )
    )


def _cursor_page(
    queryset: QuerySet, keys: list, *, cursor: str, per_page: int, fingerprint: str
) -> tuple[list[Model], str | None]:
    """The rows after the cursor, and the next cursor if more follow (one extra row says)."""
    if cursor != START:
        values = cursor_decode(cursor, fingerprint=fingerprint, size=len(keys))
        queryset = queryset.filter(_after(keys, values))
    rows = list(queryset[: per_page + 1])
    if len(rows) <= per_page:
        return rows, None
    rows = rows[:per_page]
    values = [getattr(rows[-1], f"_sort{i}") for i in range(len(keys))]
    return rows, cursor_encode(values=values, fingerprint=fingerprint)


def list_payload(request: HttpRequest, entity: Entity) -> dict:
    """A list response: a COUNT, the page's rows, then the serializer's batch reads."""
    started = time.monotonic()
    _check_names(request)
    per_page, page, cursor = _paging(request)
    raw_filter = request.GET.get("filter", "")
    raw_search = request.GET.get("search", "").strip()
    raw_sort = request.GET.get("sort", "")
    condition = filter_parse(raw_filter, entity.filters)
    if raw_search:
        condition &= entity.search(raw_search)
    keys = _sort_keys(entity, raw_sort)

    count = entity.queryset().filter(condition).count()
    queryset = _ordered(entity.queryset().filter(condition), keys)
    next_cursor = None
    if cursor is not None:
        fingerprint = query_fingerprint(entity.name, raw_filter, raw_search, raw_sort)
        rows, next_cursor = _cursor_page(
            queryset, keys, cursor=cursor, per_page=per_page, fingerprint=fingerprint
        )
    else:
        start = (page - 1) * per_page
        rows = list(queryset[start : start + per_page])
    return {
        "meta": {
            "count": count,
            "db_response_time_ms": round((time.monotonic() - started) * 1000),
            "page": None if cursor is not None else page,
            "per_page": per_page,
            "next_cursor": next_cursor,
            "groups_count": None,
        },
        "results": select_fields(entity.serialize(rows, request), request),
        "group_by": [],
    }
