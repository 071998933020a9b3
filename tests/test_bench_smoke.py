"""Every script in bench/ runs, at a tiny size, on a database of its own: a schema or API
change that breaks a benchmark fails here, not months later when someone wants a figure.
Smoke runs only: no timing is asserted (timings belong in bench/README.md)."""

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import dj_database_url
import psycopg
import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def bench_database() -> Iterator[str]:
    """A DATABASE_URL for a new, empty database, dropped afterwards."""
    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bzpeer")
    config = dj_database_url.parse(url)
    admin = {
        "host": config["HOST"] or "127.0.0.1",
        "port": config["PORT"] or 5432,
        "user": config["USER"],
        "password": config["PASSWORD"] or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    name = f"bzpeer_bench_smoke_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(**admin) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(**admin) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run_bench(script: str, *args: str, database_url: str, timeout: int = 300) -> str:
    env = {**os.environ, "DATABASE_URL": database_url, "DEBUG": "0"}
    env.pop("REDIS_URL", None)  # the benchmarks' pages and tasks without the shared Redis
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / script), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, f"{script} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done.stdout


def test_the_import_bench_runs(bench_database, tmp_path):
    out = run_bench(
        "import_openalex.py",
        "--sizes", "400", "--workers", "2", "--part-size", "150", "--cache", str(tmp_path),
        database_url=bench_database,
    )  # fmt: skip
    # The table's row for the size: parse, import, re-import, incremental and 2 workers.
    row = next(line for line in out.splitlines() if line.strip().startswith("400 "))
    assert row.count("/s") == 5, out


def test_the_graph_slice_bench_runs(bench_database):
    out = run_bench(
        "graph_slice.py", "--authors", "300", "--works", "900", database_url=bench_database
    )
    assert "most prolific" in out, out


def test_the_page_bench_runs(bench_database, tmp_path):
    done = subprocess.run(
        [
            str(ROOT / "bench" / "run"),
            "--works", "300", "--authors", "150", "--seconds", "1", "--cache", str(tmp_path),
        ],
        cwd=ROOT,
        env={**os.environ, "BENCH_DATABASE_URL": bench_database},
        capture_output=True,
        text=True,
        timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    rows = [line for line in done.stdout.splitlines() if line.startswith(("bare", "researcher"))]
    # bare Django, then three researchers x (warm, logged in) and three cold rows
    assert len(rows) == 10, done.stdout


def test_the_demo_page_bench_runs(bench_database):
    out = run_bench("researcher_page.py", "--seconds", "1", database_url=bench_database)
    assert "researcher page, 50 works" in out, out
