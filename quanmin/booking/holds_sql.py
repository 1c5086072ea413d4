"""A hold's own reads and its place update, as SQL written out once.

A hold runs on every press of "book", and at a popular opening many run at once. Django compiles
a queryset anew on every call: the person's rules, read as one annotated queryset, cost 6.5 ms of
Python per hold on PostgreSQL for 1 ms of database time. These few fixed statements are built
once per process and database from the models' own table and column names and run with the backend's own
parameter adaptation; tests/booking/test_holds_sql.py checks each against the ORM query it replaces.
"""

import datetime
from functools import cache

from django.db import connection

from quanmin.accounts.models import User
from quanmin.facilities.models import Site

from .models import ACTIVE_STATUSES, BookableUnit, Booking, Certificate, Slot, Strike


def _table(model) -> str:
    """The model's table name, quoted for this database."""
    return connection.ops.quote_name(model._meta.db_table)


def _column(model, field: str) -> str:
    """The column of one of the model's fields, quoted for this database."""
    return connection.ops.quote_name(model._meta.get_field(field).column)


def _converters(field, alias: str) -> tuple:
    """What the ORM applies to this column's values as they come from the database: the
    backend's converters (SQLite hands back text for a subquery's timestamp) and the field's."""
    col = field.get_col(alias)
    return col, connection.ops.get_db_converters(col) + field.get_db_converters(connection)


@cache
def _column_converters(vendor: str, model, name: str) -> tuple:
    return _converters(model._meta.get_field(name), model._meta.db_table)


def _from_db(value, model, name: str):
    col, funcs = _column_converters(connection.vendor, model, name)
    for func in funcs:
        value = func(value, col, connection)
    return value


@cache
def _person_sql(vendor: str, for_update: bool) -> str:
    s, c, u = Strike, Certificate, User
    strikes = (f"SELECT {_column(s, 'at')} FROM {_table(s)} WHERE {_column(s, 'user')} = %s AND NOT {_column(s, 'forgiven')}"
               f" AND {_column(s, 'at')} >= %s ORDER BY {_column(s, 'at')} DESC")
    certificate = (f"EXISTS (SELECT 1 FROM {_table(c)} WHERE {_column(c, 'user')} = %s AND {_column(c, 'kind')} = %s"
                   f" AND {_column(c, 'status')} = %s AND ({_column(c, 'valid_until')} IS NULL OR {_column(c, 'valid_until')} >= %s))")
    columns = [f"({strikes} LIMIT 1)", f"({strikes} LIMIT 1 OFFSET %s)"]
    columns += [certificate] * len(Certificate.Kind.values)
    return (f"SELECT {', '.join(columns)} FROM {_table(u)} WHERE {_column(u, 'id')} = %s"
            + (" FOR UPDATE" if for_update else ""))


@cache
def _bookings_sql(vendor: str, with_key: bool) -> str:
    b, s = Booking, Slot
    active = ", ".join(["%s"] * len(ACTIVE_STATUSES))
    wanted = f"b.{_column(b, 'status')} IN ({active})"
    if with_key:
        wanted = f"({wanted} OR b.{_column(b, 'client_key')} = %s)"
    return (f"SELECT b.{_column(b, 'id')}, b.{_column(b, 'slot')}, b.{_column(b, 'status')}, b.{_column(b, 'hold_expires_at')},"
            f" b.{_column(b, 'client_key')}, s.{_column(s, 'start')} FROM {_table(b)} b"
            f" JOIN {_table(s)} s ON s.{_column(s, 'id')} = b.{_column(b, 'slot')}"
            f" WHERE b.{_column(b, 'user')} = %s AND {wanted}")


@cache
def _take_sql(vendor: str) -> str:
    s, taken = Slot, _column(Slot, "taken")
    return (f"UPDATE {_table(s)} SET {taken} = {taken} + %s WHERE {_column(s, 'id')} = %s AND NOT {_column(s, 'blocked')}"
            f" AND {taken} + %s <= {_column(s, 'capacity')}")


