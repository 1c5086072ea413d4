"""The status-only scan (tests/status_only.py): what it lists and what it leaves."""

import ast

from tests import status_only

SOURCE = '''
def test_only_a_status(client):
    assert client.get("/x/").status_code == 404
    for url in ("/a/", "/b/"):
        assert client.get(url).status_code in (200, 302)

def test_a_status_and_where_it_leads(client):
    r = client.get("/x/")
    assert r.status_code == 302 and "/login/" in r["Location"]

def test_a_status_and_the_row(client, order):
    assert client.post("/x/").status_code == 400
    assert order.status == "open"

def test_an_error_helper(client):
    error(client.get("/x/"), 404, "not_found")

def test_a_model_status(order):
    assert order.status == "closed"
'''


def test_lists_the_tests_that_read_only_a_status():
    tree = ast.parse(SOURCE)
    found = [f.name for f in tree.body if status_only.status_only(f)]
    assert found == ["test_only_a_status"]
