"""Many rows in or out at once, for imports and the demo city: Django's bulk_create and bulk_update
spend most of their time building statements (bulk_update's CASE expressions cost rows × batch size,
minutes for 20,000 rows on SQLite). Here: COPY on PostgreSQL and multi-row INSERTs elsewhere; multi-row
UPDATEs on SQLite and one executemany of UPDATEs elsewhere, each value
prepared by its field once per distinct value. New rows' ids are not read back. And any_of: rows by
a long list of values, in one query; paused_gc: for the work between reading such rows and writing them;
alongside: writes run on a second thread while the caller goes on."""

import concurrent.futures
import contextlib
import datetime
import functools
import gc
import itertools
import json
import operator
import re
import sqlite3
import sys
import threading
from collections.abc import Iterable
from decimal import Decimal

from django.db import connections, models, router
from django.db.models import F, Lookup
from django.utils import timezone

BATCH = 1000
PG_UPSERT_ROWS = 100  # rows an add_counts statement on PostgreSQL


def _is_plain(column) -> bool:
    """Columns whose Python values are already what the database driver takes."""
    target = getattr(column, "target_field", None) if column.is_relation else column
    return isinstance(target, (models.CharField, models.TextField, models.BooleanField, models.IntegerField,
                               models.FloatField))


def _fixes(columns: list, add: bool) -> list[tuple]:
    """The columns whose values need more than passing on: time stamps (auto_now columns get the
    present on every write, auto_now_add ones on insert when they hold nothing; a value already
    there, as the demo back-dates, is kept) and non-plain ones (dates, decimals, files, JSON), which
    go through get_db_prep_save."""
    fixes = []
    for i, c in enumerate(columns):
        auto_now, auto_add = getattr(c, "auto_now", False), getattr(c, "auto_now_add", False)
        stamp = "always" if auto_now and not add else "empty" if add and (auto_now or auto_add) else ""
        plain = _is_plain(c)
        if stamp or not plain:
            fixes.append((i, c, stamp, plain))
    return fixes


def _prepared(model, rows, columns: list, add: bool, objects=None, now=None) -> list[list]:
    """Database values of each row (a list of Python values in the order of `columns`), each distinct
    non-plain value prepared once. A time stamp given is also set on the matching object, if any."""
    alias = router.db_for_write(model)
    connection = connections[alias]
    now = now or timezone.now()
    for i, c, stamp, plain in _fixes(columns, add):
        prepared = {}
        kept = isinstance(c, KEPT_PREPARED)
        for n, row in enumerate(rows):
            if stamp == "always" or (stamp == "empty" and row[i] is None):
                row[i] = now
                if objects is not None:
                    setattr(objects[n], c.attname, now)
            if plain:
                continue
            try:
                if kept:
                    row[i] = _prepared_value(c, alias, row[i])
                    continue
                if row[i] not in prepared:
                    prepared[row[i]] = c.get_db_prep_save(row[i], connection)
                row[i] = prepared[row[i]]
            except TypeError:  # unhashable (a JSON value): prepared on its own
                row[i] = c.get_db_prep_save(row[i], connection)
    return rows


# Columns whose prepared values are kept across calls: numbers and dates, never anything a person
# wrote, so nothing personal stays in memory.
KEPT_PREPARED = (models.DecimalField, models.DateField)


@functools.lru_cache(maxsize=1 << 14)
def _prepared_value(column, alias: str, value):
    """A number or date as `column` writes it, kept across calls: an import writes its file in
    parts, and the same areas and years recur in every part (bench/facilities.py: 14,461 decimals
    prepared part by part, 2,961 distinct)."""
    return column.get_db_prep_save(value, connections[alias])


def _db_values(model, objects: list, columns: list, add: bool) -> list[list]:
    """Database values of `columns` for each object."""
    getter = operator.attrgetter(*[c.attname for c in columns])
    rows = [list(getter(obj)) if len(columns) > 1 else [getter(obj)] for obj in objects]
    return _prepared(model, rows, columns, add, objects)


def _execute_many(model, sql: str, rows: list[list]) -> None:
    with connections[router.db_for_write(model)].cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            cursor.executemany(sql, rows[start:start + BATCH])


