"""PostgreSQL staging tables for copyload.py: a batch's parsed rows are COPYed into them, then
set-based statements write the corpus from them.

They are TEMPORARY (this session's only, never WAL-logged, gone with the connection) and
emptied at the start of every batch rather than on commit: under --strict a file's batches
are savepoints of one transaction. References are kept as OpenAlex ids (`work`, `author`,
...), resolved to primary keys by joins on the unique openalex_id columns; a referenced
entity's stub fields travel with the reference, and `seq` keeps the order they were read in
(it decides which occurrence describes a stub, as the simple loader's dicts do).
"""

from collections.abc import Iterable, Sequence
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper

# name: column definitions. The COPYed tables list their columns in COPY order.
TABLES: dict[str, str] = {
    "import_work": """
        seq int, openalex_id text, doi text, title text, abstract text, type text,
        publication_year int, publication_date date, is_oa bool, oa_status text,
        cited_by_count bigint, language text, updated_date date, byline_size int,
        source text, source_name text, source_type text, source_issn_l text
    """,
    # One place of a byline; `keep` false for a place an owner's "Not me" takes off, whose
    # stubs are still written; `author_pk` set where an owner's "This is mine" moves it.
    "import_authorship": """
        seq int, work text, ord int, author text, keep bool, author_pk bigint,
        position text, raw_author_name text, is_corresponding bool,
        author_name text, author_orcid text, author_search_name text
    """,
    "import_authorship_institution": """
        seq int, work text, ord int, institution text,
        name text, ror text, country_code text, type text
    """,
    "import_work_topic": """
        seq int, work text, topic text, score float8, is_primary bool,
        name text, subfield text, field text, domain text
    """,
    # (work, author) links before and after the batch, one row per work and author however
    # many places they hold: the co-authorship and works_in_db delta is computed from them.
    # `byline` is the work's byline_size then: no pairs above COAUTHOR_BYLINE_LIMIT.
    "import_old_link": (
        "work_id bigint, author_id bigint, created_at timestamptz, year int, byline int"
    ),
    "import_new_link": "work_id bigint, author_id bigint, year int, byline int",
    "import_pair_delta": (
        "author_id bigint, coauthor_id bigint, delta int, new_year int, may_drop bool"
    ),
}


def columns(table: str) -> list[str]:
    return [definition.split()[0] for definition in TABLES[table].split(",")]


def staging_reset(connection: BaseDatabaseWrapper) -> None:
    """Create the tables if this session has not yet (or a rollback undid it), and empty them:
    one round trip."""
    # The planner's guesses for the statements over these tables (no statistics, a subquery
    # per pair in the co-authorship update) pass the JIT threshold: it then spent more time
    # compiling (~0.3 s per batch) than running them. Off for the batch's transaction only.
    statements = ["SET LOCAL jit = off", "SET LOCAL synchronous_commit = off"]
    statements += [
        f"CREATE TEMPORARY TABLE IF NOT EXISTS {name} ({definition})"
        for name, definition in TABLES.items()
    ]
    statements.append(f"TRUNCATE {', '.join(TABLES)}")
    with connection.cursor() as cursor:
        cursor.execute(";\n".join(statements))


def staging_copy(
    connection: BaseDatabaseWrapper, table: str, rows: Iterable[Sequence[Any]]
) -> None:
    """COPY rows (tuples in the table's column order) into a staging table, through psycopg
    3's COPY support on Django's own connection (so inside the batch's transaction)."""
    sql = f"COPY {table} ({', '.join(columns(table))}) FROM STDIN"
    # Django wraps errors of the statements it runs, not of psycopg's COPY: done here, so a
    # refused batch is a DatabaseError as the simple loader's are.
    with (
        connection.cursor() as cursor,
        connection.wrap_database_errors,
        cursor.cursor.copy(sql) as copy,
    ):
        for row in rows:
            copy.write_row(row)
