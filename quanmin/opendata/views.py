"""Open data's public answers: the RPDE feeds, single items, the activity scheme; the catalogue,
datasets and the open-data page (views_datasets.py); the national export (views_national.py)."""

import re

from django.http import Http404
from django.utils.translation import gettext as _

from . import feeds, items, manners, vocab
from .models import FeedItem

# RPDE's guidance: a page with items never changes (cache it long); the last page changes as soon as
# anything does, so readers polling it get it nearly fresh.
PAGE_MAX_AGE = 3600
LAST_PAGE_MAX_AGE = 8
_NUMBER = re.compile(r"^[0-9]{1,18}$")


@manners.public
def feed(request, feed: str):
    if feed not in items.FEEDS:
        raise Http404
    if "afterTimestamp" in request.GET or "afterId" in request.GET:
        # RPDE's other ordering: these feeds use change numbers (a modified time is the trap they avoid).
        return manners.error(400, "invalid_input", _("These feeds are ordered by change number: page with "
                                                     "afterChangeNumber, or follow each page's next address."))
    after = request.GET.get("afterChangeNumber")
    if after is not None and not _NUMBER.match(after):
        return manners.error(400, "invalid_input", _("afterChangeNumber must be a whole number of at most 18 digits."))
    limit = request.GET.get("limit", str(feeds.PAGE))
    if not _NUMBER.match(limit) or not 1 <= int(limit) <= feeds.PAGE:
        return manners.error(400, "invalid_input", _("limit must be a whole number from 1 to %(max)s.") % {"max": feeds.PAGE})
    url = request.build_absolute_uri(request.path)
    text, last = feeds.body(url, feed, int(after) if after is not None else None, int(limit))
    return manners.answer(request, text, "application/json; charset=utf-8",
                          LAST_PAGE_MAX_AGE if last else PAGE_MAX_AGE)


@manners.public
def item(request, feed: str, pk: int):
    """One item's current data (its @id dereferenced); 404 when it is deleted or never was."""
    if feed == "places":
        found = items.places([pk]).get(pk)
        if found is None:
            raise Http404
        return manners.answer(request, manners.dumps({"@context": items.CONTEXT, **found}),
                              "application/ld+json; charset=utf-8", 300)
    if feed not in items.FEEDS:
        raise Http404
    row = FeedItem.objects.filter(kind=feed, object_id=pk, deleted=False).values_list("data", flat=True).first()
    if row is None:
        raise Http404
    return manners.answer(request, row, "application/ld+json; charset=utf-8", 300)


@manners.public
def activity_list(request):
    return manners.answer(request, manners.dumps(vocab.scheme()), "application/ld+json; charset=utf-8", 86400)
