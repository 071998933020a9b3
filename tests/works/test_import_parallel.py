"""A parallel import (import_openalex --workers N, --queue) ends in the state a sequential
import reaches, whatever order its parts run in; processes writing the same records at once
neither lose nor double anything (the co-authorship table equals a full recomputation); a
batch caught in a deadlock is written again; the run's progress is recorded part by part."""

import gzip
import io
import json
import threading
import time
from pathlib import Path

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from tests.works.test_coauthorship_delta import recomputed, stored
from works.coauthorship import AUTHOR_LINKS, LOCK_CLASS
from works.importer import import_paths
from works.importer.parallel import import_part_run, import_run_create, import_run_finish
from works.models import (
    Author,
    Authorship,
    CoAuthorship,
    DeletedWork,
    ImportPart,
    ImportRun,
    Institution,
    MergedId,
    Source,
    Topic,
    Work,
    WorkTopic,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The generator's snapshot: a later partition of updated records, deleted works, merged
    authors; 1,200 works in parts of 200, so there are a dozen parts to share out."""
    out = tmp_path_factory.mktemp("snapshot")
    call_command(
        "generate_corpus", str(out), "--works", "1200", "--part-size", "200",
        stdout=io.StringIO(), stderr=io.StringIO(),
    )  # fmt: skip
    return out


def corpus_state() -> dict[str, set[tuple]]:
    """Every row of the corpus by OpenAlex ids (not primary keys or timestamps)."""
    return {
        "works": set(
            Work.objects.values_list(
                "openalex_id", "title", "updated_date", "publication_year", "byline_size"
            )
        ),
        "authors": set(
            Author.objects.values_list(
                "openalex_id", "display_name", "updated_date", "works_in_db", "works_count"
            )
        ),
        "authorships": set(
            Authorship.objects.values_list(
                "work__openalex_id", "author__openalex_id", "order", "raw_author_name"
            )
        ),
        "coauthorships": set(
            CoAuthorship.objects.values_list(
                "author__openalex_id", "coauthor__openalex_id", "shared_works_count", "last_year"
            )
        ),
        "topics": set(WorkTopic.objects.values_list("work__openalex_id", "topic__openalex_id")),
        "last_known": set(
            Author.last_known_institutions.through.objects.values_list(
                "author__openalex_id", "institution__openalex_id"
            )
        ),
        "others": {
            *Institution.objects.values_list("openalex_id", "display_name", "updated_date"),
            *Source.objects.values_list("openalex_id", "display_name", "updated_date"),
            *Topic.objects.values_list("openalex_id", "display_name", "updated_date"),
        },
        "lists": {
            *DeletedWork.objects.values_list("openalex_id"),
            *MergedId.objects.values_list("old_id", "new_id"),
        },
    }


def empty_the_corpus() -> None:
    tables = [
        model._meta.db_table
        for model in (Institution, Source, Topic, Author, Work, DeletedWork, MergedId)
    ]
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(tables)} CASCADE")


def sequential_state(paths: list[Path]) -> dict[str, set[tuple]]:
    empty_the_corpus()
    import_paths(paths)
    return corpus_state()


def test_two_workers_reach_the_state_of_a_sequential_import(snapshot):
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command("import_openalex", str(snapshot), "--workers", "2", stdout=stdout, stderr=stderr)
    parallel = corpus_state()

    run = ImportRun.objects.get()
    assert run.parts_total == len(list(snapshot.glob("data/*/*/part_*.gz"))) > 10
    assert (run.parts_done, run.parts_failed, run.lists_state) == (
        run.parts_total, 0, ImportRun.Lists.DONE,
    )  # fmt: skip
    assert run.bytes_done == run.bytes_total and run.finished_at is not None
    assert run.records == sum(ImportPart.objects.values_list("records", flat=True)) > 1200
    assert f"{run.parts_total}/{run.parts_total} parts" in stderr.getvalue()
    assert "records/s" in stderr.getvalue()
    assert "works removed" in stdout.getvalue()  # the lists' line of the summary

    assert parallel["lists"] and parallel["coauthorships"]
    assert parallel == sequential_state([snapshot])


def test_the_parts_in_reverse_order_reach_the_same_state(snapshot):
    run = import_run_create(paths=[str(snapshot)], mode=ImportRun.Mode.WORKERS)
    ready = [import_part_run(part_id=part.pk).run_ready for part in run.parts.order_by("-pk")]
    assert ready == [False] * (len(ready) - 1) + [True]  # only the last part says so
    import_run_finish(run_id=run.pk)
    reversed_order = corpus_state()

    assert reversed_order == sequential_state([snapshot])


def test_a_part_delivered_again_counts_once(snapshot):
    run = import_run_create(paths=[str(snapshot)], mode=ImportRun.Mode.QUEUE)
    part = run.parts.first()
    first = import_part_run(part_id=part.pk)
    again = import_part_run(part_id=part.pk)

    assert first.summary is not None and again.summary is None
    run.refresh_from_db()
    assert run.parts_done == 1
    assert run.records == ImportPart.objects.get(pk=part.pk).records > 0


# --- processes writing the same records at once -------------------------------------------

PROLIFIC = [f"A{n}" for n in range(1, 6)]


def work(number: int, version: int) -> dict:
    """Work W<number> as OpenAlex said it at `version` (1 or 2): every version names two
    of the five prolific authors and a few others, and the later one moves its byline and
    its year, so the later record changes pairs and counts."""
    others = [f"A{100 + (number * 7 + version * 3 + k) % 60}" for k in range(3)]
    byline = [PROLIFIC[(number + version) % 5], PROLIFIC[(number + 2 * version) % 5], *others]
    return {
        "id": f"https://openalex.org/W{number}",
        "title": f"Work {number} v{version}",
        "publication_year": 2000 + (number + version) % 20,
        "updated_date": f"202{version + 3}-01-01",
        "authorships": [
            {"author": {"id": f"https://openalex.org/{author}", "display_name": author}}
            for author in dict.fromkeys(byline)
        ],
    }


def write_part(path: Path, records: list[dict]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(path, "wt") as out:
        out.writelines(json.dumps(record) + "\n" for record in records)
    return path


def test_processes_writing_the_same_works_lose_and_double_nothing(tmp_path):
    # Four parts of the same 1,000 works, older and newer, two read forwards and two
    # backwards: the workers meet batch after batch on the same works and the same prolific
    # authors. Without the batches' locks (and their retry on a unique violation), a batch
    # that found a work missing while another was writing it adds a second byline.
    folder = tmp_path / "overlap"
    numbers = range(1, 1001)
    write_part(folder / "a.jsonl.gz", [work(n, 1) for n in numbers])
    write_part(folder / "b.jsonl.gz", [work(n, 2) for n in numbers])
    write_part(folder / "c.jsonl.gz", [work(n, 1) for n in reversed(numbers)])
    write_part(folder / "d.jsonl.gz", [work(n, 2) for n in reversed(numbers)])

    call_command(
        "import_openalex", str(folder), "--workers", "4", stdout=io.StringIO(),
        stderr=io.StringIO(),
    )  # fmt: skip

    assert ImportRun.objects.get().parts_done == 4
    assert set(Work.objects.values_list("updated_date__year", flat=True)) == {2025}
    # Each work has exactly its newer record's byline, once.
    expected = {
        (record["id"].rsplit("/", 1)[1], place["author"]["id"].rsplit("/", 1)[1])
        for record in (work(n, 2) for n in numbers)
        for place in record["authorships"]
    }
    assert set(Authorship.objects.values_list("work__openalex_id", "author__openalex_id")) == (
        expected
    )
    assert Authorship.objects.count() == len(expected)
    assert stored() == recomputed()
    assert corpus_state() == sequential_state(sorted(folder.iterdir()))


# --- a batch in a deadlock ----------------------------------------------------------------


def backends_waiting_on_an_advisory_lock() -> list[int]:
    # Read through the test's own connection, in autocommit: a transaction would see the
    # statistics as they were at its first read.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
            " AND wait_event = 'advisory' AND pid <> pg_backend_pid()"
        )
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.parametrize("strict", [False, True], ids=["batch", "strict-savepoint"])
def test_a_batch_caught_in_a_deadlock_is_written_again(tmp_path, strict):
    older = write_part(tmp_path / "older.jsonl.gz", [work(n, 1) for n in range(1, 4)])
    newer = write_part(tmp_path / "newer.jsonl.gz", [work(n, 2) for n in range(1, 4)])
    import_paths([older])
    s = connection.settings_dict
    other = psycopg.connect(dbname=s["NAME"], user=s["USER"], host=s["HOST"], port=s["PORT"])
    result: list = []

    def run_import() -> None:
        try:
            result.append(import_paths([newer], strict=strict))
        except Exception as exc:  # noqa: BLE001 - the test reports it
            result.append(exc)
        finally:
            connection.close()

    try:
        with other.cursor() as cursor:
            # This session never gives up first: the batch is the one that sees the deadlock.
            cursor.execute("SET deadlock_timeout = '20s'")
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_CLASS, AUTHOR_LINKS])
            importer = threading.Thread(target=run_import)
            importer.start()
            # The batch has rewritten W1 and waits for the co-authorship lock held here...
            deadline = time.monotonic() + 20
            while not backends_waiting_on_an_advisory_lock():
                assert time.monotonic() < deadline, "the batch never reached the lock"
                time.sleep(0.02)
            # ...and this waits for the batch's row of W1: a deadlock. The update only gets
            # through if the batch was rolled back (it cannot commit without our lock).
            cursor.execute("UPDATE works_work SET cited_by_count = 7 WHERE openalex_id = 'W1'")
            assert cursor.rowcount == 1
        other.commit()  # the lock goes: the batch, written again, goes through
        importer.join(30)
    finally:
        other.close()

    [summary] = result
    assert not isinstance(summary, Exception), summary
    assert summary.works.updated == 3  # counted once, not once per attempt
    assert set(Work.objects.values_list("title", flat=True)) == {
        "Work 1 v2",
        "Work 2 v2",
        "Work 3 v2",
    }
    assert stored() == recomputed()


# --- the Celery queue ---------------------------------------------------------------------


def test_queued_parts_are_imported_by_a_worker_and_a_failed_part_is_reported(
    snapshot, tmp_path, celery_worker
):
    broken = tmp_path / "broken.jsonl.gz"
    whole = gzip.compress("".join(f'{{"id": "W9{n:05}"}}\n' for n in range(300)).encode())
    broken.write_bytes(whole[: len(whole) // 2])  # truncated, before a whole batch
    stdout = io.StringIO()
    call_command("import_openalex", str(snapshot), str(broken), "--queue", stdout=stdout)

    run = ImportRun.objects.get()
    assert f"Run {run.pk}: {run.parts_total} part(s) queued" in stdout.getvalue()
    assert f"--watch {run.pk}" in stdout.getvalue()
    deadline = time.monotonic() + 120
    while not ImportRun.objects.get(pk=run.pk).finished_at:
        assert time.monotonic() < deadline, "the run did not finish"
        time.sleep(0.2)

    run.refresh_from_db()
    assert (run.parts_done, run.parts_failed) == (run.parts_total - 1, 1)
    assert run.lists_state == ImportRun.Lists.DONE
    failed = run.parts.get(state=ImportPart.State.FAILED)
    assert failed.path == str(broken) and "truncated or corrupt gzip" in failed.error
    assert failed.attempts == 1  # a corrupt file is not worth another try

    # Watching a finished run says what happened, and fails because a part did.
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="broken.jsonl.gz: failed after 1 attempt"):
        call_command("import_openalex", "--watch", str(run.pk), stdout=out, stderr=err)
    assert (
        f"{run.parts_total - 1} of {run.parts_total} part(s) imported, 1 failed" in out.getvalue()
    )

    queued = corpus_state()
    assert queued == sequential_state([snapshot])


def test_the_admin_lists_runs_with_their_progress_and_failed_parts(tmp_path, admin_client):
    good = write_part(tmp_path / "good.jsonl.gz", [work(n, 1) for n in range(1, 4)])
    broken = tmp_path / "broken.jsonl.gz"
    broken.write_bytes(b"\x1f\x8b not gzip at all")
    idle = write_part(tmp_path / "idle.jsonl.gz", [work(4, 1)])
    run = import_run_create(paths=[str(good), str(broken), str(idle)], mode=ImportRun.Mode.QUEUE)
    for part in run.parts.exclude(path=str(idle)):
        import_part_run(part_id=part.pk)

    listing = admin_client.get(reverse("admin:works_importrun_changelist"))
    assert listing.status_code == 200
    assert b"1/3" in listing.content  # parts done of the total
    assert b"records/s" in listing.content.lower() and b"time left" in listing.content.lower()
    page = admin_client.get(reverse("admin:works_importrun_change", args=[run.pk]))
    assert b"broken.jsonl.gz" in page.content and b"corrupt gzip" in page.content
    assert admin_client.get(reverse("admin:works_importrun_add")).status_code == 403


def test_the_command_refuses_what_does_not_go_together(snapshot):
    with pytest.raises(CommandError, match="--wait goes with --queue"):
        call_command("import_openalex", str(snapshot), "--wait")
    with pytest.raises(CommandError, match="1 or more"):
        call_command("import_openalex", str(snapshot), "--workers", "0")
    with pytest.raises(CommandError, match="No import run 12345"):
        call_command("import_openalex", "--watch", "12345")
