"""Permission rows for the residents' finder and the public site page: public, no sign-in.

There are no CROSS_COUNTY rows: these pages are public, so the neighbouring county's staff see a
site like everyone else (200, not 404)."""


def site_pk(w, role=None):
    return {"pk": (w.other_site if role == "other_county" else w.site).pk}


def site_photo(w, role=None):
    """A photo of the role's site (public: everyone sees it)."""
    import io

    from django.core.files.base import ContentFile
    from PIL import Image

    from quanmin.facilities.models import SitePhoto

    site = w.other_site if role == "other_county" else w.site
    photo = SitePhoto.objects.filter(site=site).first()
    if photo is None:
        buf = io.BytesIO()
        Image.new("RGB", (8, 8), "green").save(buf, "PNG")
        photo = SitePhoto(site=site, caption="全景")
        photo.image.save("photo.png", ContentFile(buf.getvalue()), save=True)
    return {"pk": site.pk, "photo_id": photo.pk}


WEB = {
    "facilities:finder": ("public", None, "get", None),
    "facilities:finder_map": ("public", None, "get", None),
    "facilities:streets_map": ("public", None, "get", None),
    "facilities:site": ("public", site_pk, "get", None),
    "facilities:site_photo": ("public", site_photo, "get", None),
}
