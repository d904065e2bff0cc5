"""UpkeepLog and UpkeepSchedule move here from the core (registry): same tables, no row touched."""

import django.contrib.gis.db.models.fields
import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("adopters", "0002_adopter_and_adoption_from_registry"),
        ("registry", "0012_upkeep_submission_key"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables stay as they are: only Django's picture of which app owns them changes.
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='UpkeepLog',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('performed_at', models.DateTimeField(verbose_name='performed at')),
                        ('action', models.CharField(choices=[('watering', 'watering'), ('pruning', 'pruning'), ('weeding', 'weeding'), ('fertilising', 'fertilising'), ('replanting', 'replanting'), ('pest_control', 'pest control'), ('cleaning', 'cleaning'), ('repainting', 'repainting / touch-up'), ('inspection', 'inspection'), ('repair', 'repair'), ('safety_check', 'safety check'), ('elevator_maintenance', 'elevator maintenance'), ('annual_inspection', 'annual elevator inspection')], max_length=30, verbose_name='action')),
                        ('notes', models.TextField(blank=True, verbose_name='notes')),
                        ('duration_minutes', models.PositiveIntegerField(blank=True, null=True, verbose_name='duration (minutes)')),
                        ('participants', models.PositiveSmallIntegerField(default=1, verbose_name='participants')),
                        ('position', django.contrib.gis.db.models.fields.PointField(blank=True, null=True, spatial_index=False, srid=4326, verbose_name='position when logged')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='logged at')),
                        ('submission_key', models.CharField(blank=True, db_default='', default='', editable=False, max_length=64, verbose_name='submission key')),
                        ('adopter', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='upkeep_logs', to='adopters.adopter', verbose_name='adopter')),
                        ('asset', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='upkeep_logs', to='registry.asset', verbose_name='asset')),
                        ('staff', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='upkeep_logs', to=settings.AUTH_USER_MODEL, verbose_name='staff member')),
                    ],
                    options={
                        'verbose_name': 'upkeep log',
                        'verbose_name_plural': 'upkeep logs',
                        'db_table': 'registry_upkeeplog',
                        'ordering': ['-performed_at'],
                        'indexes': [models.Index(fields=['asset', '-performed_at'], name='upkeep_asset_recent'), models.Index(fields=['asset', 'action', '-performed_at'], name='upkeep_asset_action_recent')],
                        'constraints': [models.CheckConstraint(condition=models.Q(('staff__isnull', False), ('adopter__isnull', False), _connector='OR'), name='upkeep_has_performer', violation_error_message='An upkeep log is performed by a staff member or an adopter.'), models.UniqueConstraint(condition=models.Q(('submission_key', ''), _negated=True), fields=('submission_key',), name='upkeep_submitted_once')],
                    },
                ),
                migrations.CreateModel(
                    name='UpkeepSchedule',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('action', models.CharField(choices=[('watering', 'watering'), ('pruning', 'pruning'), ('weeding', 'weeding'), ('fertilising', 'fertilising'), ('replanting', 'replanting'), ('pest_control', 'pest control'), ('cleaning', 'cleaning'), ('repainting', 'repainting / touch-up'), ('inspection', 'inspection'), ('repair', 'repair'), ('safety_check', 'safety check'), ('elevator_maintenance', 'elevator maintenance'), ('annual_inspection', 'annual elevator inspection')], max_length=30, verbose_name='action')),
                        ('interval_days', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(3660)], verbose_name='every (days)')),
                        ('summer_interval_days', models.PositiveSmallIntegerField(blank=True, help_text='Leave empty to use the same interval all year.', null=True, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(3660)], verbose_name='every (days) from May to October')),
                        ('active', models.BooleanField(default=True, help_text='Untick when this asset needs no such rounds at all.', verbose_name='scheduled')),
                        ('asset', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='upkeep_schedules', to='registry.asset', verbose_name='asset')),
                    ],
                    options={
                        'verbose_name': 'upkeep schedule',
                        'verbose_name_plural': 'upkeep schedules',
                        'db_table': 'registry_upkeepschedule',
                        'ordering': ['asset', 'action'],
                        'constraints': [models.UniqueConstraint(fields=('asset', 'action'), name='upkeep_schedule_one_per_action', violation_error_message='This asset already has a schedule for this action.')],
                    },
                )
            ],
        ),
    ]
