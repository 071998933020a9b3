"""Co-authorship rows and works_in_db kept up to date from what one batch changed, on
PostgreSQL: the (work, author) links it removed (import_old_link: the replaced works' links
as they were, with the year the work had) and added (import_new_link), as staging.py holds
them. A new work adds pairs among its authors; a replaced work removes its old pairs and adds
its new ones, and a pair on both sides with the same year cancels out. Nothing is recomputed
from Authorship except last_year of the few pairs whose latest shared work may have gone.

Links are one row per work and author, so a work counts once for a pair however many places
of its byline either author holds, and an author is never paired with themselves. A work
whose byline is longer than COAUTHOR_BYLINE_LIMIT pairs nobody (its links still count in
works_in_db): a work that crosses the limit on update loses or gains all its pairs.
"""

from django.db.backends.base.base import BaseDatabaseWrapper

from works.models import COAUTHOR_BYLINE_LIMIT, Author, Authorship, CoAuthorship, Work

_TABLES = {
    "coauthorship": CoAuthorship._meta.db_table,
    "authorship": Authorship._meta.db_table,
    "work": Work._meta.db_table,
    "author": Author._meta.db_table,
}

# Per pair: how many shared works it gains (+1) or loses (-1), the latest year among the
# works it gains, and whether its latest year may have dropped (it lost a dated work, or a
# work's year went down or away), the only case that needs a look at Authorship.
_PAIR_DELTA = f"""
    WITH old_pairs AS (
        SELECT x.author_id, y.author_id AS coauthor_id, x.work_id, x.year
        FROM import_old_link x
        JOIN import_old_link y ON y.work_id = x.work_id AND y.author_id <> x.author_id
        WHERE x.byline <= {COAUTHOR_BYLINE_LIMIT}
    ),
    new_pairs AS (
        SELECT x.author_id, y.author_id AS coauthor_id, x.work_id, x.year
        FROM import_new_link x
        JOIN import_new_link y ON y.work_id = x.work_id AND y.author_id <> x.author_id
        WHERE x.byline <= {COAUTHOR_BYLINE_LIMIT}
    ),
    moved AS (
        SELECT COALESCE(n.author_id, o.author_id) AS author_id,
               COALESCE(n.coauthor_id, o.coauthor_id) AS coauthor_id,
               (n.work_id IS NOT NULL)::int - (o.work_id IS NOT NULL)::int AS delta,
               n.year AS new_year,
               (o.year IS NOT NULL AND (n.work_id IS NULL OR n.year IS NULL OR n.year < o.year))
                   AS may_drop
        FROM new_pairs n
        FULL JOIN old_pairs o
          ON o.work_id = n.work_id AND o.author_id = n.author_id
         AND o.coauthor_id = n.coauthor_id
        WHERE n.work_id IS NULL OR o.work_id IS NULL OR n.year IS DISTINCT FROM o.year
    ),
    summed AS (
        INSERT INTO import_pair_delta (author_id, coauthor_id, delta, new_year, may_drop)
        SELECT author_id, coauthor_id, SUM(delta), MAX(new_year), BOOL_OR(may_drop)
        FROM moved GROUP BY author_id, coauthor_id
        RETURNING delta
    )
    SELECT COUNT(*), COALESCE(BOOL_OR(delta < 0), false) FROM summed
"""

# Existing pairs move by their delta (last_year re-read from Authorship only where it may
# have dropped); pairs that are new are inserted. ON CONFLICT covers a concurrent import
# inserting the same new pair; the NOT EXISTS keeps this statement from touching a row twice.
_PAIR_APPLY = """
    WITH changed AS (
        UPDATE {coauthorship} c
        SET shared_works_count = GREATEST(c.shared_works_count + d.delta, 0),
            last_year = CASE WHEN d.may_drop THEN (
                    SELECT MAX(w.publication_year)
                    FROM {authorship} mine
                    JOIN {authorship} theirs
                      ON theirs.work_id = mine.work_id AND theirs.author_id = c.coauthor_id
                    JOIN {work} w ON w.id = mine.work_id
                    WHERE mine.author_id = c.author_id AND w.byline_size <= {limit}
                ) ELSE GREATEST(c.last_year, d.new_year) END
        FROM import_pair_delta d
        WHERE c.author_id = d.author_id AND c.coauthor_id = d.coauthor_id
        RETURNING c.author_id, c.coauthor_id
    )
    INSERT INTO {coauthorship} (author_id, coauthor_id, shared_works_count, last_year)
    SELECT d.author_id, d.coauthor_id, d.delta, d.new_year
    FROM import_pair_delta d
    WHERE d.delta > 0 AND NOT EXISTS (
        SELECT 1 FROM changed c
        WHERE c.author_id = d.author_id AND c.coauthor_id = d.coauthor_id
    )
    ON CONFLICT (author_id, coauthor_id) DO UPDATE
    SET shared_works_count = {coauthorship}.shared_works_count + excluded.shared_works_count,
        last_year = GREATEST({coauthorship}.last_year, excluded.last_year)
""".format(**_TABLES, limit=COAUTHOR_BYLINE_LIMIT)

_PAIR_DELETE = """
    DELETE FROM {coauthorship} c USING import_pair_delta d
    WHERE c.author_id = d.author_id AND c.coauthor_id = d.coauthor_id
      AND c.shared_works_count = 0
""".format(**_TABLES)

_WORKS_IN_DB = """
    UPDATE {author} a SET works_in_db = GREATEST(a.works_in_db + d.delta, 0)
    FROM (
        SELECT author_id, SUM(n) AS delta FROM (
            SELECT author_id, 1 AS n FROM import_new_link
            UNION ALL
            SELECT author_id, -1 FROM import_old_link
        ) links
        GROUP BY author_id HAVING SUM(n) <> 0
    ) d
    WHERE a.id = d.author_id
""".format(**_TABLES)


def author_links_apply_delta(connection: BaseDatabaseWrapper) -> None:
    """Apply the staged links' delta: two statements, three when a pair lost works, four
    with the works_in_db update; none of them reads more of Authorship than the pairs whose
    last_year may have dropped."""
    with connection.cursor() as cursor:
        cursor.execute(_PAIR_DELTA)
        pairs, lost = cursor.fetchone()
        if pairs:
            cursor.execute(_PAIR_APPLY)
        if lost:
            cursor.execute(_PAIR_DELETE)
        cursor.execute(_WORKS_IN_DB)
