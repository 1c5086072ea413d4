"""The figures' roll-up (quanmin.physique.tally): results counted by division, day, standard, sex,
age group and outcome, filled here from the encrypted results already stored."""

import django.db.models.deletion
from django.db import migrations, models

from quanmin.physique import tally


def fill(apps, schema_editor):
    tally.rebuild(results_model=apps.get_model("physique", "TestResult"),
                  model=apps.get_model("physique", "ResultTally"))


class Migration(migrations.Migration):

    dependencies = [
        ('physique', '0002_health_data_encrypted'),
        ('regions', '0002_street_segment'),
    ]

    operations = [
        migrations.CreateModel(
            name='ResultTally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('day', models.DateField()),
                ('standard', models.CharField(max_length=20)),
                ('sex', models.CharField(max_length=6)),
                ('age_group', models.CharField(max_length=12)),
                ('passed', models.CharField(blank=True, max_length=1)),
                ('rating', models.CharField(blank=True, max_length=16)),
                ('n', models.IntegerField(default=0)),
                ('region', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='regions.region')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('region', 'day', 'standard', 'sex', 'age_group', 'passed', 'rating'), name='physique_tally_key')],
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
    ]
