"""The open datasets, their catalogue and dictionary, and the public open-data page."""

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from . import datasets, items, manners
from .models import DatasetFile

# Datasets change once a day: an hour in caches is fresh enough, and the ETag saves the download.
DATASET_MAX_AGE = 3600


@manners.public
def dataset(request, name: str, fmt: str):
    ds = datasets.DATASETS.get(name)
    if ds is None or fmt not in datasets.formats(ds):
        raise Http404
    found = DatasetFile.objects.filter(name=name, format=fmt).first()
    if found is None:
        return manners.error(503, "not_published_yet", _("This dataset is published by the daily upkeep and is not ready yet."),
                             **{"Retry-After": "300"})
    return manners.answer(request, bytes(found.content), datasets.FORMATS[fmt], DATASET_MAX_AGE, etag=found.etag,
                          **{"Content-Disposition": f'inline; filename="{name}.{fmt}"'})


@manners.public
def catalog(request):
    return manners.answer(request, manners.dumps(datasets.catalog()), "application/ld+json; charset=utf-8", 600)


@manners.public
def dictionary(request):
    return manners.answer(request, manners.dumps(datasets.dictionary()), "application/json; charset=utf-8", 3600)


@manners.public
def index(request):
    files = {}
    for f in DatasetFile.objects.defer("content").order_by("name", "format"):
        files.setdefault(f.name, []).append(f)
    rows = [{"ds": ds, "files": files.get(ds.name, [])} for ds in datasets.DATASETS.values()]
    feeds = [{"name": feed, "url": request.build_absolute_uri(f"/opendata/feeds/{feed}")} for feed in items.FEEDS]
    return render(request, "opendata/index.html", {"rows": rows, "feeds": feeds})
