"""A report's resolving upkeep log now points at the upkeep app's model (the same table)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("problems", "0003_report_submission_key"),
        ("upkeep", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables stay as they are: only Django's picture of which app owns them changes.
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name='problemreport',
                    name='resolved_by_log',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='resolved_problems', to='upkeep.upkeeplog', verbose_name='resolved by upkeep'),
                )
            ],
        ),
    ]
