"""A sync from the OpenAlex API into the corpus, through the importer snapshot files go
through (works.importer.run.records_import): the API's JSON records are the shapes of
snapshot lines, so every check, report and idempotency rule is the same.

A scope is what was asked: "author:A…" (the record and its works), "institution:I…" (the
record, its current researchers, authors whose last_known_institutions include it, and their
works), "filter:…" (works matching an OpenAlex filter expression). `since` is sent as
from_updated_date. Each query's cursor is stored after each page is written (ApiSyncQuery),
so a run that stopped resumes on the page it was on; pages already written are idempotent.
"""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import TextIO

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from pyalex import Authors, Institutions, Works
from pyalex.api import BaseOpenAlex

from works.importer.load import Loader
from works.importer.locks import record_key
from works.importer.parse import ParseError, identify
from works.importer.progress import ImportSummary, Progress
from works.importer.run import records_import, records_loader
from works.models import ApiSync, ApiSyncQuery, Author
from works.openalex_api.fetch import ApiRefused, ApiUnavailable, pages, query_key
from works.openalex_api.session import pyalex_configure
from works.services import corpus_version_announce

AUTHOR, INSTITUTION, FILTER = "author", "institution", "filter"
# Authors per works query of an institution: OpenAlex ORs up to 100 values in one filter;
# 50 keeps the URL short.
AUTHORS_PER_QUERY = 50
PROBLEMS_KEPT = 50
_OPENALEX_ID = re.compile(r"[A-Za-z][0-9]+")
_FILTER_ITEM = re.compile(r"([a-z_][a-z0-9_.]*):([^,]+)")
_UNFINISHED = (ApiSync.Status.RUNNING, ApiSync.Status.FAILED)


class SyncError(Exception):
    """A scope that cannot be synced (a bad id or filter); shown to the person as it is."""


class SyncFailed(Exception):
    """The run stopped; the message says why and that running it again resumes it."""


class SyncBusy(SyncFailed):
    """Another process is running this sync."""


def api_sync_scope(kind: str, value: str) -> str:
    """The scope for an author or institution id (short or URL) or a works filter expression;
    SyncError for a value of the wrong kind."""
    value = value.strip()
    if kind == FILTER:
        items = value.split(",")
        if not value or len(value) > 400 or not all(_FILTER_ITEM.fullmatch(i) for i in items):
            raise SyncError(f"{value!r} is not an OpenAlex filter expression (key:value,key:value)")
        return f"{FILTER}:{value}"
    try:
        entity, short = identify(value)
    except ParseError:
        entity, short = "", value
    # A letter and digits: the demo records' "ADEMO…" ids are no OpenAlex record.
    if entity != f"{kind}s" or not _OPENALEX_ID.fullmatch(short):
        raise SyncError(f"{value!r} is not an OpenAlex {kind} id")
    return f"{kind}:{short.upper()}"


def api_sync_last_success(*, scope: str) -> ApiSync | None:
    return ApiSync.objects.filter(scope=scope, status=ApiSync.Status.DONE).first()


def api_sync_since_last(*, scope: str) -> date | None:
    """from_updated_date for the next refresh of a scope: the day its last successful sync
    began (records changed while it ran are fetched again, harmlessly)."""
    last = api_sync_last_success(scope=scope)
    return timezone.localdate(last.started_at) if last and last.started_at else None


def api_sync_start(*, scope: str, since: date | None) -> tuple[ApiSync, bool]:
    """The run for `sync_openalex`: the unfinished run of this scope and `since` if there is
    one (resumed from its cursors), else a new one; and whether it is resumed."""
    unfinished = ApiSync.objects.filter(scope=scope, since=since, status__in=_UNFINISHED).first()
    if unfinished is not None:
        return unfinished, True
    return ApiSync.objects.create(scope=scope, since=since), False


def api_sync_queue(*, scope: str, origin: str) -> ApiSync:
    """A run for a task to do (works.tasks.api_sync_run): only what changed since the scope's
    last successful sync."""
    return ApiSync.objects.create(
        scope=scope, since=api_sync_since_last(scope=scope), origin=origin
    )


def api_sync_run(*, sync_id: int, progress: TextIO | None = None) -> ImportSummary:
    """Run (or resume) a sync: every query of its scope, page by page, into the importer.
    SyncFailed when the API does not answer or refuses; the cursors stay for the next run.
    A run already done is not run again (a task delivered twice); SyncBusy while another
    process runs it."""
    with _running_alone(sync_id) as alone:
        if not alone:
            raise SyncBusy(f"OpenAlex sync {sync_id} is running in another process.")
        moved = ApiSync.objects.filter(pk=sync_id).exclude(status=ApiSync.Status.DONE)
        if not moved.update(status=ApiSync.Status.RUNNING, error=""):
            return ImportSummary()
        ApiSync.objects.filter(pk=sync_id, started_at=None).update(started_at=timezone.now())
        return _run(ApiSync.objects.get(pk=sync_id), progress)


@contextmanager
def _running_alone(sync_id: int) -> Iterator[bool]:
    """Whether this process holds the run (a session advisory lock on PostgreSQL, released
    when the process dies, so the run of a killed process can be resumed at once)."""
    if connection.vendor != "postgresql":
        yield True  # SQLite, the zero-setup default: one process
        return
    key = record_key(f"api-sync:{sync_id}")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
        held = cursor.fetchone()[0]
    try:
        yield held
    finally:
        if held:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [key])