@cache
def _slot_plan(vendor: str):
    """The slot, its unit and the unit's site in one row, and how to turn the row into models:
    per model its field names and place in the row, and the backend's and fields' converters
    (what the ORM applies to a select_related row)."""
    tables = [(Slot, "s"), (BookableUnit, "u"), (Site, "t")]
    columns, models, converters = [], [], []
    for model, alias in tables:
        fields = model._meta.concrete_fields
        models.append((model, [f.attname for f in fields], len(columns), len(columns) + len(fields)))
        for f in fields:
            col, found = _converters(f, alias)
            if found:
                converters.append((len(columns), found, col))
            columns.append(f"{alias}.{connection.ops.quote_name(f.column)}")
    sql = (f"SELECT {', '.join(columns)} FROM {_table(Slot)} s"
           f" JOIN {_table(BookableUnit)} u ON u.{_column(BookableUnit, 'id')} = s.{_column(Slot, 'unit')}"
           f" JOIN {_table(Site)} t ON t.{_column(Site, 'id')} = u.{_column(BookableUnit, 'site')}"
           f" WHERE s.{_column(Slot, 'id')} = %s AND u.{_column(BookableUnit, 'active')}")
    return sql, models, converters


def slot(slot_id: int) -> Slot | None:
    """The slot with its unit and site loaded, if the slot exists and its unit is bookable online:
    ``Slot.objects.select_related("unit__site").filter(pk=slot_id, unit__active=True).first()``."""
    if not 0 < slot_id < 2**63:  # the ORM finds nothing for ids out of the column's range
        return None
    sql, models, converters = _slot_plan(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, [slot_id])
        row = cursor.fetchone()
    if row is None:
        return None
    row = list(row)
    for i, funcs, col in converters:
        for func in funcs:
            row[i] = func(row[i], col, connection)
    (s_model, s_names, s0, s1), (u_model, u_names, u0, u1), (t_model, t_names, t0, t1) = models
    found = s_model.from_db(connection.alias, s_names, row[s0:s1])
    unit = u_model.from_db(connection.alias, u_names, row[u0:u1])
    unit.site = t_model.from_db(connection.alias, t_names, row[t0:t1])
    found.unit = unit
    return found


@cache
def _stale_sql(vendor: str) -> str:
    b = Booking
    return (f"SELECT {_column(b, 'id')}, {_column(b, 'places')} FROM {_table(b)} WHERE {_column(b, 'slot')} = %s"
            f" AND {_column(b, 'status')} = %s AND {_column(b, 'hold_expires_at')} < %s")


def stale_holds(slot_id: int, now: datetime.datetime) -> list[tuple[int, int]]:
    """(pk, places) of the slot's holds that ran out before ``now``."""
    with connection.cursor() as cursor:
        cursor.execute(_stale_sql(connection.vendor), [slot_id, Booking.Status.HELD, connection.ops.adapt_datetimefield_value(now)])
        return cursor.fetchall()


def person(user_id: int, *, strikes_since: datetime.datetime, nth: int, day: datetime.date):
    """Lock the person's row (PostgreSQL; SQLite's IMMEDIATE transaction already excludes other
    writers) and read their latest unforgiven strike since ``strikes_since``, the ``nth`` latest,
    and the kinds of their certificates verified and valid on ``day``."""
    ops = connection.ops
    since = ops.adapt_datetimefield_value(strikes_since)
    valid_on = ops.adapt_datefield_value(day)
    params = [user_id, since, user_id, since, nth - 1]
    for kind in Certificate.Kind.values:
        params += [user_id, kind, Certificate.Status.VERIFIED, valid_on]
    params.append(user_id)
    with connection.cursor() as cursor:
        cursor.execute(_person_sql(connection.vendor, connection.features.has_select_for_update), params)
        row = cursor.fetchone()
    if row is None:
        raise User.DoesNotExist
    kinds = {kind for kind, has in zip(Certificate.Kind.values, row[2:]) if has}
    return _from_db(row[0], Strike, "at"), _from_db(row[1], Strike, "at"), kinds


def bookings(user_id: int, client_key: str = "") -> list[tuple]:
    """(pk, slot_id, status, hold_expires_at, client_key, slot start) of the person's held,
    confirmed and checked-in bookings, and of any booking made under ``client_key``."""
    params = [user_id, *ACTIVE_STATUSES, *([client_key] if client_key else [])]
    with connection.cursor() as cursor:
        cursor.execute(_bookings_sql(connection.vendor, bool(client_key)), params)
        rows = cursor.fetchall()
    return [(pk, slot_id, status, _from_db(expires, Booking, "hold_expires_at"), key, _from_db(start, Slot, "start"))
            for pk, slot_id, status, expires, key, start in rows]


def take(slot_id: int, places: int) -> bool:
    """Take ``places`` of an unblocked slot if that many are free: one conditional UPDATE, atomic
    on both databases (the CHECK constraint taken <= capacity stands behind it)."""
    with connection.cursor() as cursor:
        cursor.execute(_take_sql(connection.vendor), [places, slot_id, places])
        return cursor.rowcount == 1