def insert_rows(objects: list, *, ids: bool = False) -> None:
    """INSERT every object (all of one model) as a new row. With ids=True each object gets the
    primary key the database gave it, for rows that others will point to."""
    if not objects:
        return
    model = type(objects[0])
    columns = _insert_columns(model)
    rows = _db_values(model, objects, columns, add=True)
    if not ids:
        _insert(model, columns, rows)
        return
    alias = connections[router.db_for_write(model)].alias
    for obj, key in zip(objects, _insert_with_keys(model, columns, rows), strict=True):
        obj.pk = key
        obj._state.adding, obj._state.db = False, alias


def insert_values(model, rows: Iterable[dict], *, ids: bool = False, keyed: bool = False, submit=None) -> list | None:
    """INSERT rows given as {attname: value}; a column a row leaves out takes its field's default.
    With ids=True, the primary keys the rows were given, in their order; with keyed=True the rows
    carry their own (reserve_keys). For imports: building a model instance per row cost the
    facilities import of 20,000 rows about as much as writing them (bench/facilities.py). `rows` may
    be a generator: on SQLite it is read a statement's worth at a time, each statement stepped
    (alongside) while the next one's rows are made. With `submit` (alongside's), the statements are
    made here and run beside: the calling thread goes on at once."""
    columns = _insert_columns(model)
    if keyed:
        columns.insert(0, model._meta.pk)
    connection = connections[router.db_for_write(model)]
    if submit is not None:
        values = _values(model, list(rows), columns, timezone.now())
        if connection.vendor != "sqlite":
            submit(_insert, model, columns, values)
            return None
        size = _rows_per_statement(connection, columns)
        for start in range(0, len(values), size):
            submit(_execute_raw, connection, *_insert_statement(connection, model, columns, values[start:start + size]))
        return None
    if ids or connection.vendor != "sqlite":
        values = _values(model, list(rows), columns, timezone.now())
        if ids:
            return _insert_with_keys(model, columns, values) if values else []
        if values:
            _insert(model, columns, values)
        return None
    # Each statement stepped beside the making of the next (alongside), one ahead at most so that the
    # rows are made a statement at a time: SQLite steps without Python's lock. Measured reason
    # (bench/facilities.py, 20,000 facilities on SQLite): of the write's 0.39–0.48 s of CPU, 0.16–0.19 s
    # is left on the calling thread, the rest stepped beside it.
    rows, size, now, pending = iter(rows), _rows_per_statement(connection, columns), timezone.now(), None
    with alongside(connection.alias) as submit:
        while chunk := list(itertools.islice(rows, size)):
            statement = _insert_statement(connection, model, columns, _values(model, chunk, columns, now))
            if pending is not None:
                pending.result()
            pending = submit(_execute_raw, connection, *statement)
    return None


def _execute_raw(connection, sql: str, params: list) -> None:
    with _raw_cursor(connection) as cursor:
        cursor.execute(sql, params)


def reserve_keys(model, count: int) -> list[int]:
    """`count` primary keys for new rows of `model` that no other row has or will be given, for
    rows written later with keyed=True (rows pointing to them can be made before they are written).
    PostgreSQL: drawn from the table's sequence. SQLite: those after the largest given so far, the
    table's AUTOINCREMENT counter moved past them; this holds because the caller's transaction holds
    the database's write lock from its start (settings: transaction_mode IMMEDIATE)."""
    connection = connections[router.db_for_write(model)]
    table, pk = model._meta.db_table, model._meta.pk.column
    if not connection.in_atomic_block:
        raise RuntimeError("reserve_keys needs the transaction that writes the rows")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)", [table, pk, count])
            return [key for (key,) in cursor.fetchall()]
        if connection.vendor != "sqlite":
            raise NotImplementedError(connection.vendor)
        qn = connection.ops.quote_name
        cursor.execute(f"SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = %s), 0), "
                       f"coalesce((SELECT max({qn(pk)}) FROM {qn(table)}), 0))", [table])
        last = cursor.fetchone()[0]
        cursor.execute("UPDATE sqlite_sequence SET seq = %s WHERE name = %s", [last + count, table])
        if not cursor.rowcount:
            cursor.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, last + count])
    return list(range(last + 1, last + 1 + count))


