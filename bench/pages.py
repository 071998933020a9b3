"""Every page a visitor meets, on a generated million-work corpus: requests per second, p50
and p99 under wrk, each as a ratio to bare Django (/healthz) measured in the same run, and
the queries each page runs.

    bench/run [--works 1000000] [--authors 300000] [--seconds 10] [--connections 16]

Not a test. On the database of DATABASE_URL (default bzpeer_pages on 127.0.0.1, created if
missing; refused unless local) it generates the corpus with works.generate (or reuses the one
in var/bench/) and imports it with `import_openalex --workers 2`, once: the database
remembers which corpus it holds. Then it picks the researchers (the median, the top 1% and
the most prolific by works), a work with about 100 authors, the biggest topic and
institution and three searches; gives the median researcher an owner with unread
notifications; counts each page's queries with Django's test client; and serves the app with
gunicorn as docker-compose does (with Redis as the cache, db --redis-db of REDIS_HOST, which
it flushes) to drive each page with wrk. Cold and "not kept" rows are served with the page
caches off (RESEARCHER_PAGE_CACHE_SECONDS=0, PAGE_CACHE_SECONDS=0): what the first visitor
after an import, a search nobody asked before, or a crawler on a page nobody has seen costs.
Installs Debian's wrk when missing (bench/run).
"""

import argparse
import os
import platform
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from import_openalex import CACHE, corpus_for, empty_corpus  # noqa: E402

from works.generate import CorpusSpec  # noqa: E402

PORT = 8766
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
OWNER_EMAIL = "bench-owner@example.org"


def setup(database_url: str, redis_url: str) -> None:
    os.environ.update(
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        DEBUG="0",
        SECRET_KEY="bench-only",
        ALLOWED_HOSTS="127.0.0.1,testserver",
        DJANGO_SETTINGS_MODULE="bzpeer.settings",
    )
    import django

    django.setup()


def ensure_database(url: str) -> None:
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(url)
    if config["HOST"] not in LOCAL_HOSTS:
        raise SystemExit(f"refusing {config['HOST']!r}: the bench only runs on this machine")
    admin = {"host": config["HOST"], "port": config["PORT"] or 5432, "user": config["USER"]}
    with psycopg.connect(**admin, dbname="postgres", autocommit=True) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]])
        if not found.fetchone():
            conn.execute(f'CREATE DATABASE "{config["NAME"]}"')


def ensure_corpus(spec: CorpusSpec, cache: Path) -> str:
    """Import the generated corpus unless this database holds it already; its folder name."""
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)  # DEBUG off: the manifest's names
    full, _ = corpus_for(spec, cache)
    key = full.parent.name
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_corpus (name text)")
        cursor.execute("SELECT name FROM bench_corpus")
        held = cursor.fetchone()
    if held and held[0] == key:
        print(f"The database holds {key} already", file=sys.stderr)
        return key
    print(f"Importing {full} with 2 workers ...", file=sys.stderr, flush=True)
    empty_corpus(connection)
    started = time.monotonic()
    call_command("import_openalex", str(full), "--workers", "2", "--quiet")
    print(f"  imported in {time.monotonic() - started:.0f} s", file=sys.stderr)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM bench_corpus")
        cursor.execute("INSERT INTO bench_corpus VALUES (%s)", [key])
    return key


