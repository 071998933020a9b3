import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings

    # Production uses WhiteNoise's manifest storage, which needs `collectstatic` first; tests
    # serve static files straight from static/ instead.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Links in emails use SITE_URL; tests follow them with Django's test client.
    settings.SITE_URL = "http://testserver"


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Pages may cache; each test starts from an empty cache.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


# --- the Celery worker --------------------------------------------------------------------
# Task tests run a real worker (celery.contrib.testing) on Redis (TEST_REDIS_URL), never eager
# mode. Outside these fixtures the app keeps the zero-setup settings of the test run.


@contextmanager
def celery_broker(url: str, *, eager: bool = False) -> Iterator[None]:
    """Point the Celery app's producers at `url` for a while (a closed port: the broker is
    down). Celery caches its connection pools, so they are dropped on the way in and out."""
    from bzpeer.celery import app

    saved = (app.conf.broker_url, app.conf.task_always_eager)

    def repoint(broker_url: str, always_eager: bool) -> None:
        app.conf.broker_url, app.conf.task_always_eager = broker_url, always_eager
        # Dropped, not closed: kombu's global registry may still hand the old pools out.
        app._pool = None
        app.amqp._producer_pool = None

    repoint(url, eager)
    try:
        yield
    finally:
        repoint(*saved)


def _test_redis_url() -> str:
    url = os.environ.get("TEST_REDIS_URL", "")
    if not url:
        pytest.fail("Set TEST_REDIS_URL (scripts/test uses redis://127.0.0.1:6379/15)")
    return url


@pytest.fixture
def celery_worker(transactional_db):
    """A real worker consuming from Redis, and the app publishing there, for one test. The
    worker writes through its own connection, so the test's database must be transactional;
    it is started per test so that no other test ever publishes to it."""
    from celery.contrib.testing.worker import start_worker
    from celery.signals import task_postrun
    from django.db import connections

    from bzpeer.celery import app

    def close_connections(**kwargs: object) -> None:
        # The worker thread's own connections, or the test database could not be flushed
        # and dropped.
        connections.close_all()

    task_postrun.connect(close_connections, weak=False)
    try:
        with celery_broker(_test_redis_url()):
            app.control.purge()  # leftovers of an interrupted run
            with start_worker(app, pool="solo", perform_ping_check=False, loglevel="WARNING") as w:
                yield w
    finally:
        task_postrun.disconnect(close_connections)


@pytest.fixture
def published_tasks() -> Iterator[list[tuple[str, tuple]]]:
    """(task name, args) of every task published while the test runs."""
    from celery.signals import before_task_publish

    sent: list[tuple[str, tuple]] = []

    def record(sender: str, body: tuple, **kwargs: object) -> None:
        sent.append((sender, tuple(body[0])))

    before_task_publish.connect(record, weak=False)
    yield sent
    before_task_publish.disconnect(record)


@pytest.fixture
def held_worker(celery_worker):
    """The worker, made to wait before each task until the test lets it go: the building
    state can then be seen for certain, however fast the task."""
    from celery.signals import task_prerun

    go = threading.Event()

    def wait(**kwargs: object) -> None:
        go.wait(15)

    task_prerun.connect(wait, weak=False)
    yield go
    go.set()
    task_prerun.disconnect(wait)