def _values(model, rows: list[dict], columns: list, now) -> list[list]:
    """Database values of each row given as {attname: value}, defaults where a row has none; `now`
    for time stamps."""
    names, defaults = [c.attname for c in columns], [c.get_default() for c in columns]  # as Model.__init__ takes them
    values = [list(map(row.get, names, defaults)) for row in rows]
    for i, c in enumerate(columns):
        if c.has_default() and callable(c.default):  # a default made afresh for each row (uuid4, now …)
            for row, line in zip(rows, values, strict=True):
                if c.attname not in row:
                    line[i] = c.get_default()
    return _prepared(model, values, columns, add=True, now=now)


@contextlib.contextmanager
def alongside(using: str = "default"):
    """submit(fn, *args, **kwargs): fn run on a second thread, in the order submitted, one at a time,
    with this thread's connection to `using`, so in its transaction; submit returns at once, with the
    call's Future. For an import that writes the rows it has checked while it checks the next ones
    (facilities.io_import): the database (SQLite stepping its statements, PostgreSQL's server) works
    beside the checking. The caller queries nothing itself while a call is pending (after a Future's
    result() none is, until the next submit). When the block ends every call has run, or the first
    that failed has its error raised here, the calls after it skipped. The next submit raises it
    too, so that a caller stops early. Measured reason (bench/facilities.py, 20,000 new facilities): the
    write took 0.29 s on SQLite and 0.43 s on PostgreSQL after 0.36 s of checking, on an idle machine."""
    connection = connections[using]
    failed = []

    def share():  # as Django's live server thread does: the worker's connection is the caller's
        connections[using] = connection

    def run(fn, args, kwargs):
        if failed:
            raise failed[0]
        try:
            return fn(*args, **kwargs)
        except BaseException as exc:
            failed.append(exc)
            raise

    def submit(fn, *args, **kwargs) -> concurrent.futures.Future:
        if failed:
            raise failed[0]
        return pool.submit(run, fn, args, kwargs)

    connection.inc_thread_sharing()
    pool = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="alongside", initializer=share)
    try:
        with _quick_switches():
            yield submit
    finally:
        pool.shutdown(wait=True)  # nothing left running on the connection, whatever happened
        connection.dec_thread_sharing()
    if failed:
        raise failed[0]


QUICK_SWITCH_S = 0.0005
_switches = {"lock": threading.Lock(), "blocks": 0, "before": None}


@contextlib.contextmanager
def _quick_switches():
    """Python's switch interval at QUICK_SWITCH_S while an alongside block runs (in any thread of the
    process; the interval before is put back when the last one ends). The writer thread waits for
    the database, then for Python's lock, which the checking thread gives up only at the interval
    (5 ms by default): two or three times a statement. Measured reason (bench/facilities.py's
    register on PostgreSQL, loaded machine, four runs each): median 19,489 rows/s at 5 ms, 21,051 at
    0.5 ms; with a thread that only counts beside 20 writes of the import, 0.75-0.86 s at 5 ms and
    0.40-0.46 s at 0.5 ms, 0.35 s with nothing beside them."""
    with _switches["lock"]:
        if not _switches["blocks"]:
            _switches["before"] = sys.getswitchinterval()
            sys.setswitchinterval(min(QUICK_SWITCH_S, _switches["before"]))
        _switches["blocks"] += 1
    try:
        yield
    finally:
        with _switches["lock"]:
            _switches["blocks"] -= 1
            if not _switches["blocks"]:
                sys.setswitchinterval(_switches["before"])


