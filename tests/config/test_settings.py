"""Configuration: production settings pass Django's deployment checks; the demo admin stays local."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from registry.spatial_refs import accepted_srid

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args, **env):
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, **env}, timeout=120)


def test_production_configuration_passes_check_deploy_with_no_warnings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", DEBUG="0",
                        SECRET_KEY="a-long-random-production-secret-0123456789-abcdefghijklmnop",
                        ALLOWED_HOSTS="registry.example.org")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check", DEBUG="0", SECRET_KEY="", ALLOWED_HOSTS="registry.example.org")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_only_gis_w001_is_silenced_and_proj_network_is_off():
    from django.conf import settings

    assert settings.SILENCED_SYSTEM_CHECKS == ["gis.W001"]
    assert os.environ["PROJ_NETWORK"] == "OFF"


@pytest.mark.parametrize("value, srid", [(4326, 4326), ("EPSG:4490", 4490), ("4547", 4547), ("epsg:3857", 3857)])
def test_allowed_spatial_references(value, srid):
    assert accepted_srid(value) == srid


@pytest.mark.parametrize("value", [2154, "EPSG:4214", "+proj=longlat +datum=WGS84", 'GEOGCS["x"]', None, ""])
def test_other_spatial_references_are_refused(value):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as excinfo:
        accepted_srid(value)
    assert excinfo.value.code == "srid_not_allowed"


def test_demo_admin_is_created_once_and_only_in_debug(db, settings):
    settings.DEBUG = True
    call_command("demo_admin")
    call_command("demo_admin")
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and admin.check_password("liwan-demo")
    settings.DEBUG = False
    get_user_model().objects.all().delete()
    with pytest.raises(CommandError):
        call_command("demo_admin")
    assert not get_user_model().objects.exists()
