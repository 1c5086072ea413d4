"""Open data for the demo city: the open datasets published and the feeds numbered from what the other
demo steps made, for at most half a minute (the demo's many slots may take longer: `manage.py tick`,
which `make run` starts, numbers the rest in the background)."""

from quanmin.opendata import changes, datasets


def load(city, rng) -> dict:
    stamped = changes.stamp(batch=2000, max_seconds=30)
    published = datasets.publish()
    return {"feed_items": stamped["items"], "datasets": published}
