"""What only PostgreSQL has: indexes for full-text search on the stored search vector and
for containment on the grade list, and a storage layout for search. Elsewhere (SQLite in
the quick start) this migration does nothing and the queries fall back to plain matching
(see resources/search.py and ResourceQuerySet.for_grade).

The layout: a search ranks every match by its vector, so it reads the table rows of all
matches. Long texts (content, design record, search document) are moved out of the row
(toast_tuple_target), while the vector stays in it (storage MAIN), compressed with lz4
where the server has it; the rows are then about half as wide and a broad search reads
half the pages."""

from django.db import migrations

CREATE = [
    "CREATE INDEX IF NOT EXISTS resource_search_idx ON resources_resource USING gin "
    "(search_vector)",
    "CREATE INDEX IF NOT EXISTS resource_grades_idx ON resources_resource USING gin "
    "(grades jsonb_path_ops)",
    "ALTER TABLE resources_resource SET (toast_tuple_target = 128)",
    "ALTER TABLE resources_resource ALTER COLUMN search_vector SET STORAGE MAIN",
    # A server built without lz4 keeps its default compression.
    "DO $$ BEGIN ALTER TABLE resources_resource ALTER COLUMN search_vector SET COMPRESSION "
    "lz4; EXCEPTION WHEN feature_not_supported THEN NULL; END $$",
]
DROP = [
    "DROP INDEX IF EXISTS resource_search_idx",
    "DROP INDEX IF EXISTS resource_grades_idx",
    "ALTER TABLE resources_resource RESET (toast_tuple_target)",
    "ALTER TABLE resources_resource ALTER COLUMN search_vector SET STORAGE EXTENDED",
    "ALTER TABLE resources_resource ALTER COLUMN search_vector SET COMPRESSION DEFAULT",
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
