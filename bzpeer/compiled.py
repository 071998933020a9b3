"""Queries on the hottest paths whose SQL is built once per process.

Turning a queryset with a few subqueries into SQL costs Django more CPU (about a millisecond
here) than PostgreSQL spends running it: the cached researcher page paid that for its one
stamp query on every request. The queryset stays the single definition of the query; only
its compiled form is kept, with the one value that changes per call left free.
"""

from collections.abc import Callable

from django.db import connections
from django.db.models import QuerySet

# Stand for the free value while compiling (a field checks its type: a key needs a number).
# Neither is a value a request can carry (NUL is refused at the edge; keys are positive),
# and neither reaches the database: their places are found once and filled per call.
FREE_TEXT = "\x00bzpeer:free-parameter\x00"
FREE_KEY = -2_084_961_371  # within 32 bits: Django finds nothing for a key out of range


class CompiledRow:
    """The first row of build(value), a values_list() queryset, for any value: one query,
    with the queryset compiled on first use per database connection alias."""

    def __init__(self, build: Callable[[object], QuerySet], *, free: object = FREE_TEXT) -> None:
        self._build = build
        self._free = free
        self._compiled: dict[str, tuple[str, tuple, list[int]]] = {}

    def _compile(self, using: str) -> tuple[str, tuple, list[int]]:
        queryset = self._build(self._free)[:1]
        sql, params = queryset.query.get_compiler(using=using).as_sql()
        free = [i for i, param in enumerate(params) if param == self._free]
        if not free:
            raise ValueError("the queryset does not use its value as a query parameter")
        return sql, tuple(params), free

    def get(self, value: object, *, using: str = "default") -> tuple | None:
        compiled = self._compiled.get(using)
        if compiled is None:
            compiled = self._compiled[using] = self._compile(using)
        sql, params, free = compiled
        filled = list(params)
        for i in free:
            filled[i] = value
        with connections[using].cursor() as cursor:
            cursor.execute(sql, filled)
            return cursor.fetchone()
