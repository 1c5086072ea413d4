"""The division picker for staff filters: city → county → township → community, one list per level,
within the user's scope, instead of a typed 12-digit code.

    {% load divisions %}{% division_picker "region" request.GET.region %}

The chosen code goes in a hidden input of that name; the lists below the top are filled from
/accounts/regions/options/ as one is chosen (web/division-picker.js). With a code given, the page
opens with its chain chosen. Outside the user's scope the picker starts from the top.
"""

from django import template

from quanmin.accounts import scoping
from quanmin.regions.models import Region

register = template.Library()


@register.inclusion_tag("accounts/_division_picker.html", takes_context=True)
def division_picker(context, name: str = "region", value: str = "", label: str = ""):
    user = context["request"].user
    tops = list(scoping.top_regions(user).order_by("code")) if user.is_authenticated else []
    value = (value or "").strip()
    chain = []
    region = Region.objects.filter(code=value).first() if value.isdigit() else None
    if region is not None and scoping.can_read_region(user, region.code):
        chain = [r for r in region.ancestors() if scoping.can_read_region(user, r.code)] + [region]
    levels = []
    if len(tops) == 1 and not chain:
        chain = tops
    # The top list: the user's scope roots; then, for each region chosen, its children.
    levels.append({"options": tops, "selected": chain[0].code if chain else ""})
    for chosen in chain:
        children = list(Region.objects.filter(parent=chosen).order_by("code"))
        if not children:
            break
        at = chain.index(chosen) + 1
        levels.append({"options": children, "selected": chain[at].code if at < len(chain) else ""})
    return {"name": name, "value": chain[-1].code if chain and value else "", "levels": levels,
            "label": label}
