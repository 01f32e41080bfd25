"""Indexes only PostgreSQL has: full-text search on the stored search vector, and
containment on the grade list. Elsewhere (SQLite in the quick start) this migration does
nothing and the queries fall back to plain matching (see resources/search.py and
ResourceQuerySet.for_grade)."""

from django.db import migrations

CREATE = [
    "CREATE INDEX IF NOT EXISTS resource_search_idx ON resources_resource USING gin "
    "(search_vector)",
    "CREATE INDEX IF NOT EXISTS resource_grades_idx ON resources_resource USING gin "
    "(grades jsonb_path_ops)",
]
DROP = [
    "DROP INDEX IF EXISTS resource_search_idx",
    "DROP INDEX IF EXISTS resource_grades_idx",
]


def run(statements):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [("resources", "0001_initial")]

    operations = [migrations.RunPython(run(CREATE), run(DROP), elidable=False)]