def _run(sync: ApiSync, progress: TextIO | None) -> ImportSummary:
    pyalex_configure()
    summary = ImportSummary()
    started = timezone.now()

    def report(text: str) -> None:
        summary.add_problem(text)
        if progress is not None:
            progress.write(text + "\n")

    loader = records_loader(summary, report)
    corpus_version_announce()  # what a run killed earlier committed
    try:
        for query in _queries(sync):
            _query_run(sync, query, loader, progress)
    except (ApiUnavailable, ApiRefused) as exc:
        resume = " Run it again to resume from there." if isinstance(exc, ApiUnavailable) else ""
        _finish(sync, summary, status=ApiSync.Status.FAILED, error=f"{exc}.{resume}")
        raise SyncFailed(f"OpenAlex sync {sync.pk} ({sync.scope}) stopped: {exc}.{resume}") from exc
    except BaseException as exc:
        _finish(sync, summary, status=ApiSync.Status.FAILED, error=repr(exc))
        raise
    finally:
        corpus_version_announce()
        summary.elapsed = (timezone.now() - started).total_seconds()
    _finish(sync, summary, status=ApiSync.Status.DONE, error="")
    return summary


def _queries(sync: ApiSync) -> Iterator[BaseOpenAlex]:
    """The scope's queries, in the order the importer likes (records before the works that
    name them). A generator: an institution's works queries are made from the authors its
    authors query has just imported."""
    kind, _, value = sync.scope.partition(":")
    if kind == AUTHOR:
        yield _since(Authors().filter(openalex_id=value), sync.since)
        yield _since(Works().filter(**{"authorships.author.id": value}), sync.since)
    elif kind == INSTITUTION:
        yield _since(Institutions().filter(openalex_id=value), sync.since)
        yield _since(Authors().filter(**{"last_known_institutions.id": value}), sync.since)
        # Its current researchers as our corpus now has them: those just fetched, and those
        # unchanged since `since`, whose new works are wanted all the same.
        author_ids = sorted(
            Author.objects.filter(last_known_institutions__openalex_id=value).values_list(
                "openalex_id", flat=True
            )
        )
        for start in range(0, len(author_ids), AUTHORS_PER_QUERY):
            chunk = author_ids[start : start + AUTHORS_PER_QUERY]
            # One value "A1|A2": pyalex would join a list with "+" (AND) under filter().
            works = Works().filter(**{"authorships.author.id": "|".join(chunk)})
            yield _since(works, sync.since)
    elif kind == FILTER:
        items = dict(item.split(":", 1) for item in value.split(","))
        yield _since(Works().filter(**items), sync.since)
    else:
        raise SyncError(f"unknown scope {sync.scope!r}")


def _since(query: BaseOpenAlex, since: date | None) -> BaseOpenAlex:
    return query.filter(from_updated_date=since.isoformat()) if since else query


def _query_run(sync: ApiSync, query: BaseOpenAlex, loader: Loader, progress: TextIO | None) -> None:
    key = query_key(query)
    state, _ = ApiSyncQuery.objects.get_or_create(sync=sync, key=key)
    if state.done:
        return
    bar: Progress | None = None
    seen = state.records
    for page in pages(query, cursor=state.cursor):
        if bar is None:
            bar = Progress(progress, total_bytes=page.count or len(page.records))
        number = state.pages + 1
        records = (
            (f"{key} page {number}:results[{index}]", record)
            for index, record in enumerate(page.records)
        )
        read = records_import(records, loader)
        seen += read
        bar.records += read
        bar.label = key
        bar.update_to(min(seen, bar.total))
        # The page is written (records_import flushed it): only now may its cursor move on.
        with transaction.atomic():
            state.cursor = page.next_cursor or ""
            state.pages = number
            state.records = seen
            state.done = not page.next_cursor or not page.records
            state.save(update_fields=["cursor", "pages", "records", "done"])
            ApiSync.objects.filter(pk=sync.pk).update(records=F("records") + read)
    if not state.done:  # the API returned no page at all
        state.done = True
        state.save(update_fields=["done"])
    if bar is not None:
        bar.finish(label=key)


def _finish(sync: ApiSync, summary: ImportSummary, *, status: str, error: str) -> None:
    problems = "\n".join(summary.problems[:PROBLEMS_KEPT])
    ApiSync.objects.filter(pk=sync.pk).update(
        status=status,
        error=error,
        finished_at=timezone.now() if status == ApiSync.Status.DONE else None,
        errors=F("errors") + summary.errors,
        problems=(sync.problems + "\n" + problems).strip() if problems else sync.problems,
    )


def api_sync_queue_institutions() -> list[int]:
    """Beat's daily refresh of the institutions synced before (`sync_openalex --institution`
    once is enough): a queued run of each, with only what changed since its last success."""
    scopes = (
        ApiSync.objects.filter(scope__startswith=f"{INSTITUTION}:", status=ApiSync.Status.DONE)
        .order_by()
        .values_list("scope", flat=True)
        .distinct()
    )
    return [api_sync_queue(scope=scope, origin=ApiSync.Origin.SCHEDULE).pk for scope in scopes]
