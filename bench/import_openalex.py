"""Works per second of the OpenAlex importer on a generated snapshot, each rate as a ratio to
only reading and parsing the same files.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bzpeer_bench \\
        .venv/bin/python bench/import_openalex.py [--sizes 100000,1000000] [--seed 1] \
        [--workers 2] [--part-size 25000]

Not a test. For each size, a corpus of that many works is generated with
works.generate (what `manage.py generate_corpus` writes: authors, institutions, sources and
topics beside the works, skewed like OpenAlex, 10% of the records updated in a later
updated_date partition, some works withdrawn and some author ids merged), or reused from
var/bench/ when one was generated with the same arguments. Then a fresh process, on the
database of DATABASE_URL (refused unless on 127.0.0.1 or localhost; it is migrated, its corpus
tables emptied, and it is refused if anything else in it refers to them), measures:

- parse only: every record of the base snapshot (all but the later partition) read and
  parsed with the importer's own reader and parser, nothing written: the baseline;
- import: the base snapshot into the empty corpus tables (with the deleted and merged ids);
- re-import: the same snapshot again, every record unchanged;
- incremental: `--since` the base date on the whole snapshot, i.e. the later partition alone
  (10% of the works, authors, ... at a newer version);
- N workers: the first import again, into emptied corpus tables, by `import_openalex
  --workers N`'s process pool (the snapshot is written in parts of --part-size records so
  there are parts to share), with its wall time as a share of the one-process import's;
- peak RSS: ru_maxrss of that process at the end.

Rates are works per second of wall time for the whole step (every entity, the deleted and
merged ids included); the incremental one counts the works of the later partition.
"""

import argparse
import hashlib
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import time
from dataclasses import asdict
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from works.generate import GENERATOR_VERSION, CorpusSpec, generate_corpus  # noqa: E402

CACHE = ROOT / "var" / "bench"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


