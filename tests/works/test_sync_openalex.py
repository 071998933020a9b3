"""`sync_openalex` against a local OpenAlex (tests/works/openalex_api_server.py): records
fetched by cursor through pyalex land through the real importer; 429, 500, slow answers and
dropped connections are tried again; an interrupted run resumes from its stored cursor."""

import io
import socket
import threading
import time

import psycopg
import pyalex.api
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from tests.works.openalex_api_server import OpenAlexServer
from works.importer.locks import record_key
from works.models import ApiSync, ApiSyncQuery, Author, Authorship, CoAuthorship, Work
from works.openalex_api.session import RerouteAdapter, pyalex_configure

pytestmark = pytest.mark.django_db

MEARMAN = "A5017898742"  # Joseph Mearman: 9 works, last known at Bangor University
BANGOR = "I161548249"


@pytest.fixture(autouse=True)
def no_openalex_org(monkeypatch):
    """Nothing here may reach the real API: resolving its name fails the test."""
    resolve = socket.getaddrinfo

    def guarded(host, *args, **kwargs):
        assert "openalex.org" not in str(host), f"a test tried to reach {host}"
        return resolve(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", guarded)


@pytest.fixture
def api(settings):
    server = OpenAlexServer().start()
    settings.OPENALEX_API_URL = server.url
    settings.OPENALEX_EMAIL = "tests@bzpeer.example"
    settings.OPENALEX_MAX_RETRIES = 3
    settings.OPENALEX_RETRY_BACKOFF = 0.01
    settings.OPENALEX_RETRY_AFTER_MAX = 1
    settings.OPENALEX_TIMEOUT = 1
    yield server
    server.stop()


def sync(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("sync_openalex", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def corpus() -> dict[str, list]:
    """What a researcher page is made of, comparable between two databases."""
    return {
        "works": sorted(
            Work.objects.values_list("openalex_id", "title", "updated_date", "byline_size")
        ),
        "authorships": sorted(
            Authorship.objects.values_list("work__openalex_id", "author__openalex_id", "order")
        ),
        "authors": sorted(
            Author.objects.values_list("openalex_id", "display_name", "updated_date", "works_in_db")
        ),
        "coauthorships": sorted(
            CoAuthorship.objects.values_list(
                "author__openalex_id", "coauthor__openalex_id", "shared_works_count"
            )
        ),
    }


def wipe_corpus() -> None:
    CoAuthorship.objects.all().delete()
    Work.objects.all().delete()
    Author.objects.all().delete()


def test_it_reroutes_pyalex_to_the_configured_server_and_nothing_to_api_openalex_org(api):
    pyalex_configure()
    session = pyalex.api._get_requests_session()
    adapter = session.get_adapter("https://api.openalex.org/works?filter=x")
    assert isinstance(adapter, RerouteAdapter)
    assert adapter.base_url == api.url


def test_it_syncs_an_author_and_their_works_through_the_importer(api):
    out, err = sync("--author", f"https://openalex.org/{MEARMAN}")

    mearman = Author.objects.get(openalex_id=MEARMAN)
    assert mearman.display_name == "Joseph Mearman"
    assert mearman.last_known_institutions.get().openalex_id == BANGOR
    assert mearman.works_in_db == 9
    assert Work.objects.filter(authorships__author=mearman).distinct().count() == 9
    # Co-authors came as stubs of the works' authorships, and pairs were counted.
    assert CoAuthorship.objects.filter(author=mearman).exists()
    assert "works" in out and "records in" in out  # the importer's summary
    assert "9 records" in err and "records/s" in err  # the progress bar (tqdm)
    # Pages of 3 by cursor; the client asked for the API's maximum page size.
    works_pages = [s for s in api.pages_served() if s.path == "/works"]
    assert [s.page for s in works_pages] == [1, 2, 3]
    assert {s.params["per-page"] for s in works_pages} == {"200"}
    assert works_pages[0].params["filter"] == f"authorships.author.id:{MEARMAN}"
    assert works_pages[0].headers["From"] == "tests@bzpeer.example"  # the polite pool
    run = ApiSync.objects.get()
    assert (run.scope, run.status, run.records) == (f"author:{MEARMAN}", "done", 10)
    assert run.finished_at is not None
    assert all(q.done for q in run.queries.all())


def test_a_second_sync_changes_nothing(api):
    sync("--author", MEARMAN)
    before = corpus()
    out, _ = sync("--author", MEARMAN)
    assert corpus() == before
    assert ApiSync.objects.filter(status="done").count() == 2


def test_since_is_sent_as_from_updated_date_and_only_newer_records_come(api):
    out, _ = sync("--author", MEARMAN, "--since", "2025-09-01")
    filters = {s.params["filter"] for s in api.pages_served()}
    assert f"authorships.author.id:{MEARMAN},from_updated_date:2025-09-01" in filters
    assert f"openalex_id:{MEARMAN},from_updated_date:2025-09-01" in filters
    # 4 of the 9 works were updated in September 2025.
    assert Work.objects.filter(updated_date__isnull=False).count() == 4
    assert ApiSync.objects.get().since.isoformat() == "2025-09-01"


def test_an_institution_brings_its_current_researchers_and_their_works(api):
    sync("--institution", BANGOR)
    # Authors whose last known institutions include Bangor; Jason Priem is elsewhere.
    ids = set(
        Author.objects.filter(updated_date__isnull=False).values_list("openalex_id", flat=True)
    )
    assert ids == {MEARMAN, "A5004526334", "A5065371627"}
    assert Work.objects.count() == 9  # their works, one query OR-ing the three ids
    works_filter = next(s.params["filter"] for s in api.pages_served() if s.path == "/works")
    assert works_filter == "authorships.author.id:A5004526334|A5017898742|A5065371627"
    assert ApiSync.objects.get().scope == f"institution:{BANGOR}"


def test_a_filter_expression_selects_works(api):
    sync("--filter", "publication_year:2017")
    assert set(Work.objects.values_list("publication_year", flat=True)) == {2017}
    assert Work.objects.count() >= 1


@pytest.mark.parametrize(
    "args",
    [
        ("--author", "I161548249"),
        ("--institution", "A5017898742"),
        ("--author", "nonsense"),
        ("--author", "ADEMO0001"),
        ("--filter", "no colon here"),
        ("--author", MEARMAN, "--since", "last tuesday"),
    ],
)
def test_a_bad_id_filter_or_date_is_a_clear_error_and_fetches_nothing(api, args):
    with pytest.raises(CommandError):
        sync(*args)
    assert api.seen == []


@pytest.mark.parametrize("fault", ["429", "500", "slow", "drop"])
def test_each_fault_is_tried_again_and_the_sync_completes(api, fault):
    api.faults = [(2, fault)]
    sync("--author", MEARMAN)
    assert Work.objects.count() == 9
    assert [s.answer for s in api.seen if s.page == 2] == [fault, "200"]
    assert ApiSync.objects.get().status == "done"


def test_retry_after_is_honoured_up_to_the_cap(api, settings):
    api.retry_after = "3600"  # an hour: capped at OPENALEX_RETRY_AFTER_MAX (1 s here)
    api.faults = [(1, "429")]
    started = time.monotonic()
    sync("--author", MEARMAN)
    waited = time.monotonic() - started
    assert 0.9 <= waited < 10
    assert Work.objects.count() == 9


def test_an_interrupted_run_resumes_from_its_cursor_and_ends_as_an_uninterrupted_one(api):
    api.drop_from_page = 3  # the works query dies for good after its second page
    with pytest.raises(CommandError, match=r"did not answer page 3 .*Run it again to resume"):
        sync("--author", MEARMAN)
    run = ApiSync.objects.get()
    assert run.status == "failed"
    works_query = run.queries.get(key__startswith="works")
    assert (works_query.cursor, works_query.pages, works_query.records) == ("page-3", 2, 6)
    assert Work.objects.count() == 6  # two pages were written before it stopped

    api.drop_from_page = None
    api.seen.clear()
    _, err = sync("--author", MEARMAN)
    assert f"Resuming OpenAlex sync {run.pk}" in err
    # Only the page it stopped at was fetched again: not the author, not pages 1 and 2.
    assert [(s.path, s.page) for s in api.seen] == [("/works", 3)]
    run.refresh_from_db()
    assert run.status == "done" and run.records == 10
    resumed = corpus()

    wipe_corpus()
    sync("--author", MEARMAN)
    assert ApiSync.objects.count() == 2
    assert corpus() == resumed


def test_a_malformed_record_is_reported_and_the_others_kept(api):
    works = api.records["works"]
    broken = dict(works[4], publication_year="MMXVII")
    api.records["works"] = [*works[:4], broken, *works[5:]]
    _, err = sync("--author", MEARMAN)
    expected = f"works?filter=authorships.author.id:{MEARMAN} page 2:results[1]: "
    assert expected in err and "publication_year" in err
    assert Work.objects.count() == 8
    run = ApiSync.objects.get()
    assert run.status == "done" and run.errors == 1 and "publication_year" in run.problems


def test_a_refused_query_stops_with_the_status(api):
    api.records.pop("works")  # the server answers 404 for /works
    with pytest.raises(CommandError, match="OpenAlex answered 404"):
        sync("--author", MEARMAN)
    assert ApiSyncQuery.objects.filter(done=False).count() == 1


def test_a_run_another_process_holds_is_not_run_twice(api):
    api.drop_from_page = 3
    with pytest.raises(CommandError):
        sync("--author", MEARMAN)
    run = ApiSync.objects.get()
    api.drop_from_page = None
    # Another process (its own connection) is running it: the command says so and waits for
    # nobody; once that process is gone (its lock with it) the run resumes.
    with psycopg.connect(**connection.get_connection_params()) as other:
        other.execute("SELECT pg_advisory_lock(%s)", [record_key(f"api-sync:{run.pk}")])
        with pytest.raises(CommandError, match=f"sync {run.pk} is running in another process"):
            sync("--author", MEARMAN)
    sync("--author", MEARMAN)
    run.refresh_from_db()
    assert run.status == "done" and Work.objects.count() == 9


@pytest.fixture
def finished_tasks(celery_worker):
    """Names of the tasks the worker has finished, to wait on."""
    from celery.signals import task_postrun

    done: list[str] = []
    lock = threading.Lock()

    def record(sender, **kwargs: object) -> None:
        with lock:
            done.append(sender.name)

    task_postrun.connect(record, weak=False)
    yield done
    task_postrun.disconnect(record)


@pytest.mark.django_db(transaction=True)
def test_beat_keeps_a_synced_institution_fresh_through_a_real_worker(api, finished_tasks):
    from works.tasks import api_sync_institutions_refresh

    sync("--institution", BANGOR)
    first = ApiSync.objects.get()
    api.seen.clear()

    api_sync_institutions_refresh.delay()
    deadline = time.monotonic() + 30
    while len(finished_tasks) < 2:  # the beat entry, then the institution's run
        assert time.monotonic() < deadline, f"the worker finished only {finished_tasks}"
        time.sleep(0.05)

    latest = ApiSync.objects.first()
    assert (latest.scope, latest.origin, latest.status) == (first.scope, "schedule", "done")
    assert latest.since == timezone.localdate(first.started_at)
    assert api.seen and all(
        f"from_updated_date:{latest.since}" in s.params["filter"] for s in api.seen
    )
    assert Work.objects.count() == 9  # nothing lost, nothing doubled
