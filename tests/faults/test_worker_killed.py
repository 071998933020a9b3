"""A worker SIGKILLed mid-task (a real `celery worker` process on the suite's own Redis and the
test database): its task stays unacknowledged until the broker's visibility timeout, so the
panel must not wait for it. Once a worker is back, the panel's poll queues the computation
again and the score arrives; it never stays "building", nor "not answering" for good."""

import time
from datetime import timedelta

import psycopg
import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from graph import panels
from graph.models import TrustScore
from tests.conftest import celery_broker
from tests.factories import make_author, make_work
from tests.faults.conftest import other_backends, other_backends_waiting_on_a_lock, wait_for
from works.models import Author

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]
HTMX = {"HX-Request": "true"}
SILENT_AFTER = timedelta(seconds=2)  # WORKER_SILENT_AFTER, shortened from 20 s for the test


def _panel(client: Client, author: Author, query: str = "") -> str:
    url = reverse("graph:trust-panel", args=[author.openalex_id]) + query
    return client.get(url, headers=HTMX).content.decode()


def _row_lock(author_id: int) -> psycopg.Connection:
    """A transaction of our own holding the author's TrustScore row FOR UPDATE: the task
    blocks on it when it stores its result, which makes "mid-task" a state we can wait for."""
    s = connection.settings_dict
    conn = psycopg.connect(
        dbname=s["NAME"],
        user=s["USER"],
        password=s["PASSWORD"] or None,
        host=s["HOST"],
        port=s["PORT"] or 5432,
    )
    conn.execute("SELECT 1 FROM graph_trustscore WHERE author_id = %s FOR UPDATE", [author_id])
    return conn


def test_a_worker_killed_mid_task_is_replaced_and_the_panel_recovers(
    client, monkeypatch, redis_server, worker_factory
):
    monkeypatch.setattr(panels, "WORKER_SILENT_AFTER", SILENT_AFTER)
    author = make_author(orcid="0000-0002-1825-0097")
    make_work(authors=[author, make_author()], doi="10.1/x")

    with celery_broker(redis_server.url):
        # The page's panel queues the computation; no worker is running yet.
        assert "Computing the trust score" in _panel(client, author)
        # Connections other tests left open (a live server's threads) are not the worker's.
        earlier = other_backends()
        lock = _row_lock(author.id)
        first = worker_factory(redis_server.url)
        first.start()
        wait_for("the task never reached the locked row", other_backends_waiting_on_a_lock)

        first.kill()  # mid-task: the message stays unacknowledged in Redis
        lock.rollback()
        lock.close()
        wait_for("the killed worker's connection lingers", lambda: other_backends() <= earlier)

        # A worker is back (a supervisor restarts it), but the task is not handed out again
        # before the visibility timeout: the computation is silent.
        worker_factory(redis_server.url).start()
        time.sleep(SILENT_AFTER.total_seconds())
        assert "not answering" in _panel(client, author, "?poll=2")  # a poll that only reports

        # The panel's poll finds it silent, queues it once more, and the new worker computes
        # it while the panel polls on.
        html = _panel(client, author, "?poll=1")
        assert 'trust/?poll=2" hx-trigger="every 2s"' in html
        deadline = time.monotonic() + 15
        while 'class="score"' not in html and time.monotonic() < deadline:
            time.sleep(0.2)
            html = _panel(client, author, "?poll=2")

    assert '<strong class="score">' in html, html
    assert "not answering" not in html
    row = TrustScore.objects.get(author=author)
    assert row.queued_at is None and row.computed_at is not None


def test_a_lost_task_is_handed_out_again_within_minutes_not_an_hour():
    from bzpeer.celery import app

    visibility = app.conf.broker_transport_options["visibility_timeout"]
    # Longer than a live worker may hold a task unacknowledged (its run, and the run of the
    # one before it while prefetched), or it would be handed to a second worker as well; and
    # minutes, not Redis's default hour.
    assert 2 * app.conf.task_time_limit < visibility <= 600
