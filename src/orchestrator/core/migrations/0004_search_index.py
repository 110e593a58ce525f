"""Full-text indexes for `SearchEntry`: FTS5 on SQLite, a weighted tsvector with GIN on PostgreSQL."""

from django.db import migrations

SQLITE = [
    """CREATE VIRTUAL TABLE core_search_fts USING fts5(
        title, summary, body, extra,
        content='core_searchentry', content_rowid='item_id', tokenize='porter unicode61')""",
    """CREATE TRIGGER core_search_ai AFTER INSERT ON core_searchentry BEGIN
        INSERT INTO core_search_fts(rowid, title, summary, body, extra)
        VALUES (new.item_id, new.title, new.summary, new.body, new.extra); END""",
    """CREATE TRIGGER core_search_ad AFTER DELETE ON core_searchentry BEGIN
        INSERT INTO core_search_fts(core_search_fts, rowid, title, summary, body, extra)
        VALUES ('delete', old.item_id, old.title, old.summary, old.body, old.extra); END""",
    """CREATE TRIGGER core_search_au AFTER UPDATE ON core_searchentry BEGIN
        INSERT INTO core_search_fts(core_search_fts, rowid, title, summary, body, extra)
        VALUES ('delete', old.item_id, old.title, old.summary, old.body, old.extra);
        INSERT INTO core_search_fts(rowid, title, summary, body, extra)
        VALUES (new.item_id, new.title, new.summary, new.body, new.extra); END""",
]
SQLITE.append(None)  # the backfill, once the triggers are in place
SQLITE_REVERSE = [
    "DROP TRIGGER core_search_au",
    "DROP TRIGGER core_search_ad",
    "DROP TRIGGER core_search_ai",
    "DROP TABLE core_search_fts",
]
# A stored, generated tsvector with a GIN index: the match and its recheck read the stored vector
# instead of recomputing it from the text of every candidate row.
PG_VECTOR = (
    "setweight(to_tsvector('english', title), 'A') || "
    "setweight(to_tsvector('english', summary), 'B') || "
    "setweight(to_tsvector('english', extra), 'C') || "
    "setweight(to_tsvector('english', body), 'D')"
)
POSTGRESQL = [
    f"ALTER TABLE core_searchentry ADD COLUMN vector tsvector GENERATED ALWAYS AS ({PG_VECTOR}) STORED",
    "CREATE INDEX core_search_vector ON core_searchentry USING gin (vector)",
    None,  # the backfill
]
POSTGRESQL_REVERSE = [
    "DROP INDEX core_search_vector",
    "ALTER TABLE core_searchentry DROP COLUMN vector",
]


# Records made before the index existed, leaving out fields their triage redacts (as `core.search`
# does). Kinds' own text fields join the index at each record's next change.
BACKFILL = """INSERT INTO core_searchentry (item_id, title, summary, body, extra)
    SELECT i.id, i.title,
        CASE WHEN {redacted} LIKE '%%"summary"%%' THEN '' ELSE i.summary END,
        CASE WHEN {redacted} LIKE '%%"body"%%' THEN '' ELSE i.body END, ''
    FROM core_item i LEFT JOIN core_triage t ON t.id = i.current_triage_id"""
REDACTED = {
    "sqlite": "COALESCE(t.redacted_fields, '')",
    "postgresql": "COALESCE(t.redacted_fields::text, '')",
}


def _run(statements: dict[str, list[str]]):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            vendor = schema_editor.connection.vendor
            if sql is None:
                sql = BACKFILL.format(redacted=REDACTED[vendor])
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("core", "0003_search_entry")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        ),
    ]
