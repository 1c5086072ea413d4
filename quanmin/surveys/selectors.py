"""Reads the pages, the API and the export share: the surveys a user may see.

Staff see the surveys of their divisions and below (and change those), and also read the surveys
of the divisions above theirs that cover them: a township's staff follow the city's survey of their
residents and its results."""

from django.db.models import Q, QuerySet
from django.http import Http404

from quanmin.accounts import scoping
from quanmin.regions import codes

from .models import Survey


def surveys_for(user, write: bool = False) -> QuerySet[Survey]:
    qs = Survey.objects.select_related("region")
    if write or scoping.is_superuser(user):
        return scoping.scoped(user, qs, write)
    above = {a for p in scoping.division_prefixes(user) for a in codes.ancestors(codes.pad(p))}
    own = scoping.scope_q(user, Survey)
    return qs.filter(own | Q(region_id__in=above) if own is not None else Q())


def get_or_404(user, pk, write: bool = False) -> Survey:
    try:
        return surveys_for(user, write).get(pk=pk)
    except (Survey.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None
