"""Photos become two renditions (large, small) with content-hashed names and the upload's hash.

Rows from before keep their file: ``image`` is renamed ``large`` and the same file serves as
``small`` until the demo is reloaded, so no page loses a picture.
"""

from django.db import migrations, models
from django.db.models import F


def small_from_large(apps, schema_editor):
    Photo = apps.get_model("registry", "Photo")
    Photo.objects.update(small=F("large"), small_width=F("width"), small_height=F("height"))


class Migration(migrations.Migration):

    dependencies = [
        ('registry', '0009_upkeep_position_and_schedules'),
    ]

    operations = [
        migrations.RenameField(model_name='photo', old_name='image', new_name='large'),
        migrations.AlterField(
            model_name='photo',
            name='large',
            field=models.FileField(editable=False, max_length=255, upload_to='', verbose_name='photo'),
        ),
        migrations.AddField(
            model_name='photo',
            name='small',
            field=models.FileField(default='', editable=False, max_length=255, upload_to='', verbose_name='thumbnail'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='photo',
            name='small_width',
            field=models.PositiveIntegerField(editable=False, null=True, verbose_name='thumbnail width (px)'),
        ),
        migrations.AddField(
            model_name='photo',
            name='small_height',
            field=models.PositiveIntegerField(editable=False, null=True, verbose_name='thumbnail height (px)'),
        ),
        migrations.AddField(
            model_name='photo',
            name='content_hash',
            field=models.CharField(blank=True, db_index=True, editable=False, help_text='SHA-256 of the file as uploaded, to recognise the same file.', max_length=64, verbose_name='content hash'),
        ),
        migrations.RunPython(small_from_large, migrations.RunPython.noop),
    ]
