"""Many rows in or out at once, for imports and the demo city: Django's bulk_create and bulk_update
spend most of their time building statements (bulk_update's CASE expressions cost rows × batch size,
minutes for 20,000 rows on SQLite). Here: COPY on PostgreSQL, one executemany elsewhere, each value
prepared by its field once per distinct value. New rows' ids are not read back."""

import operator

from django.db import connections, models, router
from django.utils import timezone

BATCH = 1000


def _is_plain(column) -> bool:
    """Columns whose Python values are already what the database driver takes."""
    target = getattr(column, "target_field", None) if column.is_relation else column
    return isinstance(target, (models.CharField, models.TextField, models.BooleanField, models.IntegerField,
                               models.FloatField))


def _db_values(model, objects: list, columns: list, add: bool) -> list[list]:
    """Database values of `columns` for each object: plain columns as they are, the others (dates,
    decimals, files, JSON) through get_db_prep_save, each distinct value once. Time stamps: auto_now
    columns get the present on every write, auto_now_add ones on insert when they hold nothing (a
    value set on the object, as the demo back-dates, is kept)."""
    connection = connections[router.db_for_write(model)]
    now = timezone.now()
    getter = operator.attrgetter(*[c.attname for c in columns])
    fixes = []
    for i, c in enumerate(columns):
        auto_now, auto_add = getattr(c, "auto_now", False), getattr(c, "auto_now_add", False)
        stamp = "always" if auto_now and not add else "empty" if add and (auto_now or auto_add) else ""
        plain = _is_plain(c)
        if stamp or not plain:
            fixes.append((i, c, stamp, plain))
    prepared = {}
    rows = []
    for obj in objects:
        row = list(getter(obj)) if len(columns) > 1 else [getter(obj)]
        for i, c, stamp, plain in fixes:
            if stamp == "always" or (stamp == "empty" and row[i] is None):
                setattr(obj, c.attname, now)
                row[i] = now
            if plain:
                continue
            try:
                key = (i, row[i])
                if key not in prepared:
                    prepared[key] = c.get_db_prep_save(row[i], connection)
                row[i] = prepared[key]
            except TypeError:  # unhashable (a JSON value): prepared on its own
                row[i] = c.get_db_prep_save(row[i], connection)
        rows.append(row)
    return rows


def _execute_many(model, sql: str, rows: list[list]) -> None:
    with connections[router.db_for_write(model)].cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            cursor.executemany(sql, rows[start:start + BATCH])


def insert_rows(objects: list, *, ids: bool = False) -> None:
    """INSERT every object (all of one model) as a new row. With ids=True each object gets the
    primary key the database gave it (INSERT … RETURNING, one statement per batch), for rows that
    others will point to."""
    if not objects:
        return
    model = type(objects[0])
    connection = connections[router.db_for_write(model)]
    qn = connection.ops.quote_name
    columns = [f for f in model._meta.concrete_fields if not f.primary_key]
    names = ", ".join(qn(c.column) for c in columns)
    rows = _db_values(model, objects, columns, add=True)
    if ids:
        _insert_returning(model, objects, rows, columns)
        return
    if connection.vendor == "postgresql":
        # COPY streams the rows in one command: several times faster than INSERTs on PostgreSQL. The
        # driver's cursor is used directly, so its errors are turned into Django's (IntegrityError …).
        with connection.cursor() as cursor, connection.wrap_database_errors, cursor.cursor.copy(
                f"COPY {qn(model._meta.db_table)} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    sql = f"INSERT INTO {qn(model._meta.db_table)} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"
    _execute_many(model, sql, rows)


def _insert_returning(model, objects: list, rows: list[list], columns: list) -> None:
    """Multi-row INSERT … RETURNING: both databases return the keys in the order of the rows, which
    Django's bulk_create relies on too."""
    connection = connections[router.db_for_write(model)]
    qn = connection.ops.quote_name
    size = min(BATCH, connection.ops.bulk_batch_size(columns, objects))
    one = f"({', '.join(['%s'] * len(columns))})"
    head = f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(qn(c.column) for c in columns)}) VALUES "
    with connection.cursor() as cursor:
        for start in range(0, len(rows), size):
            batch = rows[start:start + size]
            cursor.execute(f"{head}{', '.join([one] * len(batch))} RETURNING {qn(model._meta.pk.column)}",
                           [value for row in batch for value in row])
            for obj, (pk,) in zip(objects[start:start + size], cursor.fetchall(), strict=True):
                obj.pk = pk
                obj._state.adding, obj._state.db = False, connection.alias


def update_rows(objects: list, fields: list[str]) -> None:
    """UPDATE `fields` of each object (all of one model) by its primary key, in one executemany."""
    if not objects:
        return
    model = type(objects[0])
    qn = connections[router.db_for_write(model)].ops.quote_name
    columns = [model._meta.get_field(f) for f in fields]
    sql = (f"UPDATE {qn(model._meta.db_table)} SET {', '.join(f'{qn(c.column)} = %s' for c in columns)} "
           f"WHERE {qn(model._meta.pk.column)} = %s")
    rows = _db_values(model, objects, columns, add=False)
    for row, obj in zip(rows, objects, strict=True):
        row.append(obj.pk)
    _execute_many(model, sql, rows)
