"""Every adopter has a profile (issue 14): /me/ read ``adopter.profile`` and answered 500 for an
adopter entered by the admin or the demo. A profile made here records no privacy consent (blank
version, no time): those adopters never saw the sign-up form's notice."""

from django.db import migrations, models


def add_missing_profiles(apps, schema_editor):
    Adopter = apps.get_model("adopters", "Adopter")
    AdopterProfile = apps.get_model("adopters", "AdopterProfile")
    missing = Adopter.objects.filter(profile__isnull=True).values_list("pk", flat=True)
    AdopterProfile.objects.bulk_create([AdopterProfile(adopter_id=pk) for pk in missing.iterator()], batch_size=1000)


class Migration(migrations.Migration):

    dependencies = [
        ('adopters', '0002_adopter_and_adoption_from_registry'),
    ]

    operations = [
        migrations.AlterField(
            model_name='adopterprofile',
            name='privacy_consented_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='privacy notice agreed at'),
        ),
        migrations.AlterField(
            model_name='adopterprofile',
            name='privacy_notice_version',
            field=models.CharField(blank=True, max_length=20, verbose_name='privacy notice version agreed to'),
        ),
        migrations.RunPython(add_missing_profiles, migrations.RunPython.noop),
    ]
