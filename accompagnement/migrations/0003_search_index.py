"""Typo-tolerant name search on PostgreSQL: pg_trgm and a trigram GIN index on the search key.
On SQLite nothing is created (the functions are registered per connection, see dbfunctions.py)."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS person_search_trgm_idx ON accompagnement_person "
            "USING gin (search_text gin_trgm_ops)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS person_search_trgm_idx")


class Migration(migrations.Migration):
    dependencies = [("accompagnement", "0002_initial")]
    operations = [TrigramExtension(), migrations.RunPython(create_index, drop_index)]