def pick_pages() -> tuple[dict[str, str], dict[str, str]]:
    """(researcher pages by label, other pages by label) on this corpus."""
    from django.db.models import Count

    from works.models import Author, Institution, Topic, Work

    ranked = list(
        Author.objects.public()
        .filter(works_in_db__gt=0)
        .order_by("-works_in_db", "id")
        .values_list("openalex_id", "works_in_db", "display_name")
    )
    median, top, most = ranked[len(ranked) // 2], ranked[len(ranked) // 100], ranked[0]
    researchers = {
        f"median ({median[1]} works)": median[0],
        f"top 1% ({top[1]} works)": top[0],
        f"most prolific ({most[1]} works)": most[0],
    }
    work = (
        Work.objects.filter(byline_size__gte=100).order_by("byline_size", "id").first()
        or Work.objects.order_by("-byline_size", "id").first()
    )
    topic = Topic.objects.annotate(n=Count("work_topics")).order_by("-n", "id").first()
    institution = (
        Institution.objects.annotate(n=Count("last_known_authors")).order_by("-n", "id").first()
    )
    family = lambda name: name.split()[-1]  # noqa: E731
    common = family(most[2])
    rare = ranked[-1][2]
    topic_word = max(topic.display_name.split(), key=len)
    others = {
        f"search: common name ({common})": f"/researchers/?q={quote(common)}",
        f"search: rare name ({rare})": f"/researchers/?q={quote(rare)}",
        f"search: topic word ({topic_word})": f"/researchers/?q={quote(topic_word)}",
        f"work page ({work.byline_size} authors)": f"/works/{work.openalex_id}/",
        "topic page": f"/topics/{topic.openalex_id}/",
        "institution page": f"/institutions/{institution.openalex_id}/",
        "trust panel (median)": f"/researchers/{median[0]}/trust/",
        "graph panel (median)": f"/researchers/{median[0]}/graph-panel/",
    }
    return researchers, others


def owner_session(author_openalex_id: str) -> str:
    """The cookies of the median researcher's owner (session and CSRF, as their browser has
    them), who has unread notifications."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model
    from django.test import Client

    from notices.models import Notification
    from profiles.models import Claim
    from works.models import Author

    user, _ = get_user_model().objects.get_or_create(
        username="bench-owner", defaults={"email": OWNER_EMAIL}
    )
    EmailAddress.objects.get_or_create(
        user=user, email=OWNER_EMAIL, defaults={"primary": True, "verified": True}
    )
    author = Author.objects.get(openalex_id=author_openalex_id)
    Claim.objects.filter(user=user).exclude(author=author).delete()
    Claim.objects.get_or_create(
        user=user, author=author, defaults={"status": Claim.Status.ACTIVE, "level": 3}
    )
    if not Notification.objects.filter(user=user, read_at__isnull=True).exists():
        Notification.objects.bulk_create(
            Notification(user=user, kind=Notification.Kind.NEW_WORKS, text=f"Bench {n}")
            for n in range(5)
        )
    client = Client()
    client.force_login(user)
    client.get("/")  # the CSRF cookie a browser holds after its first page
    return "; ".join(f"{name}={client.cookies[name].value}" for name in ("sessionid", "csrftoken"))


def count_queries(path: str, cookie: str = "") -> int:
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    cache.clear()
    client = Client()
    if cookie:
        client.cookies.load(cookie)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    if response.status_code != 200:
        raise SystemExit(f"{path}: {response.status_code}")
    return len(queries)


def serve(env: dict, workers: int) -> subprocess.Popen:
    # As docker-compose's web service runs it (its access log to stdout, here discarded).
    server = subprocess.Popen(
        [
            sys.executable, "-m", "gunicorn", "bzpeer.wsgi:application",
            "--bind", f"127.0.0.1:{PORT}", "--workers", str(workers), "--access-logfile", "-",
        ],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=2).read()
            return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise SystemExit("gunicorn did not answer")


def database_quiet(limit: float = 300.0) -> None:
    """Wait until no other session runs a query on the bench database: a slow page leaves
    its queries running in PostgreSQL after wrk stops (the server learns the client left
    only when it answers), and they would slow the next row."""
    from django.db import connection

    started, quiet = time.monotonic(), 0
    while time.monotonic() - started < limit:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                " AND state = 'active' AND pid <> pg_backend_pid()"
            )
            # Three quiet seconds in a row: gunicorn may still be answering requests that
            # wrk queued before it left.
            quiet = 0 if cursor.fetchone()[0] else quiet + 1
        if quiet == 3:
            return
        time.sleep(1)
    print(f"  (queries still running after {limit:.0f} s)", file=sys.stderr)


def wrk(path: str, args: argparse.Namespace, cookie: str = "") -> tuple[float, float, float, int]:
    """(req/s, p50 ms, p99 ms, requests over 2 s) of one page."""
    url = f"http://127.0.0.1:{PORT}{path}"
    database_quiet()
    headers = ["-H", f"Cookie: {cookie}"] if cookie else []
    for _ in range(4):  # warm each worker's connection, templates and (if on) the page cache
        request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
        urllib.request.urlopen(request, timeout=60).read()
    out = subprocess.run(
        ["wrk", "-t1", f"-c{args.connections}", f"-d{args.seconds}s", "--latency", *headers, url],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    if "Non-2xx" in out:
        raise SystemExit(f"wrk saw errors on {path}:\n{out}")
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    # Requests still unanswered after wrk's 2 s: counted, not fatal (a slow page is a figure).
    late = re.search(r"timeout (\d+)", out)
    return rate, _latency(out, "50%"), _latency(out, "99%"), int(late.group(1)) if late else 0


def _latency(out: str, percentile: str) -> float:
    value, unit = re.search(rf"{percentile}\s+([\d.]+)(us|ms|s)\b", out).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--works", type=int, default=1_000_000)
    parser.add_argument("--authors", type=int, default=300_000)
    parser.add_argument("--seconds", type=int, default=10, help="wrk time per page (10)")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (2)")
    parser.add_argument("--cache", type=Path, default=CACHE, help="Where corpora are kept.")
    parser.add_argument("--redis-db", type=int, default=8)
    args = parser.parse_args()
    database_url = os.environ.get(
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bzpeer_pages"
    )
    redis_host = os.environ.get("REDIS_HOST", "127.0.0.1:6379")
    redis_url = f"redis://{redis_host}/{args.redis_db}"
    if urlsplit(redis_url).hostname not in LOCAL_HOSTS:
        raise SystemExit("the bench only runs on this machine")
    ensure_database(database_url)
    setup(database_url, redis_url)
    spec = CorpusSpec(works=args.works, authors=args.authors, seed=1, part_size=25_000)
    corpus = ensure_corpus(spec, args.cache)
    researchers, others = pick_pages()
    cookie = owner_session(next(iter(researchers.values())))

    # (path, cookie) per row; logged in is the median's owner, on their own page and others'.
    warm = {"bare Django (/healthz)": ("/healthz", "")}
    cold = {}
    for label, openalex_id in researchers.items():
        path = f"/researchers/{openalex_id}/"
        warm[f"researcher {label}, anonymous warm"] = (path, "")
        warm[f"researcher {label}, logged in"] = (path, cookie)
        cold[f"researcher {label}, anonymous cold"] = (path, "")
    for label, path in others.items():
        warm[label] = (path, "")
        if not label.endswith("(median)"):
            # Search and corpus pages are kept for anonymous visitors too: what a query or a
            # page nobody asked since the last import costs.
            cold[f"{label}, not kept"] = (path, "")
    rows = {**warm, **cold}
    queries = {
        label: count_queries(path, with_cookie) for label, (path, with_cookie) in rows.items()
    }

    env = {**os.environ}
    figures = {}
    no_keeping = {"RESEARCHER_PAGE_CACHE_SECONDS": "0", "PAGE_CACHE_SECONDS": "0"}
    for pages, extra in ((warm, {}), (cold, no_keeping)):
        from django.core.cache import cache

        cache.clear()
        server = serve({**env, **extra}, args.workers)
        try:
            for label, (path, page_cookie) in pages.items():
                figures[label] = wrk(path, args, page_cookie)
                print(f"  {label:<58} {figures[label][0]:>9,.0f}/s", file=sys.stderr, flush=True)
        finally:
            server.terminate()
            server.wait()

    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        server_version = cursor.fetchone()[0].split(" on ")[0]
    bare = figures["bare Django (/healthz)"][0]
    print()
    print(
        f"{corpus}: {args.works:,} works, {args.authors:,} authors; {server_version}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, gunicorn "
        f"{args.workers} workers, wrk {args.connections} connections x {args.seconds} s, "
        f"{time.strftime('%Y-%m-%d')}"
    )
    print(
        f"{'page':<62} {'req/s':>8} {'ratio':>6} {'p50 ms':>7} {'p99 ms':>7} {'queries':>7} "
        f"{'over 2 s':>8}"
    )
    for label in rows:
        rate, p50, p99, late = figures[label]
        print(
            f"{label:<62} {rate:>8,.0f} {rate / bare:>6.3f} {p50:>7.1f} {p99:>7.1f} "
            f"{queries[label]:>7} {late:>8}"
        )


if __name__ == "__main__":
    main()
