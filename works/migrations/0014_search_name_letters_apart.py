"""Author.search_name again for names with letters that name_fold now spells out (ł, ø, ß,
æ, ...): "Łukasz" was stored as "łukasz", which "lukasz" does not find. Only those rows, found
by PostgreSQL and rewritten in pages (on SQLite, the demo's few rows are all read)."""

from django.db import migrations
from django.db.models import Q

from works.names import search_name_build

LETTERS = "ŁłØøĐđÐðÆæŒœßẞÞþıĦħŦŧĿŀ"
PAGE = 2000


def refold(apps, schema_editor):
    Author = apps.get_model("works", "Author")
    pattern = f"[{LETTERS}]"
    rows = Author.objects.only("id", "display_name", "display_name_alternatives", "search_name")
    if schema_editor.connection.vendor == "postgresql":
        # The alternatives are jsonb, whose text keeps the letters (SQLite escapes them).
        rows = rows.filter(
            Q(display_name__regex=pattern) | Q(display_name_alternatives__regex=pattern)
        )
    changed = []
    for author in rows.iterator(chunk_size=PAGE):
        folded = search_name_build(author.display_name, author.display_name_alternatives or [])
        if folded != author.search_name:
            author.search_name = folded
            changed.append(author)
        if len(changed) >= PAGE:
            Author.objects.bulk_update(changed, ["search_name"])
            changed = []
    Author.objects.bulk_update(changed, ["search_name"])


class Migration(migrations.Migration):
    dependencies = [("works", "0013_api_sync")]

    operations = [migrations.RunPython(refold, migrations.RunPython.noop)]
