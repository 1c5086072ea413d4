"""What the organisations' register tells other apps (see quanmin.core.facts).

"Fitness points counted" (B08): the fitness teams and stations (健身站点) the register counts, active
and approved. The instructor register keeps guidance stations and fitness points of its own and
links a station to its organisation here when it is both; its one count of stations reads this
subset, so that each station counts once, without importing organisations.
"""

from quanmin.core.facts import subset

from .models import Organization


@subset("organizations.Organization", "fitness_point")
def counted_fitness_points():
    """The active, approved fitness teams and stations, as a queryset of their organisations."""
    return Organization.objects.filter(kind=Organization.Kind.FITNESS_POINT, active=True,
                                       review=Organization.Review.APPROVED).values("id")