@contextlib.contextmanager
def keys_checked_as_written(using: str = "default"):
    """On PostgreSQL the foreign keys of what the block writes checked by each statement, not at
    commit (Django makes them DEFERRABLE INITIALLY DEFERRED), so that the server checks them while
    the caller still works beside it (alongside) instead of after it; the block writes every row
    after the rows it points to. The setting ends with the block; after a failure it goes with the
    transaction or savepoint that the failure rolls back. Measured reason (bench/facilities.py,
    20,000 new facilities): 0.15 s of key checks at commit, after everything else, on an idle machine."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _insert_columns(model) -> list:
    return [f for f in model._meta.concrete_fields if not f.primary_key]


def _insert(model, columns: list, rows: list[list]) -> None:
    connection = connections[router.db_for_write(model)]
    qn = connection.ops.quote_name
    names = ", ".join(qn(c.column) for c in columns)
    if connection.vendor == "postgresql":
        # COPY streams the rows in one command: several times faster than INSERTs on PostgreSQL. The
        # driver's cursor is used directly, so its errors are turned into Django's (IntegrityError …).
        types = _binary_types(connection, columns, rows)
        with connection.cursor() as cursor, connection.wrap_database_errors, cursor.cursor.copy(
                f"COPY {qn(model._meta.db_table)} ({names}) FROM STDIN" + (" (FORMAT BINARY)" if types else "")) as copy:
            if types:
                copy.set_types(types)
            for row in rows:
                copy.write_row(row)
        return
    _insert_values(connection, model, columns, rows)


# PostgreSQL types whose binary form psycopg writes from these Python types (and None) alone.
_BINARY = {"bigint": (int,), "integer": (int,), "smallint": (int,), "boolean": (bool,), "double precision": (float,),
           "numeric": (Decimal,), "varchar": (str,), "text": (str,), "date": (datetime.date,),
           "timestamp with time zone": (datetime.datetime,)}


def _binary_types(connection, columns: list, rows: list[list]) -> list[str] | None:
    """The columns' PostgreSQL types for a binary COPY, when every value is of a Python type the
    column's binary form takes (an aware datetime for a time stamp); else None, for a text COPY, which
    takes any value psycopg adapts. Measured reason (bench/facilities.py, 20,000 facilities of 18
    columns): psycopg formats the rows in 0.088 s of CPU as text, 0.024 s in binary; the check here
    costs 0.018 s (the same run, loaded machine)."""
    types = [re.sub(r"\(.*\)", "", c.db_type(connection) or "").strip() for c in columns]
    if not rows or any(t not in _BINARY for t in types):
        return None
    for column, kind in zip(zip(*rows), types, strict=True):
        found = set(map(type, column)) - {type(None)}
        if not found <= set(_BINARY[kind]):
            return None
        if kind == "timestamp with time zone" and any(v is not None and v.tzinfo is None for v in column):
            return None
    return types


def _insert_values(connection, model, columns: list, rows: list[list], returning: str = "") -> list:
    """Multi-row INSERT … VALUES (…), (…) statements, as many rows each as the database takes
    parameters for. Not executemany: on SQLite each statement of a table with a trigger (open
    data's) keeps a statement journal of every page it changes, and one row a statement journals
    the same index pages over and over; 20,000 facilities (seven indexes) took 0.74 s of CPU one
    row a statement, 0.22 s 500 rows a statement (same database, same rows, same run)."""
    size = _rows_per_statement(connection, columns)
    found = []
    with _raw_cursor(connection) as cursor:
        for start in range(0, len(rows), size):
            cursor.execute(*_insert_statement(connection, model, columns, rows[start:start + size], returning))
            if returning:
                found += cursor.fetchall()
    return found


def _rows_per_statement(connection, columns: list) -> int:
    return max(1, min(BATCH, _max_params(connection) // len(columns)))


def _insert_statement(connection, model, columns: list, rows: list[list], returning: str = "") -> tuple[str, list]:
    qn = connection.ops.quote_name
    one = f"({', '.join([_placeholder(connection)] * len(columns))})"
    tail = f" RETURNING {returning}" if returning else ""
    return (f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(qn(c.column) for c in columns)}) "
            f"VALUES {', '.join([one] * len(rows))}{tail}", [value for row in rows for value in row])


def _placeholder(connection) -> str:
    return "?" if connection.vendor == "sqlite" else "%s"


@contextlib.contextmanager
def _raw_cursor(connection):
    """On SQLite the driver's own cursor, its statements written with "?" (its errors turned into
    Django's): Django's cursor rewrites every %s of a statement with a regular expression, 0.15 s
    of CPU for the 25,000 rows of bench/facilities.py's import (a statement holds up to 32,766),
    and the driver's statement cache keeps the one compiled statement of every full batch.
    Elsewhere Django's cursor."""
    if connection.vendor != "sqlite":
        with connection.cursor() as cursor:
            yield cursor
        return
    connection.ensure_connection()
    with connection.wrap_database_errors, contextlib.closing(connection.connection.cursor()) as cursor:
        yield cursor


def add_counts(model, key_columns, deltas, *, counts=("n",)) -> None:
    """Add `deltas` to the `counts` columns of the rows of `model` that `key_columns` name (a unique
    constraint of the model), making the rows not there yet: INSERT … ON CONFLICT (keys) DO UPDATE SET
    c = c + excluded.c, so writers at once add up on SQLite and PostgreSQL alike, in the caller's
    transaction; rows in the order of their keys, so two writers take their locks in one order (no
    deadlock between them). The physique figures' roll-up and the points balances are kept by it.

    `deltas`: {key: n}, a key a tuple of the key columns' values (the value itself for one column), n a
    number or a tuple of numbers, one per count column (a delta of zeros is left out); or a queryset's
    values_list(*key_columns, *counts), summed by the database and written by one INSERT … SELECT.
    Other columns of a new row take their field's default; auto_now columns the present, also when
    added to. Statements as large as the database takes parameters (_max_params), but on PostgreSQL
    PG_UPSERT_ROWS rows: psycopg reads every placeholder of a statement in Python (_insert_with_keys),
    and 20,000 tally keys took twice as long 1,000 rows a statement as 100 (same run, same rows)."""
    connection = connections[router.db_for_write(model)]
    qn = connection.ops.quote_name
    meta = model._meta
    keys, added = [meta.get_field(c) for c in key_columns], [meta.get_field(c) for c in counts]
    named = {f.attname for f in (*keys, *added)}
    rest = [f for f in _insert_columns(model) if f.attname not in named]
    columns = [*keys, *added, *rest]
    table = qn(meta.db_table)
    sets = [f"{qn(f.column)} = {table}.{qn(f.column)} + excluded.{qn(f.column)}" for f in added]
    sets += [f"{qn(f.column)} = excluded.{qn(f.column)}" for f in rest if getattr(f, "auto_now", False)]
    head = f"INSERT INTO {table} ({', '.join(qn(f.column) for f in columns)}) "
    tail = f" ON CONFLICT ({', '.join(qn(f.column) for f in keys)}) DO UPDATE SET {', '.join(sets)}"
    if isinstance(deltas, models.QuerySet):
        select, params = deltas.query.sql_with_params()
        others = _prepared(model, [[f.get_default() for f in rest]], rest, add=True)[0]
        by_key = ", ".join(str(i + 1) for i in range(len(keys)))
        with connection.cursor() as cursor:
            cursor.execute(f"{head}SELECT q.*{''.join(', %s' for _ in rest)} FROM ({select}) q WHERE TRUE "
                           f"ORDER BY {by_key}{tail}", [*others, *params])
        return
    items = [(key if isinstance(key, tuple) else (key,), n if isinstance(n, tuple | list) else (n,))
             for key, n in deltas.items()]
    items = [item for item in items if any(item[1])]
    if not items:
        return
    try:
        items.sort()  # by key (keys are unique)
    except TypeError:  # a None among the keys' values
        items.sort(key=lambda item: [(v is None, v) for v in item[0]])
    others = [f.get_default() for f in rest]
    rows = [[*key, *n, *others] for key, n in items]
    for i, f in enumerate(rest, start=len(keys) + len(added)):
        if f.has_default() and callable(f.default):  # made afresh for each row (uuid4 …)
            for row in rows:
                row[i] = f.get_default()
    rows = _prepared(model, rows, columns, add=True)
    rows_at_most = PG_UPSERT_ROWS if connection.vendor == "postgresql" else BATCH
    size = max(1, min(rows_at_most, _max_params(connection) // len(columns)))
    one = f"({', '.join(['%s'] * len(columns))})"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), size):
            batch = rows[start:start + size]
            cursor.execute(f"{head}VALUES {', '.join([one] * len(batch))}{tail}", [v for row in batch for v in row])


def _max_params(connection) -> int:
    """Parameters one statement may take: SQLite's compiled limit (32,766 since 3.32; Django assumes
    999), else Django's figure for the database."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        return connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    return connection.features.max_query_params or 65535


def _insert_with_keys(model, columns: list, rows: list[list]) -> list:
    """INSERT the rows and return their primary keys in order. PostgreSQL: the keys drawn from the
    table's sequence first, then the rows COPYed with them (a multi-row INSERT … RETURNING makes
    psycopg parse every placeholder of the statement in Python: 17,000 for 1,000 sites, 1.5 s of
    the 5,000 new sites of bench/facilities.py's import). Elsewhere: multi-row INSERT … RETURNING,
    whose keys come in the order of the rows, as Django's bulk_create relies on too."""
    connection = connections[router.db_for_write(model)]
    pk = model._meta.pk
    if connection.vendor == "postgresql":
        keys = reserve_keys(model, len(rows))
        _insert(model, [pk, *columns], [[key, *row] for key, row in zip(keys, rows, strict=True)])
        return keys
    return [key for (key,) in _insert_values(connection, model, columns, rows, connection.ops.quote_name(pk.column))]


def update_rows(objects: list, fields: list[str], *, submit=None) -> None:
    """UPDATE `fields` of each object (all of one model) by its primary key. On SQLite, multi-row
    UPDATE … FROM (VALUES …) statements (an object listed twice: one of its rows wins): updating
    four fields of the demo city's 15,465 facilities took 0.23 s of CPU (1.2 s wall, load 16) as
    one executemany of one-row UPDATEs, 0.13 s (0.64 s) so (bench in the commit that made it).
    Elsewhere one executemany. With `submit` (alongside's), the statements are made here and run
    beside."""
    if not objects:
        return
    model = type(objects[0])
    connection = connections[router.db_for_write(model)]
    qn = connection.ops.quote_name
    columns = [model._meta.get_field(f) for f in fields]
    table, pk = qn(model._meta.db_table), qn(model._meta.pk.column)
    rows = _db_values(model, objects, columns, add=False)
    if connection.vendor != "sqlite":
        for row, obj in zip(rows, objects, strict=True):
            row.append(obj.pk)
        sql = f"UPDATE {table} SET {', '.join(f'{qn(c.column)} = %s' for c in columns)} WHERE {pk} = %s"
        if submit is not None:
            submit(_execute_many, model, sql, rows)
        else:
            _execute_many(model, sql, rows)
        return
    for row, obj in zip(rows, objects, strict=True):
        row.insert(0, obj.pk)
    size = max(1, min(BATCH, _max_params(connection) // (len(columns) + 1)))
    one = f"({', '.join(['?'] * (len(columns) + 1))})"
    sets = ", ".join(f"{qn(c.column)} = v.column{i}" for i, c in enumerate(columns, start=2))
    for start in range(0, len(rows), size):
        batch = rows[start:start + size]
        statement = (f"UPDATE {table} SET {sets} FROM (VALUES {', '.join([one] * len(batch))}) AS v "
                     f"WHERE {table}.{pk} = v.column1", [value for row in batch for value in row])
        if submit is not None:
            submit(_execute_raw, connection, *statement)
        else:
            _execute_raw(connection, *statement)


class _AnyOf(Lookup):
    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s)", [*params, self.rhs]
        return f"{lhs} IN (SELECT value FROM json_each(%s))", [*params, json.dumps(self.rhs)]


def any_of(field: str, values) -> Lookup:
    """A filter, `field` among `values`, with the values as one parameter: an array on PostgreSQL, a
    JSON list on SQLite. `field__in` prepares every value through the field and the database parses
    a placeholder for each: the facilities import asked for 20,000 register numbers in 40 lists of
    500 in 0.28 s, and finds them with any_of in 0.04 s (bench/facilities.py's register, loaded
    machine). Values are plain: text or whole numbers."""
    return _AnyOf(F(field), list(values))


@contextlib.contextmanager
def paused_gc():
    """Python's cycle collector paused while a block builds many objects that all live on until its
    end (the rows of a file, their reports, the values to write): each full collection walks every
    one of them again. Measured on the facilities import of 20,000 rows: over a third of its checking
    time (0.28 of 0.75 s of CPU). Objects are still freed as they fall out of use; cycles made
    meanwhile wait for the next collection."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()
