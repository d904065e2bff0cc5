"""Adopter and Adoption move here from the core (registry): same tables, no row touched."""

import django.contrib.postgres.constraints
import django.contrib.postgres.fields.ranges
import django.db.models.deletion
import registry.fields
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("adopters", "0001_initial"),
        ("registry", "0012_upkeep_submission_key"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables stay as they are: only Django's picture of which app owns them changes.
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='Adopter',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('enterprise', 'enterprise'), ('party_unit', 'party-building co-building unit'), ('veteran', 'veteran'), ('volunteer', 'volunteer'), ('social_org', 'social organisation'), ('shop', 'shop / merchant'), ('resident', 'resident')], max_length=20, verbose_name='adopter kind')),
                        ('display_name', models.CharField(help_text='The only name the public sees on the map and plaques.', max_length=100, verbose_name='public display name')),
                        ('contact_person', models.CharField(max_length=50, verbose_name='contact person')),
                        ('mobile', registry.fields.MobileNumberField(max_length=11, verbose_name='mobile')),
                        ('email', models.EmailField(blank=True, max_length=254, verbose_name='email')),
                        ('credit_code', registry.fields.CreditCodeField(blank=True, help_text='18 characters (GB 32100-2015); required for enterprises, units and organisations.', max_length=18, verbose_name='unified social credit code')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                        ('user', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='adopter', to=settings.AUTH_USER_MODEL, verbose_name='user account')),
                    ],
                    options={
                        'verbose_name': 'adopter',
                        'verbose_name_plural': 'adopters',
                        'db_table': 'registry_adopter',
                        'ordering': ['display_name'],
                    },
                ),
                migrations.AlterField(
                    model_name='adopterprofile',
                    name='adopter',
                    field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='profile', to='adopters.adopter', verbose_name='adopter'),
                ),
                migrations.AlterField(
                    model_name='notice',
                    name='adopter',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notices', to='adopters.adopter', verbose_name='adopter'),
                ),
                migrations.CreateModel(
                    name='Adoption',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('period', django.contrib.postgres.fields.ranges.DateRangeField(help_text='First and last day of the adoption.', verbose_name='period')),
                        ('status', models.CharField(choices=[('requested', 'requested'), ('approved', 'approved'), ('rejected', 'rejected'), ('ended', 'ended'), ('withdrawn', 'withdrawn')], default='requested', max_length=20, verbose_name='status')),
                        ('duties', models.TextField(blank=True, help_text='What the adopter will do, and how often.', verbose_name='care pledge')),
                        ('care_interval_days', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='pledged care interval (days)')),
                        ('people', models.PositiveSmallIntegerField(default=1, verbose_name='number of people')),
                        ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='decided at')),
                        ('decision_reason', models.TextField(blank=True, verbose_name='reason')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='applied at')),
                        ('adopter', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='adoptions', to='adopters.adopter', verbose_name='adopter')),
                        ('asset', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='adoptions', to='registry.asset', verbose_name='asset')),
                        ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='decided by')),
                    ],
                    options={
                        'verbose_name': 'adoption',
                        'verbose_name_plural': 'adoptions',
                        'db_table': 'registry_adoption',
                        'ordering': ['-created_at'],
                    },
                ),
                migrations.AlterField(
                    model_name='notice',
                    name='adoption',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='notices', to='adopters.adoption', verbose_name='adoption'),
                ),
                migrations.AlterField(
                    model_name='remindersent',
                    name='adoption',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reminders', to='adopters.adoption', verbose_name='adoption'),
                ),
                migrations.AddConstraint(
                    model_name='adopter',
                    constraint=models.UniqueConstraint(condition=models.Q(('credit_code', ''), _negated=True), fields=('credit_code',), name='adopter_credit_code_unique'),
                ),
                migrations.AddConstraint(
                    model_name='adoption',
                    constraint=django.contrib.postgres.constraints.ExclusionConstraint(condition=models.Q(('status__in', ['approved', 'ended'])), expressions=[('asset', '='), ('period', '&&')], name='adoption_no_overlapping_granted', violation_error_message='This asset already has an adopter for part of that period.'),
                ),
                migrations.AddConstraint(
                    model_name='adoption',
                    constraint=models.CheckConstraint(condition=models.Q(('period__isempty', False)), name='adoption_period_not_empty', violation_error_message='The adoption period must end after it starts.'),
                )
            ],
        ),
    ]