def refuse_unless_local(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql", "pgsql"):
        raise SystemExit("DATABASE_URL must be a PostgreSQL database of its own (postgres://...)")
    if parts.hostname not in LOCAL_HOSTS:
        raise SystemExit(
            f"DATABASE_URL is on {parts.hostname or 'a socket'}: this bench empties the corpus "
            "tables, so it only runs on 127.0.0.1 or localhost"
        )


# --- the corpus, generated once per set of arguments ------------------------------------


def corpus_for(spec: CorpusSpec, cache: Path) -> tuple[Path, Path]:
    """(the whole snapshot, a view of its base: the same files less the later partition)."""
    described = json.dumps([GENERATOR_VERSION, asdict(spec.resolved())], sort_keys=True)
    key = f"works{spec.works}-seed{spec.seed}-{hashlib.sha1(described.encode()).hexdigest()[:8]}"
    folder = cache / key
    if not (folder / "ready").exists():
        shutil.rmtree(folder, ignore_errors=True)
        started = time.monotonic()
        print(f"Generating {spec.works:,} works into {folder} ...", file=sys.stderr, flush=True)
        report = generate_corpus(folder / "full", spec, progress=sys.stderr)
        base_view(folder / "full", folder / "base", later=spec.later_date)
        (folder / "ready").write_text(f"{time.monotonic() - started:.1f}\n")
        rate = spec.works / report.elapsed
        print(f"  generated in {report.elapsed:.0f} s ({rate:,.0f} works/s)", file=sys.stderr)
    else:
        print(f"Reusing {folder}", file=sys.stderr)
    return folder / "full", folder / "base"


def base_view(full: Path, base: Path, *, later: str) -> None:
    """Links to every file of the snapshot but the later partition, and manifests that list
    only what is there, so that the base imports like a snapshot of its own."""
    for path in sorted((full / "data").rglob("*")):
        relative = path.relative_to(full)
        if path.is_dir() or f"updated_date={later}" in relative.parts:
            continue
        target = base / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if path.name == "manifest":
            manifest = json.loads(path.read_text())
            entries = [e for e in manifest["entries"] if f"updated_date={later}" not in e["url"]]
            meta = {
                "content_length": sum(e["meta"]["content_length"] for e in entries),
                "record_count": sum(e["meta"]["record_count"] for e in entries),
            }
            target.write_text(json.dumps({"entries": entries, "meta": meta}, indent=2))
        else:
            target.symlink_to(path)


# --- the measuring process -----------------------------------------------------------------


def measure(full: Path, base: Path, spec: CorpusSpec, workers: int) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bzpeer.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from works.importer import import_paths
    from works.importer.parse import parse_record
    from works.importer.readers import RecordFile, plan_path

    settings = connection.settings_dict
    if connection.vendor != "postgresql" or settings["HOST"] not in LOCAL_HOSTS:
        raise SystemExit(f"refusing {connection.vendor} at {settings['HOST']!r}")
    call_command("migrate", verbosity=0)
    empty_corpus(connection)
    generated = json.loads((full / "generated.json").read_text())["records"]
    base_works = generated["works"][spec.base_date]
    later_works = generated["works"][spec.later_date]

    def step(label: str, works: int, run) -> tuple[float, object]:  # noqa: ANN001
        started = time.perf_counter()
        result = run()
        seconds = time.perf_counter() - started
        print(f"  {label:<12} {works:>10,} works in {seconds:8.1f} s", file=sys.stderr, flush=True)
        return works / seconds, result

    def parse_only() -> int:
        records = 0
        for planned in plan_path(base).files:
            for _, value in RecordFile(planned.path):
                parse_record(value)
                records += 1
        return records

    progress = sys.stderr if sys.stderr.isatty() else False
    parse_rate, _ = step("parse only", base_works, parse_only)
    import_rate, first = step("import", base_works, lambda: import_paths([base], progress=progress))
    reimport_rate, second = step(
        "re-import", base_works, lambda: import_paths([base], progress=progress)
    )
    since = date.fromisoformat(spec.base_date)
    incremental_rate, third = step(
        "incremental",
        later_works,
        lambda: import_paths([full], since=since, progress=progress),
    )
    parallel_rate = None
    if workers > 1:
        # The same first import again, into an emptied corpus, by a pool of processes.
        from works.importer.parallel import import_run_create
        from works.importer.workers import import_with_workers

        empty_corpus(connection)
        parallel_rate, fourth = step(
            f"{workers} workers",
            base_works,
            lambda: import_with_workers(
                import_run_create(paths=[str(base)], mode="workers"), workers=workers
            ),
        )
        assert fourth.works.created == base_works, fourth
    for label, summary in (("import", first), ("re-import", second), ("incremental", third)):
        if summary.errors or summary.problems:
            raise SystemExit(f"{label}: {summary.errors} errors; {summary.problems[:5]}")
    assert first.works.created == base_works, first
    assert second.works.unchanged + second.works.skipped == base_works, second
    assert third.works.updated == later_works, third
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        server = cursor.fetchone()[0].split(" on ")[0]
        cursor.execute("SELECT count(*) FROM works_authorship")
        authorships = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM works_coauthorship")
        coauthorships = cursor.fetchone()[0]
    return {
        "works": base_works,
        "incremental_works": later_works,
        "parse_rate": parse_rate,
        "import_rate": import_rate,
        "reimport_rate": reimport_rate,
        "incremental_rate": incremental_rate,
        "parallel_rate": parallel_rate,
        "workers": workers,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "server": server,
        "coauthorships": coauthorships,
        "authorships": authorships,
    }


def empty_corpus(connection) -> None:  # noqa: ANN001
    """TRUNCATE the works app's tables. Tables of other apps that refer to them (claims,
    follows, scores) must already be empty, or this is someone's data: refuse."""
    from django.apps import apps

    corpus = set()
    for model in apps.get_app_config("works").get_models(include_auto_created=True):
        if model._meta.model_name != "corpusversion":
            corpus.add(model._meta.db_table)
    referring = set()
    with connection.cursor() as cursor:
        frontier = set(corpus)
        while frontier:  # tables that refer to these, and those that refer to them, ...
            cursor.execute(
                "SELECT DISTINCT conrelid::regclass::text FROM pg_constraint "
                "WHERE contype = 'f' AND confrelid::regclass::text = ANY(%s)",
                [sorted(frontier)],
            )
            found = {row[0] for row in cursor.fetchall()} - corpus - referring
            referring |= found
            frontier = found
        for table in sorted(referring):
            cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {table})")
            if cursor.fetchone()[0]:
                raise SystemExit(
                    f"{table} has rows that refer to the corpus: not a database of the bench's "
                    "own; use another DATABASE_URL"
                )
        # The referring tables are empty (checked above): listing them only lets TRUNCATE run.
        cursor.execute(f"TRUNCATE {', '.join(sorted(corpus | referring))} RESTART IDENTITY")


