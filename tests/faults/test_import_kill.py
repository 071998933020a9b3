"""An import SIGKILLed part-way (a real `manage.py import_openalex` process on the test
database) leaves nothing half-written: what it committed is whole batches, and running the
import again ends in exactly the state an uninterrupted import reaches, compared row by row on
OpenAlex ids and byline places rather than on primary keys or timestamps.

The snapshot is the project's own generator's (a later partition of updated records, deleted
ids and merged author ids). The import is killed while the first works partition is written,
and at the start of the deleted ids and of the merged ids, which the test holds back with a
table lock so that the kill lands there every time. The last test is of the announcement: the
run that finishes a killed import must move the corpus version, or pages cached before it
outlive what it committed."""

import io
import json
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.db.models import Model, QuerySet

from tests.faults.conftest import (
    ROOT,
    database_url_of_the_test_run,
    other_backends,
    other_backends_waiting_on_a_lock,
    wait_for,
)
from works.importer import import_paths
from works.models import (
    Author,
    Authorship,
    CoAuthorship,
    CorpusVersion,
    DeletedWork,
    Institution,
    MergedId,
    Source,
    Topic,
    Work,
    WorkTopic,
)

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

WORKS = 4000  # in the snapshot's first partition, 500 a file: eight batches
DELETED_IDS, DELETED_IN_SNAPSHOT = 31, 25  # what --seed 3 withdraws, and how many it has


