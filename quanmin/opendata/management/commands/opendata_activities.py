"""Checks our data files against a copy of an OpenActive list (the Activity List's activity-list.jsonld
or the Facility Type List's facility-types.jsonld) and, with --write, records the concepts we use as
the list has them in data/openactive_checked.json or data/openactive_facility_types_checked.json (the
files the feeds, the tests and the validator read)."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from quanmin.opendata import vocab


class Command(BaseCommand):
    help = "Check our OpenActive concepts against a copy of the OpenActive Activity List or Facility Type List."

    def add_arguments(self, parser):
        parser.add_argument("--check", required=True, metavar="LIST", help="a copy of activity-list.jsonld or facility-types.jsonld")
        parser.add_argument("--commit", default="", help="the list repository's commit the copy is from")
        parser.add_argument("--write", action="store_true", help="write the checked copy when the check passes")

    def handle(self, *args, check, commit="", write=False, **options):
        raw = Path(check).read_bytes()
        problems = vocab.check(json.loads(raw))
        if problems:
            raise CommandError("\n".join(problems))
        content = vocab.record(raw, commit)
        target = vocab.CHECKED[json.loads(raw)["id"]]
        if write:
            target.write_text(json.dumps(content, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        self.stdout.write(f"{len(content['concepts'])} concepts found in the list of {content['concepts_in_list']}"
                          + (f"; written to {target}" if write else ""))
