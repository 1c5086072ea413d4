"""No item is missed or repeated by a reader that follows a feed while many threads write.

Writers change, add, block and delete slots in transactions that sleep before committing, so later
transactions commit first (the trap of ordering by a modified time); a stamper numbers the changes
and a reader follows the slots feed over HTTP the whole time. At the end the reader's view of every
slot equals the database's and no (id, change number) came twice. Runs in the PostgreSQL pass too
(DATABASE_URL=postgres://…), where transactions really commit out of order."""

import json

import pytest
from django.test import Client

from quanmin.opendata import selfcheck

pytestmark = pytest.mark.django_db(transaction=True)


def http_reader(feed):
    client = Client()

    def read(after):
        url = f"/opendata/feeds/{feed}" + (f"?afterChangeNumber={after}" if after is not None else "")
        response = client.get(url)
        assert response.status_code == 200, response.content
        return json.loads(response.content)["items"]

    return read


def test_reader_following_the_feed_under_concurrent_writes_misses_and_repeats_nothing(world, settings):
    settings.OPEN_DATA_RATE_LIMIT = 1_000_000
    result = selfcheck.run(writers=8, writes=30, hold=0.02, read=http_reader("slots"))
    assert result["errors"] == []
    assert result["items_read"] >= result["slots"] > 0
    assert result["missed"] == 0
    assert result["repeated"] == 0