@pytest.fixture(scope="session")
def snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # The generator is deterministic: one snapshot serves every test of the session.
    out = tmp_path_factory.mktemp("openalex-snapshot")
    call_command(
        "generate_corpus",
        str(out),
        works=WORKS,
        part_size=500,
        seed=3,
        verbosity=0,
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    return out


@pytest.fixture(scope="session")
def uninterrupted_cache() -> dict[str, set[tuple]]:
    return {}


@pytest.fixture
def uninterrupted(
    snapshot: Path, uninterrupted_cache: dict[str, set[tuple]]
) -> Callable[[], dict[str, set[tuple]]]:
    """The state an uninterrupted import of the snapshot ends in: the corpus tables emptied
    and the snapshot imported once, by the first test that asks (it never changes)."""

    def state() -> dict[str, set[tuple]]:
        if not uninterrupted_cache:
            _empty_the_corpus()
            import_paths([snapshot])
            uninterrupted_cache.update(corpus_state())
        return uninterrupted_cache

    return state


class ImportProcess:
    """`manage.py import_openalex` in a process of its own on the test database, signalled
    only by the PID recorded here."""

    def __init__(self, snapshot: Path, log: Path, *options: str) -> None:
        env = {k: v for k, v in os.environ.items() if k not in ("TEST_REDIS_URL", "REDIS_URL")}
        env |= {
            "DATABASE_URL": database_url_of_the_test_run(),
            "SECRET_KEY": "fault-suite",
            "DEBUG": "0",
            "DJANGO_SETTINGS_MODULE": "bzpeer.settings",
        }
        self.log = log
        with log.open("a") as out:
            self.process = subprocess.Popen(
                [sys.executable, "manage.py", "import_openalex", "--quiet", *options, snapshot],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    def running(self) -> bool:
        if self.process.poll() is not None:
            pytest.fail(
                f"the import ended (exit {self.process.returncode}) before it was killed:\n"
                f"{self.log.read_text()[-3000:]}"
            )
        return True

    def kill_when(self, what: str, done: Callable[[], object]) -> None:
        wait_for(what, lambda: self.running() and done(), 60, self.log)
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(10)

    def finish(self) -> None:
        if self.process.wait(120) != 0:
            pytest.fail(f"the import failed:\n{self.log.read_text()[-3000:]}")


@pytest.fixture
def start_import(snapshot: Path, tmp_path: Path) -> Iterator[Callable[..., ImportProcess]]:
    """start_import(name, *options) starts an import of the snapshot, logged to name.log. One
    a test left running (it failed on the way) is killed before the database is flushed."""
    started: list[ImportProcess] = []

    def start(name: str, *options: str) -> ImportProcess:
        started.append(ImportProcess(snapshot, tmp_path / f"{name}.log", *options))
        return started[-1]

    yield start
    for run in started:
        if run.process.poll() is None:
            os.kill(run.process.pid, signal.SIGKILL)
            run.process.wait(10)


@contextmanager
def table_held(model: type[Model]) -> Iterator[None]:
    """A transaction of our own holding `model`'s table in EXCLUSIVE mode: reads go on, the
    import's first write to it waits, which makes "about to write it" a state to wait for."""
    s = connection.settings_dict
    conn = psycopg.connect(
        dbname=s["NAME"],
        user=s["USER"],
        password=s["PASSWORD"] or None,
        host=s["HOST"],
        port=s["PORT"] or 5432,
    )
    try:
        conn.execute(f"LOCK TABLE {model._meta.db_table} IN EXCLUSIVE MODE")
        yield
    finally:
        conn.rollback()
        conn.close()


def settled(earlier: set[int]) -> None:
    """Wait until the killed import's backend has rolled back what the kill interrupted and
    gone: only then is the state the one the import left."""
    wait_for("the killed import's connection lingers", lambda: other_backends() <= earlier)


def _rows(queryset: QuerySet, *fields: str) -> set[tuple]:
    # JSON values (lists, dicts) as text, so rows stay hashable.
    return {
        tuple(json.dumps(v, sort_keys=True) if isinstance(v, list | dict) else v for v in row)
        for row in queryset.values_list(*fields)
    }


def corpus_state() -> dict[str, set[tuple]]:
    """The corpus tables by natural keys (OpenAlex ids, a work's byline places), without
    surrogate pks or timestamps: one set of rows per table, so a comparison names the rows
    that differ."""
    return {
        "institutions": _rows(
            Institution.objects,
            *("openalex_id", "ror", "display_name", "country_code", "type", "homepage_url"),
            "updated_date",
        ),
        "sources": _rows(
            Source.objects, "openalex_id", "display_name", "type", "issn_l", "updated_date"
        ),
        "topics": _rows(
            Topic.objects,
            *("openalex_id", "display_name", "subfield", "field", "domain", "updated_date"),
        ),
        "authors": _rows(
            Author.objects,
            *("openalex_id", "orcid", "display_name", "display_name_alternatives"),
            *("search_name", "works_count", "works_in_db", "cited_by_count", "summary_stats"),
            "updated_date",
        ),
        "last known institutions": _rows(
            Author.last_known_institutions.through.objects,
            "author__openalex_id",
            "institution__openalex_id",
        ),
        "works": _rows(
            Work.objects,
            *("openalex_id", "doi", "title", "abstract", "type", "publication_year"),
            *("publication_date", "primary_source__openalex_id", "is_oa", "oa_status"),
            *("cited_by_count", "language", "updated_date", "byline_size"),
        ),
        "authorships": _rows(
            Authorship.objects,
            *("work__openalex_id", "order", "author__openalex_id", "position"),
            *("raw_author_name", "is_corresponding"),
        ),
        "authorship institutions": _rows(
            Authorship.institutions.through.objects,
            *("authorship__work__openalex_id", "authorship__order", "institution__openalex_id"),
        ),
        "work topics": _rows(
            WorkTopic.objects, "work__openalex_id", "topic__openalex_id", "score", "is_primary"
        ),
        "co-authorships": _rows(
            CoAuthorship.objects,
            *("author__openalex_id", "coauthor__openalex_id", "shared_works_count", "last_year"),
        ),
        "deleted works": _rows(DeletedWork.objects, "openalex_id"),
        "merged ids": _rows(MergedId.objects, "entity", "old_id", "new_id", "merge_date"),
    }


def differences(
    state: dict[str, set[tuple]], expected: dict[str, set[tuple]]
) -> dict[str, dict[str, object]]:
    """Per table that differs: how many rows each side has and a few rows only it has."""
    found = {}
    for table in expected:
        extra, missing = state[table] - expected[table], expected[table] - state[table]
        if extra or missing:
            found[table] = {
                "rows": (len(state[table]), len(expected[table])),
                "only here": sorted(extra, key=repr)[:3],
                "only in the uninterrupted import": sorted(missing, key=repr)[:3],
            }
    return found


def corpus_version() -> int:
    return CorpusVersion.objects.filter(pk=1).values_list("version", flat=True).first() or 0


def _empty_the_corpus() -> None:
    # Every table of the works app (the corpus and the links between its rows), CorpusVersion
    # aside; CASCADE takes the profiles and graph rows that point at authors (none here).
    tables = [
        model._meta.db_table
        for model in apps.get_app_config("works").get_models(include_auto_created=True)
        if model is not CorpusVersion
    ]
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(tables)} CASCADE")


def test_an_import_killed_while_writing_works_and_run_again_ends_as_an_uninterrupted_one(
    start_import: Callable[..., ImportProcess], uninterrupted: Callable
):
    # Connections earlier tests left open (a live server's threads) are not the import's.
    earlier = other_backends()
    version_before = corpus_version()
    killed = start_import("killed")
    killed.kill_when("no works batch was committed", lambda: Work.objects.count() >= 1000)
    settled(earlier)
    at_kill = corpus_state()
    # Whole batches of 500 (one file each here), so a whole number of them, and nothing of
    # what comes after the works.
    assert len(at_kill["works"]) % 500 == 0 and 1000 <= len(at_kill["works"]) < WORKS
    assert not at_kill["deleted works"] and not at_kill["merged ids"]

    start_import("again").finish()
    final = corpus_state()
    # The killed import committed batches it never announced: the run that finishes it must.
    assert corpus_version() > version_before

    assert differences(final, uninterrupted()) == {}
    # The comparison tells states apart: the killed import's is not the final one.
    assert differences(at_kill, uninterrupted()) != {}


def test_an_import_killed_at_its_deleted_ids_then_at_its_merged_ids_ends_as_an_uninterrupted_one(
    start_import: Callable[..., ImportProcess], uninterrupted: Callable
):
    earlier = other_backends()
    version_before = corpus_version()
    with table_held(DeletedWork):
        killed = start_import("killed")
        killed.kill_when(
            "the import never reached its deleted ids", other_backends_waiting_on_a_lock
        )
    settled(earlier)
    before_deletions = corpus_state()
    assert len(before_deletions["works"]) == WORKS
    assert not before_deletions["deleted works"], "a deletion's transaction was half kept"

    # Run again, and killed again one step further, as the merges are about to be stored:
    # the deletions are in if they were committed on their own, all or none of them.
    with table_held(MergedId):
        again = start_import("again")
        again.kill_when("the re-run never reached its merged ids", other_backends_waiting_on_a_lock)
    settled(earlier)
    before_merges = corpus_state()
    deletions_in = len(before_merges["works"]) == WORKS - DELETED_IN_SNAPSHOT
    assert deletions_in or len(before_merges["works"]) == WORKS
    assert len(before_merges["deleted works"]) == (DELETED_IDS if deletions_in else 0)
    assert not before_merges["merged ids"], "a merge's transaction was half kept"

    start_import("finished").finish()
    final = corpus_state()
    assert corpus_version() > version_before

    assert differences(final, uninterrupted()) == {}
    assert differences(before_deletions, uninterrupted()) != {}
    assert differences(before_merges, uninterrupted()) != {}


def test_an_import_killed_after_its_last_change_is_announced_by_the_run_that_finishes_it(
    start_import: Callable[..., ImportProcess],
):
    # The later partition with the deleted and merged ids first, so that for the whole
    # snapshot after it the lists change nothing more: its last change is its last record.
    start_import("recent", "--since", "2025-06-01").finish()
    earlier = other_backends()
    version_before = corpus_version()
    works_before = Work.objects.count()
    with table_held(DeletedWork):
        killed = start_import("killed")
        killed.kill_when(
            "the import never reached its deleted ids", other_backends_waiting_on_a_lock
        )
    settled(earlier)
    if Work.objects.count() <= works_before:
        pytest.fail("the killed import committed nothing: it had nothing to announce")
    start_import("again").finish()
    # Pages cached from the corpus as it was before the killed import are still served
    # under this version unless it moved.
    assert corpus_version() > version_before
