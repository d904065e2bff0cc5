"""Adopter, Adoption (now in adoption/) and UpkeepLog, UpkeepSchedule (now in upkeep/) leave the core.

The tables keep their names and rows; a photo's upkeep log points at the upkeep app's model.
"""

import django.db.models.deletion
from django.db import migrations, models

#: model → the app label it moved to.
MOVED = {"adopter": "adopters", "adoption": "adopters", "upkeeplog": "upkeep", "upkeepschedule": "upkeep"}


def _relabel(apps, moves):
    content_type = apps.get_model("contenttypes", "ContentType")
    for model, (old, new) in moves.items():
        if not content_type.objects.filter(app_label=new, model=model).exists():
            content_type.objects.filter(app_label=old, model=model).update(app_label=new)


def move_content_types(apps, schema_editor):
    _relabel(apps, {model: ("registry", label) for model, label in MOVED.items()})


def move_content_types_back(apps, schema_editor):
    _relabel(apps, {model: (label, "registry") for model, label in MOVED.items()})


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("registry", "0012_upkeep_submission_key"),
        ("adopters", "0002_adopter_and_adoption_from_registry"),
        ("upkeep", "0001_initial"),
        ("problems", "0004_resolved_by_log_in_upkeep"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables stay as they are: only Django's picture of which app owns them changes.
            database_operations=[],
            state_operations=[

            migrations.AlterField(
                model_name='photo',
                name='upkeep_log',
                field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='photos', to='upkeep.upkeeplog', verbose_name='upkeep log'),
            ),
            migrations.DeleteModel(name="UpkeepSchedule"),
            migrations.DeleteModel(name="UpkeepLog"),
            migrations.DeleteModel(name="Adoption"),
            migrations.DeleteModel(name="Adopter"),
            ],
        ),
        # The admin's log and any permissions follow the models to their new apps.
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
