"""Works per second of the OpenAlex importer, as a ratio to only reading and parsing the file.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bzpeer_imp \
        .venv/bin/python bench/import_openalex.py [--works 20000] [--keep]

Not a test. Writes a gzipped JSON Lines file of N synthetic works (five authorships each on
average, authors drawn from a skewed pool so that a few write hundreds of works, abstracts of
about 150 words as inverted indexes, three topics, a venue) into a temp dir, migrates the
database, empties the corpus tables (TRUNCATE ... CASCADE: use a database of your own, or pass
--keep) and imports the file through works.importer.import_paths. The baseline, measured in the
same process on the same file, is reading and parsing every record with the importer's own
reader and parser but writing nothing. A second import of the same file (every record
unchanged) is timed too. Then the same for 2N works, in a fresh process, to show that peak
memory (ru_maxrss) does not grow with the file.
"""

import argparse
import gzip
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
URL = "https://openalex.org/"


def write_works(path: Path, n_works: int, *, seed: int = 1) -> None:
    """N works, streamed to a .jsonl.gz file (never all in memory)."""
    rng = random.Random(seed)
    n_authors = max(n_works, 100)
    # Zipf-like: author k is drawn with weight 1 / (k + 10), so the first authors are on
    # thousands of works and most on one or two, as in real bibliographies.
    weights = [1 / (k + 10) for k in range(n_authors)]
    cumulative = []
    total = 0.0
    for weight in weights:
        total += weight
        cumulative.append(total)
    vocabulary = [f"word{i}" for i in range(3000)]
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=6) as out:
        for w in range(n_works):
            year = 1990 + rng.randrange(35)
            people = []
            for _ in range(rng.choice((2, 3, 4, 5, 5, 6, 7, 8))):
                k = rng.choices(range(n_authors), cum_weights=cumulative)[0]
                people.append(k)
            abstract: dict[str, list[int]] = {}
            for position in range(rng.randrange(120, 180)):
                abstract.setdefault(rng.choice(vocabulary), []).append(position)
            topics = [
                {
                    "id": f"{URL}T{10000 + t}",
                    "display_name": f"Topic {t}",
                    "score": round(0.99 - i / 10, 4),
                    "subfield": {"display_name": f"Subfield {t % 40}"},
                    "field": {"display_name": f"Field {t % 12}"},
                    "domain": {"display_name": f"Domain {t % 4}"},
                }
                for i, t in enumerate(rng.sample(range(300), 3))
            ]
            oa = w % 3 == 0
            record = {
                "id": f"{URL}W{1000000 + w}",
                "doi": f"https://doi.org/10.5555/BENCH.{w}",
                "title": f"Synthetic work {w}",
                "display_name": f"Synthetic work {w}",
                "publication_year": year,
                "publication_date": f"{year}-06-01",
                "type": "article",
                "language": "en",
                "cited_by_count": rng.randrange(500),
                "updated_date": "2025-06-20T05:04:31.123456",
                "open_access": {"is_oa": oa, "oa_status": "gold" if oa else "closed"},
                "primary_location": {
                    "source": {"id": f"{URL}S{50000 + w % 500}", "display_name": f"Venue {w % 500}"}
                },
                "authorships": [_authorship(i, k, len(people)) for i, k in enumerate(people)],
                "primary_topic": topics[0],
                "topics": topics,
                "abstract_inverted_index": abstract,
            }
            out.write(json.dumps(record) + "\n")


def _authorship(index: int, k: int, count: int) -> dict:
    position = "first" if index == 0 else "last" if index == count - 1 else "middle"
    places = [(k * 7 + j) % 2000 for j in range(k % 3)]
    return {
        "author_position": position,
        "author": {"id": f"{URL}A{5000000 + k}", "display_name": f"Author {k}", "orcid": None},
        "institutions": [
            {"id": f"{URL}I{70000 + p}", "display_name": f"Institution {p}", "country_code": "GB"}
            for p in places
        ],
        "is_corresponding": index == 0,
        "raw_author_name": f"Author {k}",
    }


def measure(path: Path, *, keep: bool) -> dict[str, float]:
    """Run in a fresh process: baseline, import, second import; peak RSS at the end."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bzpeer.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from works.importer import import_paths
    from works.importer.parse import parse_record
    from works.importer.readers import RecordFile

    call_command("migrate", verbosity=0)
    if not keep:
        _empty_corpus(connection)

    started = time.perf_counter()
    parsed = 0
    for _, value in RecordFile(path):
        parse_record(value)
        parsed += 1
    parse_seconds = time.perf_counter() - started

    first = import_paths([path])
    second = import_paths([path])
    assert first.works.created == parsed, first
    assert second.works.unchanged == parsed, second
    return {
        "works": parsed,
        "parse_rate": parsed / parse_seconds,
        "import_rate": parsed / first.elapsed,
        "reimport_rate": parsed / second.elapsed,
        "import_seconds": first.elapsed,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "vendor": connection.vendor,
    }


def _empty_corpus(connection) -> None:  # noqa: ANN001
    tables = [
        "works_coauthorship", "works_worktopic", "works_authorship_institutions",
        "works_authorship", "works_work", "works_author_last_known_institutions",
        "works_author", "works_institution", "works_source", "works_topic",
        "works_deletedwork", "works_mergedid", "profiles_follow", "graph_trustscore",
    ]  # fmt: skip
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"TRUNCATE {', '.join(tables)} CASCADE")
        else:
            for table in tables:
                cursor.execute(f"DELETE FROM {table}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--works", type=int, default=20_000)
    parser.add_argument("--keep", action="store_true", help="Do not empty the corpus tables.")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child, keep=args.keep)))
        return

    results = []
    with tempfile.TemporaryDirectory() as folder:
        for n in (args.works, 2 * args.works):
            path = Path(folder) / f"works_{n}.jsonl.gz"
            write_works(path, n)
            size = path.stat().st_size / 1e6
            print(f"{n:,} works written to {path.name} ({size:.1f} MB gzipped)", flush=True)
            command = [sys.executable, __file__, "--child", str(path)]
            if args.keep:
                command.append("--keep")
            child = subprocess.run(command, capture_output=True, text=True)
            if child.returncode:
                raise SystemExit(f"the measuring process failed:\n{child.stderr}")
            output = child.stdout
            results.append(json.loads(output.strip().splitlines()[-1]))

    print(f"\nDatabase: {results[0]['vendor']}")
    columns = ("works", 8), ("parse only", 12), ("import", 10), ("ratio", 7), ("re-import", 10)
    print(" ".join(f"{name:>{width}}" for name, width in columns) + f" {'peak RSS':>9}")
    for r in results:
        print(
            f"{r['works']:>8,} {r['parse_rate']:>10,.0f}/s {r['import_rate']:>8,.0f}/s"
            f" {r['import_rate'] / r['parse_rate']:>7.1%} {r['reimport_rate']:>8,.0f}/s"
            f" {r['peak_rss_mb']:>6,.0f} MB"
        )


if __name__ == "__main__":
    main()
