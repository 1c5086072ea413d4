"""RPDE pages (Realtime Paged Data Exchange, "Changes Number" ordering): items of one feed in order
of change number after the number the reader last saw; the last page has no items and a `next` equal
to its own address, and a deleted item is `state: deleted` without data."""

from django.conf import settings

from .models import FeedItem

PAGE = 500


def page(feed: str, after: int | None, limit: int = PAGE) -> tuple[list[str], int | None]:
    """The page's items as JSON text, already serialised (the stored data is spliced in, not parsed),
    and the change number of its last item (None for an empty page)."""
    rows = (FeedItem.objects.filter(kind=feed, change_number__gt=after or 0).order_by("change_number")
            .values_list("object_id", "rpde_kind", "change_number", "deleted", "data")[:limit])
    out, last = [], None
    for object_id, kind, number, deleted, data in rows:
        if deleted:
            out.append(f'{{"state":"deleted","kind":"{kind}","id":"{object_id}","modified":{number}}}')
        else:
            out.append(f'{{"state":"updated","kind":"{kind}","id":"{object_id}","modified":{number},"data":{data}}}')
        last = number
    return out, last


def body(feed_url: str, feed: str, after: int | None, limit: int = PAGE) -> tuple[str, bool]:
    """The page as the JSON document served, and whether it is the last page."""
    items, last = page(feed, after, limit)
    if last is None:  # the last page: `next` repeats this page's own address
        next_url = feed_url if after is None else f"{feed_url}?afterChangeNumber={after}"
    else:
        next_url = f"{feed_url}?afterChangeNumber={last}"
    text = ('{"next":"' + next_url + '","items":[' + ",".join(items) + '],"license":"'
            + settings.OPEN_DATA_LICENSE + '"}')
    return text, last is None
