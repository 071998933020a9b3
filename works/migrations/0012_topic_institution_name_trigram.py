"""Trigram indexes on the folded names of topics and institutions, so search finds researchers
by a word of their topics or institution ("robustness", "Washington", "Zurich" for Zürich).

Authors have search_name folded in Python by the importer (works/names.py); topics and
institutions are folded in SQL by bzpeer_fold(): lower-case, accents removed by the
`unaccent` extension. unaccent() is only STABLE (its dictionary could change), so an index
cannot use it directly: the wrapper names the dictionary and is declared IMMUTABLE, the usual
way to index it. PostgreSQL only, like 0002: SQLite searches these small tables by scanning.
"""

from django.db import migrations

INDEXES = {
    "works_topic_name_trgm": "works_topic",
    "works_institution_name_trgm": "works_institution",
}


def create_fold_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    with schema_editor.connection.cursor() as cursor:
        # Qualified by the extension's schema, so the function does not depend on search_path
        # (an index expression must give the same answer in every session).
        cursor.execute(
            "SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'unaccent'"
        )
        schema = cursor.fetchone()[0]
    schema_editor.execute(
        "CREATE OR REPLACE FUNCTION bzpeer_fold(text) RETURNS text "
        "LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE "
        f"AS $$ SELECT lower({schema}.unaccent('{schema}.unaccent'::regdictionary, $1)) $$"
    )
    for index, table in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {index} "
            f"ON {table} USING gin (bzpeer_fold(display_name) gin_trgm_ops)"
        )


def drop_fold_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for index in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {index}")
    schema_editor.execute("DROP FUNCTION IF EXISTS bzpeer_fold(text)")


class Migration(migrations.Migration):
    dependencies = [("works", "0011_coauthorship_queue_corpus_change_fewer_indexes")]

    operations = [migrations.RunPython(create_fold_indexes, drop_fold_indexes)]
