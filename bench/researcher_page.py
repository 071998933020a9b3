"""Requests per second of the researcher page, as a ratio to a bare Django response.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bzpeer_bench \
        .venv/bin/python bench/researcher_page.py

Not a test: it migrates the named database, loads the demo data plus one synthetic researcher
with 50 works (through the real importer), serves the app with gunicorn (DEBUG off, persistent
connections) and drives it with wrk from a second process. Every figure is printed beside
/healthz (a one-query Django response) measured in the same run, because these machines are
noisy. Installs Debian's wrk when missing.
"""

import argparse
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORT = 8765
SYNTHETIC_AUTHOR = "ABENCH0001"


def synthetic_records(n_works: int) -> list[dict]:
    """One researcher with n_works works, six co-authors each from a pool of 40, two topics."""
    topics = [
        {
            "id": f"https://openalex.org/TBENCH{i:04d}",
            "display_name": f"Bench topic {i}",
            "score": 0.9 - i / 100,
        }
        for i in range(8)
    ]
    words = ("robust models learn sparse weights under distribution shift " * 20).split()
    abstract: dict[str, list[int]] = {}
    for pos, word in enumerate(words):
        abstract.setdefault(word, []).append(pos)
    records = []
    for w in range(n_works):
        people = [SYNTHETIC_AUTHOR] + [f"ABENCH{1 + (w * 7 + k) % 40 + 1:04d}" for k in range(6)]
        records.append(
            {
                "id": f"https://openalex.org/WBENCH{w:04d}",
                "title": f"Synthetic work number {w} on robustness",
                "type": "article",
                "publication_year": 2000 + w % 25,
                "publication_date": f"{2000 + w % 25}-01-01",
                "updated_date": "2026-01-01T00:00:00",
                "cited_by_count": w,
                "abstract_inverted_index": abstract,
                "primary_location": {
                    "source": {
                        "id": "https://openalex.org/SBENCH0001",
                        "display_name": "Bench Journal",
                        "type": "journal",
                    }
                },
                "authorships": [
                    {
                        "author_position": "first" if i == 0 else ("last" if i == 6 else "middle"),
                        "author": {
                            "id": f"https://openalex.org/{a}",
                            "display_name": f"Bench Person {a[-4:]}",
                        },
                        "raw_author_name": f"Bench Person {a[-4:]}",
                        "institutions": [],
                        "is_corresponding": i == 0,
                    }
                    for i, a in enumerate(people)
                ],
                "topics": topics[w % 4 : w % 4 + 3],
                "primary_topic": topics[w % 4],
            }
        )
    return records


def manage(*args: str, env: dict) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def wait_until_up(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"the server did not answer at {url}")


def wrk(url: str, seconds: int, connections: int) -> float:
    out = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    if "Non-2xx" in out:
        raise SystemExit(f"wrk saw errors on {url}:\n{out}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to a PostgreSQL database (it will be migrated).")
    if not shutil.which("wrk"):
        print("installing wrk (Debian package)...", file=sys.stderr)
        subprocess.run(
            ["apt-get", "install", "-y", "-q", "wrk"], check=True, stdout=subprocess.DEVNULL
        )
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "bench-only",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SETTINGS_MODULE": "bzpeer.settings",
    }
    env.pop("REDIS_URL", None)

    print("preparing data: migrate, demo, one synthetic researcher with 50 works", flush=True)
    manage("migrate", "--noinput", "-v0", env=env)
    manage("load_demo", "--quiet", env=env)
    with tempfile.TemporaryDirectory() as tmp:
        part = Path(tmp) / "works.jsonl.gz"
        with gzip.open(part, "wt") as fh:
            for record in synthetic_records(50):
                fh.write(json.dumps(record) + "\n")
        manage("import_openalex", "--quiet", str(part), env=env)
    manage("collectstatic", "--noinput", "-v0", env=env)

    pages = {
        "bare Django (/healthz)": "/healthz",
        "researcher page, demo (5 works)": "/researchers/ADEMO0001/",
        "researcher page, 50 works": f"/researchers/{SYNTHETIC_AUTHOR}/",
        "search page": "/researchers/?q=wortsman",
        "work page": "/works/WDEMO0001/",
    }
    # The same pages with the anonymous page cache on (as deployed) and off (what a logged-in
    # visitor, or the first anonymous one after an import, costs).
    cached = measure(pages, env, args)
    uncached = measure(pages, {**env, "RESEARCHER_PAGE_CACHE_SECONDS": "0"}, args)
    baseline = cached["bare Django (/healthz)"]
    print(f"\n{'page':34} {'req/s':>8} {'ratio':>7}   {'no cache':>8} {'ratio':>7}")
    for name in pages:
        print(
            f"{name:34} {cached[name]:8.0f} {cached[name] / baseline:7.3f}"
            f"   {uncached[name]:8.0f} {uncached[name] / baseline:7.3f}"
        )
    print("(ratio: to bare Django, measured in the same run with the cache on)")


def measure(pages: dict[str, str], env: dict, args: argparse.Namespace) -> dict[str, float]:
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "bzpeer.wsgi:application",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            str(args.workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{PORT}"
    try:
        wait_until_up(base + "/healthz")
        for path in pages.values():  # warm every worker's connection and template cache
            for _ in range(2 * args.workers):
                urllib.request.urlopen(base + path).read()
        return {
            name: wrk(base + path, args.seconds, args.connections) for name, path in pages.items()
        }
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
