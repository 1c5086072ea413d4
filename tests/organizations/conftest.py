import pytest

from quanmin.organizations import credit, services


@pytest.fixture
def make_org(world):
    """Register an organisation as the superuser: make_org(name, kind=..., region=..., **fields)."""
    serial = iter(range(1, 10_000))

    def make(name, kind="association", region=None, status="registered", actor=None, **fields):
        region = region or world.community
        data = {"name": name, "kind": kind, "status": status, "region": region, **fields}
        if status == "registered" and "credit_code" not in fields:
            data["credit_code"] = credit.make("1", region.code[:6], next(serial))
        return services.register(data, actor=actor or world.users["superuser"])

    return make
