"""One person in at most one open team per competition: team members carry their competition and
whether their entry is open, under a partial unique constraint."""

import django.db.models.deletion
from django.db import migrations, models

OPEN = ("pending", "confirmed", "offered", "waiting")


def fill(apps, schema_editor):
    TeamMember = apps.get_model("events", "TeamMember")
    Entry = apps.get_model("events", "Entry")
    TeamMember.objects.update(competition_id=models.Subquery(
        Entry.objects.filter(pk=models.OuterRef("entry_id")).values("competition_id")[:1]))
    TeamMember.objects.exclude(entry__status__in=OPEN).update(open=False)


class Migration(migrations.Migration):

    dependencies = [
        ("events", "0002_delegation_organization_games_organization"),
    ]

    operations = [
        migrations.AddField(
            model_name="teammember",
            name="competition",
            field=models.ForeignKey(editable=False, null=True, on_delete=django.db.models.deletion.CASCADE,
                                    related_name="+", to="events.competition"),
        ),
        migrations.AddField(
            model_name="teammember",
            name="open",
            field=models.BooleanField(default=True, editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="teammember",
            name="competition",
            field=models.ForeignKey(editable=False, on_delete=django.db.models.deletion.CASCADE,
                                    related_name="+", to="events.competition"),
        ),
        migrations.AddConstraint(
            model_name="teammember",
            constraint=models.UniqueConstraint(condition=models.Q(("open", True)), fields=("competition", "user"),
                                               name="one_open_team_per_person"),
        ),
    ]
