"""Games and events in the admin: every model, scoped to the staff member's divisions, read-only.

Writes to events go through the services (places, quotas, the waiting list, booking's venue blocks,
results' correction trail and awards must stay in step), so the admin only shows; the staff pages
and the API change things (DESIGN rule 1). People are shown masked, as in booking's admin.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from quanmin.accounts.admin import ReadOnlyAdmin, ReadOnlyInline
from quanmin.booking.selectors import mask_name

from .models import Award, Competition, Correction, Delegation, Entry, EntryFee, Games, Result, TeamMember


def _person(user) -> str:
    return "" if user is None else (mask_name(user.real_name) or user.phone_masked)


class CompetitionInline(ReadOnlyInline):
    model = Competition
    fields = ["name", "sport", "format", "capacity", "taken", "fee", "starts_at", "closes_at"]
    readonly_fields = fields
    show_change_link = True


@admin.register(Games)
class GamesAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "level", "region", "year", "status", "brand", "mode", "first_day", "last_day"]
    list_filter = ["kind", "level", "status", "brand", "mode", "year"]
    search_fields = ["name", "organizer"]
    date_hierarchy = "first_day"
    list_select_related = ["region"]
    exclude = ["created_by"]
    inlines = [CompetitionInline]


@admin.register(Competition)
class CompetitionAdmin(ReadOnlyAdmin):
    list_display = ["name", "games", "sport", "format", "sex", "capacity", "taken", "fee", "starts_at", "closes_at"]
    list_filter = ["sport", "format", "sex", "entries"]
    search_fields = ["name", "games__name"]
    list_select_related = ["games"]


@admin.register(Delegation)
class DelegationAdmin(ReadOnlyAdmin):
    list_display = ["name", "games", "kind", "region"]
    list_filter = ["kind"]
    search_fields = ["name"]
    list_select_related = ["games", "region"]


class TeamMemberInline(ReadOnlyInline):
    model = TeamMember
    fields = ["person", "sex", "birth_year"]
    readonly_fields = fields

    @admin.display(description=_("person"))
    def person(self, obj):
        return _person(obj.user)


class EntryFeeInline(ReadOnlyInline):
    model = EntryFee
    fields = ["provider", "amount", "refunded", "status", "reference", "updated_at"]
    readonly_fields = fields


@admin.register(Entry)
class EntryAdmin(ReadOnlyAdmin):
    list_display = ["bib", "competition", "person", "delegation", "team_name", "athletes", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["bib", "team_name"]
    date_hierarchy = "created_at"
    list_select_related = ["competition", "user", "delegation"]
    exclude = ["user"]
    readonly_fields = ["person"]
    inlines = [TeamMemberInline, EntryFeeInline]

    @admin.display(description=_("person"))
    def person(self, obj):
        return _person(obj.user)


class CorrectionInline(ReadOnlyInline):
    model = Correction
    fields = ["old_value", "new_value", "old_status", "new_status", "reason", "at"]
    readonly_fields = fields


@admin.register(Result)
class ResultAdmin(ReadOnlyAdmin):
    list_display = ["entry", "competition", "round", "heat", "value", "status", "rank", "medal", "review"]
    list_filter = ["round", "status", "review", "medal"]
    search_fields = ["entry__bib"]
    list_select_related = ["entry", "competition"]
    exclude = ["recorded_by"]
    inlines = [CorrectionInline]


@admin.register(Award)
class AwardAdmin(ReadOnlyAdmin):
    list_display = ["code", "kind", "title", "games", "person", "issued_at"]
    list_filter = ["kind"]
    search_fields = ["code", "title"]
    list_select_related = ["games", "user"]
    exclude = ["user", "result"]
    readonly_fields = ["person"]

    @admin.display(description=_("person"))
    def person(self, obj):
        return _person(obj.user)
