"""The zero-setup default as a first visitor meets it: `scripts/run`'s settings (an SQLite file,
no REDIS_URL, so tasks run in-process), a real `runserver` in its own process, and Chromium
opening fresh researcher pages whose trust and graph panels load at the same moment."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
# The demo's researchers, all with pages: Mitchell Wortsman and his co-authors.
RESEARCHERS = [f"ADEMO{n:04d}" for n in range(1, 21)]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _zero_setup_env(database: Path) -> dict[str, str]:
    """scripts/run's environment. The SQLite file is named only to keep it in tmp_path: an
    sqlite:// DATABASE_URL gets the same settings as the unset default (var/bzpeer.sqlite3)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "REDIS_URL", "TEST_REDIS_URL", "SECRET_KEY")
    }
    return env | {"DEBUG": "1", "DATABASE_URL": f"sqlite:///{database}", "PYTHONUNBUFFERED": "1"}


def _manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, timeout=120)


@pytest.fixture
def zero_setup_server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """(base URL, server log) of `manage.py runserver` on the zero-setup settings."""
    env = _zero_setup_env(tmp_path / "bzpeer.sqlite3")
    _manage(env, "migrate", "--noinput", "-v0")
    _manage(env, "load_demo")
    port = _free_port()
    log = tmp_path / "runserver.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{url}/healthz", timeout=2)
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"runserver did not start:\n{log.read_text()}")
                time.sleep(0.1)
        yield url, log
    finally:
        server.terminate()
        server.wait(10)


def test_twenty_first_visits_show_both_panels_without_an_error(zero_setup_server, page: Page):
    url, log = zero_setup_server
    failures = []
    for openalex_id in RESEARCHERS:
        # Both panels ask at once (hx-trigger="load"), and both compute and write at once.
        with (
            page.expect_response(re.compile(r"/trust/$")) as trust,
            page.expect_response(re.compile(r"/graph-panel/$")) as graph,
        ):
            page.goto(f"{url}/researchers/{openalex_id}/")
        for panel in (trust.value, graph.value):
            if panel.status != 200:
                failures.append(f"{panel.url}: {panel.status}")
        if failures:
            continue
        expect(page.locator("#trust-panel .score")).to_be_visible()
        expect(page.locator("#graph-panel svg")).to_be_visible()
        for panel in ("#trust-panel", "#graph-panel"):
            expect(page.locator(panel)).not_to_contain_text("not answering")

    served = log.read_text()
    assert not failures, f"{failures}\n{served[-4000:]}"
    assert not re.search(r'" 5\d\d ', served), served[-4000:]
    assert "database is locked" not in served
    assert served.count('/trust/ HTTP/1.1" 200') == len(RESEARCHERS)