# --- the table -------------------------------------------------------------------------------


def table(results: list[dict], machine: str) -> str:
    header = (
        f"{'works':>10} {'parse only':>12} {'import':>17} {'re-import':>17} "
        f"{'incremental 10%':>17} {'N workers (wall)':>22} {'peak RSS':>9} {'authorships':>12} "
        f"{'co-author rows':>15}"
    )
    lines = [machine, "rates in works/s; % = the rate as a share of parsing alone", "", header]
    for r in results:
        parse = r["parse_rate"]
        cells = [
            f"{r[name]:>9,.0f}/s {r[name] / parse:>5.1%}"
            for name in ("import_rate", "reimport_rate", "incremental_rate")
        ]
        parallel = "-"
        if r.get("parallel_rate"):
            # Its wall time as a share of the one-process import's.
            wall = r["import_rate"] / r["parallel_rate"]
            parallel = f"{r['workers']}: {r['parallel_rate']:>7,.0f}/s x{wall:.2f}"
        lines.append(
            f"{r['works']:>10,} {parse:>10,.0f}/s {' '.join(cells)} {parallel:>22} "
            f"{r['peak_rss_mb']:>6,.0f} MB"
            f" {r['authorships']:>12,} {r['coauthorships']:>15,}"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes", default="100000", help="Works per corpus, comma-separated (100000)."
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--workers",
        type=int,
        default=2,
        help="Processes for the parallel import (2; 1 skips it). Parts of --part-size works.",
    )
    parser.add_argument("--part-size", type=int, default=25_000, help="Records per part (25000).")
    parser.add_argument("--cache", type=Path, default=CACHE, help="Where corpora are kept.")
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        full, base, spec, workers = args.child
        spec = CorpusSpec(**json.loads(spec))
        print(json.dumps(measure(Path(full), Path(base), spec, int(workers))))
        return

    refuse_unless_local(os.environ.get("DATABASE_URL", ""))
    try:
        sizes = [int(size.replace("_", "")) for size in args.sizes.split(",")]
    except ValueError:
        raise SystemExit(f"--sizes {args.sizes!r}: expected numbers like 100000,1000000") from None
    results = []
    for size in sizes:
        spec = CorpusSpec(works=size, seed=args.seed, updated=0.1, part_size=args.part_size)
        full, base = corpus_for(spec, args.cache)
        print(f"Measuring {size:,} works in a fresh process:", file=sys.stderr, flush=True)
        child = subprocess.run(
            [
                sys.executable,
                __file__,
                "--child",
                str(full),
                str(base),
                json.dumps(asdict(spec)),
                str(args.workers),
            ],  # fmt: skip
            stdout=subprocess.PIPE,
            text=True,
        )
        if child.returncode:
            raise SystemExit(f"the measuring process failed (exit {child.returncode})")
        results.append(json.loads(child.stdout.strip().splitlines()[-1]))
    machine = (
        f"{results[0]['server']}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{time.strftime('%Y-%m-%d')}"
    )
    print()
    print(table(results, machine))


if __name__ == "__main__":
    main()
