"""A trigram index for case/accent-insensitive substring search of author names.

PostgreSQL only: on the zero-setup SQLite database the search is a plain LIKE scan.
"""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS works_author_search_trgm "
    "ON works_author USING gin (search_name gin_trgm_ops)"
)
DROP = "DROP INDEX IF EXISTS works_author_search_trgm"


def create_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(CREATE)


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("works", "0001_initial")]

    operations = [migrations.RunPython(create_trigram_index, drop_trigram_index)]
