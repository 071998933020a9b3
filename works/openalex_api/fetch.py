"""A query's records, a page at a time, by cursor: what sync.py stores after each page so an
interrupted run resumes there.

urllib3 (session.py) already retries a 429, a 5xx, a timeout and a connection refused or
dropped before the answer began. A connection dropped in the middle of a page's body is not
its business (requests reads the body after urllib3 is done), so a page is tried again here
too, a few times, before the run gives up with a message saying how to resume.
"""

import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import requests
from django.conf import settings
from pyalex.api import BaseOpenAlex, QueryError

from works.openalex_api.session import PYALEX_BASE

PER_PAGE = 200  # the API's maximum
START = "*"  # the first cursor
PAGE_TRIES = 3


class ApiUnavailable(Exception):
    """The API did not answer a page after every retry (a transient failure: run again)."""


class ApiRefused(Exception):
    """The API refused the query (a 4xx other than 429): running it again will not help."""


@dataclass
class Page:
    number: int  # 1-based, counted from where this run started
    records: list[dict[str, Any]]
    next_cursor: str | None
    count: int | None  # all the query's records, as the API counts them


def query_key(query: BaseOpenAlex) -> str:
    """The query as a path, without paging: "works?filter=authorships.author.id:A1,...". What
    a stored cursor belongs to."""
    return query.url.removeprefix(PYALEX_BASE).lstrip("/")


def pages(query: BaseOpenAlex, *, cursor: str = START) -> Iterator[Page]:
    number = 0
    next_cursor: str | None = cursor
    while next_cursor:
        number += 1
        page = _page_fetch(query, cursor=next_cursor, number=number)
        yield page
        # A last page may still carry a cursor; an empty one ends the query either way.
        next_cursor = page.next_cursor if page.records else None


def _page_fetch(query: BaseOpenAlex, *, cursor: str, number: int) -> Page:
    error: Exception | None = None
    for attempt in range(PAGE_TRIES):
        if attempt:
            time.sleep(min(settings.OPENALEX_RETRY_BACKOFF * 2**attempt, 60))
        try:
            result = query.get(per_page=PER_PAGE, cursor=cursor)
        except QueryError as exc:
            raise ApiRefused(f"{query_key(query)}: OpenAlex refused the query: {exc}") from exc
        except requests.HTTPError as exc:
            status = exc.response.status_code if exc.response is not None else 0
            if status != 429 and status < 500:
                raise ApiRefused(f"{query_key(query)}: OpenAlex answered {status}") from exc
            error = exc
        except requests.RequestException as exc:
            # Timeouts, refused or dropped connections, a body cut short (JSON that ends early
            # is a requests.JSONDecodeError, a RequestException too).
            error = exc
        else:
            meta = result.meta or {}
            return Page(
                number=number,
                records=[dict(record) for record in result],
                next_cursor=meta.get("next_cursor"),
                count=meta.get("count"),
            )
    raise ApiUnavailable(
        f"{query_key(query)}: OpenAlex did not answer page {number} of this run after "
        f"{PAGE_TRIES} tries of {settings.OPENALEX_MAX_RETRIES + 1} requests each ({error})"
    )
