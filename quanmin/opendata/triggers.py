"""Database triggers that note every change of the rows the feeds publish, in the writer's own
transaction (so a note commits exactly when, and only if, the change does).

The domain apps never call open data (layer rule); the database does the noting, for every write
path alike: services, bulk inserts, raw SQL (booking's holds), queryset updates, deletes. One
trigger per table and operation on SQLite, one function and one trigger per table on PostgreSQL.
`install` is idempotent and runs after every migrate (apps.py): SQLite drops a table's triggers when
a migration rebuilds the table, and installing again puts them back.
"""

from django.apps import apps
from django.db import connections

# source label -> model whose table is watched.
WATCHED = {
    "site": "facilities.Site",
    "facility": "facilities.Facility",
    "unit": "booking.BookableUnit",
    "slot": "booking.Slot",
    "station": "people.Station",
    "org": "organizations.Organization",
    "activity": "organizations.Activity",
    "games": "events.Games",
    "competition": "events.Competition",
}
QUEUE = "opendata_pendingchange"

_PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION opendata_note_change() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    INSERT INTO {QUEUE} (source, object_id) VALUES (TG_ARGV[0], OLD.id);
  ELSE
    INSERT INTO {QUEUE} (source, object_id) VALUES (TG_ARGV[0], NEW.id);
  END IF;
  RETURN NULL;
END $$ LANGUAGE plpgsql
"""


def _tables():
    return {source: apps.get_model(label)._meta.db_table for source, label in WATCHED.items()}


def statements(vendor: str) -> list[str]:
    out = []
    if vendor == "postgresql":
        out.append(_PG_FUNCTION)
        for source, table in _tables().items():
            out.append(f"CREATE OR REPLACE TRIGGER opendata_{source} AFTER INSERT OR UPDATE OR DELETE ON {table} "
                       f"FOR EACH ROW EXECUTE FUNCTION opendata_note_change('{source}')")
    elif vendor == "sqlite":
        for source, table in _tables().items():
            for op, row in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")):
                out.append(f"CREATE TRIGGER IF NOT EXISTS opendata_{source}_{op.lower()} AFTER {op} ON {table} "
                           f"BEGIN INSERT INTO {QUEUE} (source, object_id) VALUES ('{source}', {row}.id); END")
    else:
        raise NotImplementedError(f"open data's triggers are written for SQLite and PostgreSQL, not {vendor}")
    return out


def install(using: str = "default") -> None:
    connection = connections[using]
    existing = set(connection.introspection.table_names())
    if QUEUE not in existing or not set(_tables().values()) <= existing:
        return  # a partial migrate (tests of one app, a migration in progress): the next migrate installs
    with connection.cursor() as cursor:
        for sql in statements(connection.vendor):
            cursor.execute(sql)


def installed(using: str = "default") -> set[str]:
    """The sources whose tables carry every trigger they should."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE tgname LIKE 'opendata_%%' AND NOT tgisinternal")
            names = {row[0] for row in cursor.fetchall()}
            return {s for s in WATCHED if f"opendata_{s}" in names}
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'opendata_%'")
        names = {row[0] for row in cursor.fetchall()}
        return {s for s in WATCHED if {f"opendata_{s}_insert", f"opendata_{s}_update", f"opendata_{s}_delete"} <= names}
