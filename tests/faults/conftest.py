"""The fault suite's real processes: a redis-server and Celery workers of its own, started,
stopped and killed by the PIDs recorded here (never anything else on the machine), and the
invariants the database must keep through every fault."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from django.db import connection
from django.db.models import Count, QuerySet
from django.utils import timezone

from graph import panels
from graph.models import GraphSlice, TrustScore
from profiles.models import Claim, Follow, Invite

ROOT = Path(__file__).resolve().parents[2]
REDIS_SERVER = Path("/usr/bin/redis-server")
CELERY = Path(sys.executable).parent / "celery"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(
    what: str, done: Callable[[], object], seconds: float = 20, log: Path | None = None
) -> None:
    deadline = time.monotonic() + seconds
    while not done():
        if time.monotonic() > deadline:
            tail = log.read_text()[-3000:] if log and log.exists() else ""
            pytest.fail(f"{what} after {seconds} s\n{tail}")
        time.sleep(0.05)


class RedisServer:
    """A redis-server on a free port of 127.0.0.1, nothing saved to disk; stop() and start()
    again keep its port, so everything configured with its URL meets the same address."""

    def __init__(self, workdir: Path) -> None:
        if not REDIS_SERVER.exists():
            pytest.fail(f"{REDIS_SERVER} is missing: the fault suite runs a Redis of its own")
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.workdir = workdir
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        log = (self.workdir / "redis.log").open("a")
        self.process = subprocess.Popen(
            [
                str(REDIS_SERVER),
                *("--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.workdir)),
                *("--save", "", "--appendonly", "no"),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        client = redis.Redis.from_url(self.url, socket_connect_timeout=0.2)
        wait_for("redis-server did not answer", lambda: self._pings(client), 10)

    def _pings(self, client: redis.Redis) -> bool:
        try:
            return client.ping()
        except redis.ConnectionError:
            return False

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGTERM)
            self.process.wait(10)

    def client(self) -> redis.Redis:
        return redis.Redis.from_url(self.url)


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def database_url_of_the_test_run() -> str:
    """The test database (pytest-django's test_… one), for processes of our own."""
    s = connection.settings_dict
    password = f":{quote(s['PASSWORD'], safe='')}" if s["PASSWORD"] else ""
    return f"postgres://{quote(s['USER'], safe='')}{password}@{s['HOST']}:{s['PORT']}/{s['NAME']}"


def app_environment(redis_url: str) -> dict[str, str]:
    """The environment of the full stack (compose's web and worker) on the test database and
    the given Redis."""
    env = {k: v for k, v in os.environ.items() if k != "TEST_REDIS_URL"}
    return env | {
        "DATABASE_URL": database_url_of_the_test_run(),
        "REDIS_URL": redis_url,
        "SECRET_KEY": "fault-suite",
        "DEBUG": "0",
        "DJANGO_SETTINGS_MODULE": "bzpeer.settings",
    }


def settings_of_the_stack(redis_url: str, *names: str) -> dict:
    """Settings as bzpeer/settings.py makes them with REDIS_URL set (the test run has none)."""
    code = (
        "import json; from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {list(names)!r}}}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=app_environment(redis_url),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return json.loads(out.stdout)


class Worker:
    """`celery -A bzpeer worker` in a process of its own (the solo pool: the task runs in the
    process whose PID is recorded, so a SIGKILL lands mid-task)."""

    def __init__(self, redis_url: str, log: Path) -> None:
        self.env = app_environment(redis_url)
        self.log = log
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        offset = self.log.stat().st_size if self.log.exists() else 0
        with self.log.open("a") as out:
            self.process = subprocess.Popen(
                [
                    str(CELERY),
                    *("-A", "bzpeer", "worker", "--pool=solo", "--loglevel=INFO"),
                    *("--without-heartbeat", "--without-gossip", "--without-mingle"),
                    *("--hostname", f"faults-{os.getpid()}-{time.monotonic_ns()}@%h"),
                ],
                cwd=ROOT,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )

        def ready() -> bool:
            if self.process.poll() is not None:
                pytest.fail(f"the worker exited:\n{self.log.read_text()[-3000:]}")
            with self.log.open() as f:
                f.seek(offset)
                return " ready." in f.read()

        wait_for("the worker is not ready", ready, 30, self.log)

    def kill(self) -> None:
        """SIGKILL: no warm shutdown, nothing acknowledged or handed back."""
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def worker_factory(transactional_db, tmp_path: Path) -> Iterator:
    """Workers on the test database: make(redis_url) returns one, not yet started. They all
    stop before the test database is flushed."""
    workers: list[Worker] = []

    def make(redis_url: str) -> Worker:
        workers.append(Worker(redis_url, tmp_path / f"worker-{len(workers)}.log"))
        return workers[-1]

    yield make
    for worker in workers:
        worker.stop()


def other_backends(*, waiting_on_a_lock: bool = False) -> set[int]:
    """The backend PIDs of other connections to the test database (our processes' and the
    earlier tests' lingering ones), read from pg_stat_activity; only those blocked on a lock
    if asked. Only read: no backend is ever signalled."""
    sql = (
        "SELECT pid FROM pg_stat_activity"
        " WHERE datname = current_database() AND pid <> pg_backend_pid()"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql + (" AND wait_event_type = 'Lock'" if waiting_on_a_lock else ""))
        return {row[0] for row in cursor.fetchall()}


def other_backends_waiting_on_a_lock() -> set[int]:
    return other_backends(waiting_on_a_lock=True)


@pytest.fixture(autouse=True)
def invariants(transactional_db) -> Iterator[None]:
    """After every fault, what the database must still hold, whatever happened on the way."""
    silent_after = panels.WORKER_SILENT_AFTER  # as it is before a test shortens it
    yield

    def duplicates(queryset: QuerySet, *fields: str) -> list:
        return list(
            queryset.values(*fields).annotate(n=Count("id")).filter(n__gt=1).values(*fields)
        )

    assert duplicates(Follow.objects.all(), "user", "author") == [], "duplicate follows"
    assert duplicates(Claim.objects.live(), "author") == [], "two live claims of a record"
    assert (
        duplicates(Invite.objects.filter(status=Invite.Status.PENDING), "sender", "recipient") == []
    ), "two pending invites between the same two people"
    # A panel row queued and silent: the panel says "not answering" until someone retries.
    silent = timezone.now() - silent_after
    for model in (TrustScore, GraphSlice):
        assert not model.objects.filter(queued_at__lt=silent).exists(), f"{model.__name__} stuck"
