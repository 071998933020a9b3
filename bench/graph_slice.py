"""Time to build a research-graph slice, against the database reads it needs.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bzpeer_graph_bench \
        .venv/bin/python bench/graph_slice.py [--authors 100000] [--works 300000] [--keep]

Not a test. Migrates the database, empties the corpus tables (TRUNCATE ... CASCADE: use a
database of your own, or pass --keep to reuse what an earlier run generated) and generates a
synthetic corpus in SQL: N authors, M works with 1 to 6 authorships each (about 3.5 on
average, so ~1,000,000 authorships at the defaults), authors drawn with a skewed law (author
rank r is picked with density ~ r^(-2/3), so the first author is on thousands of works and
the median one on a few), three topics and an institution per authorship, and the
co-authorship table. Then, for the median, a top-1% and the most prolific researcher, it
times graph.selectors.graph_neighbourhood_get (the SQL reads) and the whole
graph.services.graph_slice_compute (reads, personalized PageRank, layout, the stored row),
best of five, and prints each as a ratio to the reads alone. Targets on a 2-core machine:
a top-1% slice within 200 ms, the most prolific within 1 s.
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bzpeer.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only")
    import django

    django.setup()


def generate(n_authors: int, n_works: int) -> None:
    from django.db import connection

    from works.services import corpus_version_bump

    tables = [
        "works_coauthorship",
        "works_authorship_institutions",
        "works_authorship",
        "works_worktopic",
        "works_work",
        "works_author_last_known_institutions",
        "works_author",
        "works_topic",
        "works_institution",
        "works_source",
        "graph_graphslice",
        "graph_trustscore",
    ]
    steps = [
        ("empty the corpus", f"TRUNCATE {', '.join(tables)} CASCADE"),
        (
            "institutions",
            """INSERT INTO works_institution (openalex_id, ror, display_name, country_code,
                   type, homepage_url)
               SELECT 'IB' || i, '', 'Institute ' || i, 'US', 'education', ''
               FROM generate_series(1, 1000) i""",
        ),
        (
            "topics",
            """INSERT INTO works_topic (openalex_id, display_name, subfield, field, domain)
               SELECT 'TB' || i, 'Topic ' || i, '', '', '' FROM generate_series(1, 300) i""",
        ),
        (
            "authors",
            f"""INSERT INTO works_author (openalex_id, orcid, display_name,
                   display_name_alternatives, search_name, works_count, works_in_db,
                   cited_by_count, summary_stats)
                SELECT 'AB' || i, '', 'Author ' || i, '[]', 'author ' || i, 0, 0, 0, '{{}}'
                FROM generate_series(1, {n_authors}) i""",
        ),
        (
            "works",
            f"""INSERT INTO works_work (openalex_id, doi, title, abstract, type,
                   publication_year, is_oa, oa_status, cited_by_count, language, byline_size)
                SELECT 'WB' || i, '', 'Synthetic work ' || i, '', 'article',
                       1990 + i % 35, false, '', (random() * 200)::int, 'en', 1 + i % 6
                FROM generate_series(1, {n_works}) i""",
        ),
        # Skewed authors: u^3 for uniform u piles the picks onto the first ranks.
        (
            "authorships",
            f"""WITH picks AS (
                    SELECT DISTINCT ON (w.id, a.author_id) w.id AS work_id, a.author_id, s
                    FROM works_work w
                    CROSS JOIN LATERAL generate_series(1, 1 + w.id % 6) s
                    CROSS JOIN LATERAL (
                        SELECT (SELECT min(id) FROM works_author)
                               + floor({n_authors} * power(random(), 3) + s * 0)::bigint
                               AS author_id
                    ) a
                    ORDER BY w.id, a.author_id, s
                )
                INSERT INTO works_authorship (work_id, author_id, "order", position,
                    raw_author_name, is_corresponding, created_at)
                SELECT work_id, author_id,
                       row_number() OVER (PARTITION BY work_id ORDER BY s) - 1, '', '', false,
                       now()
                FROM picks""",
        ),
        (
            "topics of works",
            """INSERT INTO works_worktopic (work_id, topic_id, score, is_primary)
               SELECT w.id, t.min_id + (w.id * 7 + k * 101) % 300, 1.0 - k / 10.0, k = 0
               FROM works_work w
               CROSS JOIN (SELECT min(id) AS min_id FROM works_topic) t
               CROSS JOIN generate_series(0, 2) k""",
        ),
        (
            "institutions of authorships",
            """INSERT INTO works_authorship_institutions (authorship_id, institution_id)
               SELECT au.id, i.min_id + au.author_id % 1000
               FROM works_authorship au
               CROSS JOIN (SELECT min(id) AS min_id FROM works_institution) i""",
        ),
        (
            "co-authorships",
            """INSERT INTO works_coauthorship (author_id, coauthor_id, shared_works_count,
                   last_year)
               SELECT mine.author_id, theirs.author_id, COUNT(*), MAX(w.publication_year)
               FROM works_authorship mine
               JOIN works_authorship theirs
                 ON theirs.work_id = mine.work_id AND theirs.author_id <> mine.author_id
               JOIN works_work w ON w.id = mine.work_id
               GROUP BY mine.author_id, theirs.author_id""",
        ),
        (
            "works per author",
            """UPDATE works_author a SET works_in_db = n.c, works_count = n.c
               FROM (SELECT author_id, COUNT(*) c FROM works_authorship GROUP BY author_id) n
               WHERE n.author_id = a.id""",
        ),
        ("statistics", "ANALYZE"),
    ]
    with connection.cursor() as cursor:
        for label, sql in steps:
            started = time.monotonic()
            cursor.execute(sql)
            print(f"  {label:<30} {time.monotonic() - started:6.1f} s", flush=True)
    corpus_version_bump()


def best_of(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--authors", type=int, default=100_000)
    parser.add_argument("--works", type=int, default=300_000)
    parser.add_argument("--keep", action="store_true", help="reuse the generated corpus")
    args = parser.parse_args()
    setup_django()
    from django.core.management import call_command
    from django.db import connection

    from graph.selectors import graph_neighbourhood_get
    from graph.services import graph_slice_compute
    from works.models import Author, Authorship

    call_command("migrate", verbosity=0)
    if not args.keep or not Author.objects.exists():
        print(f"Generating {args.authors:,} authors and {args.works:,} works:")
        generate(args.authors, args.works)
    authorships = Authorship.objects.count()
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM works_coauthorship")
        pairs = cursor.fetchone()[0]
    print(
        f"Corpus: {Author.objects.count():,} authors, {authorships:,} authorships, "
        f"{pairs:,} co-author rows"
    )

    ranked = list(
        Author.objects.filter(works_in_db__gt=0)
        .order_by("-works_in_db", "id")
        .values_list("id", "works_in_db")
    )
    picks = [
        ("median", ranked[len(ranked) // 2]),
        ("top 1%", ranked[len(ranked) // 100]),
        ("most prolific", ranked[0]),
    ]
    print()
    print(f"{'researcher':<15}{'works':>7}{'reads ms':>10}{'slice ms':>10}{'ratio':>7}{'nodes':>7}")
    for label, (author_id, works) in picks:
        author = Author.objects.get(id=author_id)
        reads = best_of(lambda a=author: graph_neighbourhood_get(author=a))
        built = None

        def build(a: int = author_id) -> None:
            nonlocal built
            built = graph_slice_compute(author_id=a)

        whole = best_of(build)
        print(
            f"{label:<15}{works:>7,}{reads * 1000:>10.1f}{whole * 1000:>10.1f}"
            f"{whole / reads:>7.2f}{len(built.nodes):>7}"
        )
    print()
    print("slice ms: reads + personalized PageRank + layout + the stored row (best of 5);")
    print("ratio: slice time / reads alone. Targets: top 1% <= 200 ms, most prolific <= 1 s.")


if __name__ == "__main__":
    main()
