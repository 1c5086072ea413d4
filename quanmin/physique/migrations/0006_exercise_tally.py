"""The exercise standard indicators' roll-up (quanmin.physique.tally): standing grades counted by
division, day and grade, filled here from the encrypted grades already stored (none on a fresh
database: nothing is decrypted there)."""

import django.db.models.deletion
from django.db import migrations, models

from quanmin.physique import tally


def fill(apps, schema_editor):
    tally.rebuild_exercise(grades_model=apps.get_model("physique", "ExerciseGrade"),
                           model=apps.get_model("physique", "ExerciseTally"))


class Migration(migrations.Migration):

    dependencies = [
        ('physique', '0005_sport_medicine'),
        ('regions', '0002_street_segment'),
    ]

    operations = [
        migrations.CreateModel(
            name='ExerciseTally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('day', models.DateField()),
                ('level', models.CharField(blank=True, max_length=16)),
                ('n', models.IntegerField(default=0)),
                ('region', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='regions.region')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('region', 'day', 'level'), name='physique_exercise_tally_key')],
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
    ]
