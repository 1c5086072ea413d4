"""``field__within=prefix``: the division codes in a subtree, as a range (see codes.subtree_bounds).

Registered on CharField, so it reaches every code column through relations: ``region__code__within``
compiles to the foreign key's own column, with no join.
"""

from django.db.models import CharField, Lookup

from . import codes


@CharField.register_lookup
class Within(Lookup):
    lookup_name = "within"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        if not isinstance(self.rhs, str):
            raise TypeError("__within takes a code prefix as a string")
        lhs, lhs_params = self.process_lhs(compiler, connection)
        bounds = codes.subtree_bounds(self.rhs)
        if bounds is None:  # no code starts with it
            return "1 = 0", []
        low, high = bounds
        sql, params = f"{lhs} >= %s", [*lhs_params, low]
        if high is not None:
            sql, params = f"{sql} AND {lhs} < %s", [*params, *lhs_params, high]
        return f"({sql})", params
