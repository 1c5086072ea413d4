"""What every register's import reports: each row's line, action and errors, and the counts.

A row report is any object with `line`, `action` (new, updated, unchanged, rejected), `changes` and
`errors`; each register adds what names its rows for people (a tag, a piece, a name).
"""

from dataclasses import dataclass, field


@dataclass
class ImportReport:
    dry_run: bool
    rows: list = field(default_factory=list)
    applied: bool = False
    ignored_columns: list[str] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    @property
    def counts(self) -> dict:
        return {"rows": len(self.rows), "new": self.count("new"), "updated": self.count("updated"),
                "unchanged": self.count("unchanged"), "rejected": self.count("rejected")}

    @property
    def ok(self) -> bool:
        return self.count("rejected") == 0

    @property
    def rejected(self) -> list:
        return [r for r in self.rows if r.action == "rejected"]

    @property
    def changed(self) -> list:
        return [r for r in self.rows if r.action in ("new", "updated")]

    def as_dict(self) -> dict:
        return {"dry_run": self.dry_run, "applied": self.applied, "counts": self.counts,
                "ignored_columns": self.ignored_columns,
                "rows": [r.__dict__ for r in self.rows if r.action != "unchanged"]}
